"""Shared rich consoles, and what makes every text they print safe and well set.

Text is text in the terminal: data (answers, names, CSV cells, headers, error messages)
never acts as markup, emoji codes or terminal escape sequences. Code that builds markup
escapes data with `data()`; on top of that, the console itself shows every control
character left in any text as a visible symbol (ESC as `␛`), so a window-title, screen-
clear or clipboard sequence hidden in a file is seen, never executed.

French typography: a console whose `language` is `fr` sets every text it prints with
`audit.typography` (non-breaking spaces before `: ; ! ?`), and rich is told not to break
lines at non-breaking spaces (it treats them as ordinary spaces otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import rich._wrap
from rich.console import Console, ConsoleOptions, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.segment import Segment
from rich.text import Text
from rich.theme import Theme

from audit.typography import NBSP, NNBSP, typeset

THEME = Theme(
    {
        "title": "bold",
        "muted": "grey50",
        "ok": "green",
        "warn": "yellow",
        "bad": "bold red",
        "accent": "cyan",
        "heading": "bold cyan",
        "success": "bold green",
    }
)

# rich splits words on `\s`, which matches non-breaking spaces; split on breakable
# whitespace only, so `clients ?` never leaves the `?` alone at the start of a line.
# (tests/test_terminal_text.py holds this against a rich upgrade.)
_BREAKABLE = " \t\n\r\x0b\x0c"
rich._wrap.re_word = re.compile(rf"[{_BREAKABLE}]*[^{_BREAKABLE}]+[{_BREAKABLE}]*")

# Control characters shown as Unicode "control pictures" (one column each, like the
# character they stand for, so layouts do not shift); C1 controls and bidirectional
# overrides, which have no picture, as the replacement character.
_VISIBLE = {code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\n\t"}
_VISIBLE[0x7F] = "\u2421"  # ␡
_VISIBLE.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_VISIBLE.update({code: "\ufffd" for code in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F))})
_VISIBLE.update({code: "\ufffd" for code in range(0x2066, 0x206A)})
_SINGLE_LINE = {**_VISIBLE, 0x0A: "\u2424"}  # ␤


def visible(text: str, *, single_line: bool = False) -> str:
    """`text` with every control character replaced by a visible symbol of the same width.

    `single_line` also shows line breaks (for a name or a cell that must stay on its line).
    """
    return text.translate(_SINGLE_LINE if single_line else _VISIBLE)


def data(value: object, *, single_line: bool = False) -> str:
    """A value from data (a file, an answer) ready to go inside rich markup."""
    return escape(visible(str(value), single_line=single_line))


# Same-length French spacing, for Text objects whose styles are tied to offsets.
_SPACE_BEFORE = re.compile(r"(?<=\S) (?=[:;!?](?:\s|$))")
_SPACE_IN_QUOTES = re.compile(r"(?<=«) | (?=»)")


def _typeset_same_length(text: str) -> str:
    text = _SPACE_BEFORE.sub(lambda m: NBSP if text[m.end()] == ":" else NNBSP, text)
    return _SPACE_IN_QUOTES.sub(NBSP, text)


class TerminalConsole(Console):
    """A rich Console that shows control characters and sets French typography."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(theme=THEME, highlight=False, emoji=False, **kwargs)
        self.language: str | None = None

    def render_str(self, text: str, **kwargs: Any) -> Text:
        text = visible(text)
        if self.language:
            text = typeset(text, self.language)
        return super().render_str(text, **kwargs)

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        if isinstance(renderable, Text):
            plain = visible(renderable.plain)
            if self.language == "fr":
                plain = _typeset_same_length(plain)
            if plain != renderable.plain:
                renderable = renderable.copy()
                renderable.plain = plain
        return super().render(renderable, options)


@cache
def console() -> TerminalConsole:
    return TerminalConsole()


@cache
def error_console() -> TerminalConsole:
    return TerminalConsole(stderr=True)


def set_language(lang: str) -> None:
    """The language of what the console prints next (French typography for `fr`)."""
    console().language = lang


def print_error(message: str) -> None:
    """`Error: <message>` on stderr; the message is shown as plain text, never as markup."""
    error_console().print(f"[bold red]Error:[/] {escape(visible(message))}", soft_wrap=True)


def indented(markup: str, indent: int) -> Padding:
    """A paragraph wrapped at the terminal's width, every line `indent` columns in
    (typeset in the console's language)."""
    lang = console().language
    text = Text.from_markup(typeset(markup, lang) if lang else markup, emoji=False)
    return Padding(text, (0, 0, 0, indent))


def colon(lang: str) -> str:
    """The colon as each language writes it (French puts a non-breaking space before)."""
    return "\u00a0:" if lang == "fr" else ":"
