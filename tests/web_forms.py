"""Read the site's HTML forms as a browser without JavaScript would: fields, buttons, links.

Used by the HTTP-level tests (the load benchmark, the crash test) to fill the questionnaire
through its real forms, whatever the pages look like: hidden fields (the CSRF token) are
sent back, radio groups and check boxes are filled from their own choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)  # for a select


@dataclass
class Button:
    name: str
    value: str
    text: str = ""


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)

    def hidden(self) -> dict[str, str]:
        return {f.name: f.value for f in self.fields if f.kind == "hidden" and f.name}

    def choices(self, name: str) -> list[str]:
        """The values offered for `name` (radio buttons, check boxes or a select's options)."""
        values: list[str] = []
        for f in self.fields:
            if f.name == name:
                values.extend(f.options if f.kind == "select" else [f.value])
        return values

    def names(self, *kinds: str) -> list[str]:
        """Field names of these kinds, in page order, without repeats."""
        seen: dict[str, None] = {}
        for f in self.fields:
            if f.name and f.kind in kinds:
                seen.setdefault(f.name)
        return list(seen)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._button: Button | None = None
        self._link: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif tag == "a" and "href" in a:
            self._link = [a["href"], ""]
        if self._form is None:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "submit":
                self._form.buttons.append(Button(a.get("name", ""), a.get("value", "")))
            else:
                self._form.fields.append(
                    Field(a.get("name", ""), kind, a.get("value", ""), "checked" in a)
                )
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                self._button = Button(a.get("name", ""), a.get("value", ""))
                self._form.buttons.append(self._button)
        elif tag == "select":
            self._select = Field(a.get("name", ""), "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = Field(a.get("name", ""), "textarea")
            self._form.fields.append(self._textarea)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "button":
            self._button = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button.text += data
        if self._textarea is not None:
            self._textarea.value += data
        if self._link is not None:
            self._link[1] += data


@dataclass
class Page:
    forms: list[Form]
    links: list[tuple[str, str]]

    def post_forms(self) -> list[Form]:
        return [f for f in self.forms if f.method == "post"]


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return Page(parser.forms, parser.links)
