"""The review screens of `audit run`: sections with their counts, then each section's
questions, answers and notes written out whole (wrapped, paged to fit the screen).

Shortcut keys never reuse a key the question screens give another meaning: sections are
numbered, then lettered with letters no action uses; finishing and continuing have their
own letters (`key_finish`, `key_continue` in texts.yaml).
"""

from __future__ import annotations

import string
from typing import Any

from rich.text import Text

from audit.session.answers import Status
from audit.session.navigation import ReviewItem, ReviewSection
from audit.session.runner import Session
from audit.ui.console import console, set_language, visible
from audit.ui.prompts import Option, wrap_label
from audit.ui.session_view import readable_answer
from audit.ui.texts import Texts, all_texts

LABEL_INDENT = 6  # a choice label's continuation lines sit under its first word (after "1) ")
MAX_PER_PAGE = 9  # one digit each
# Rows a section page needs besides its items: title, section and page, blank lines, the
# prompt and its instruction, the page and back options.
PAGE_CHROME = 9


def reserved_keys(texts: Texts) -> set[str]:
    """Every key the question screens use in this language (actions, yes/no)."""
    keys = {texts(k) for k in all_texts() if k.startswith("key_")}
    return keys | {texts("yes_key"), texts("no_key")}


def section_keys(count: int, texts: Texts) -> list[str]:
    """Keys for `count` sections: 1-9, 0, then letters that mean nothing elsewhere."""
    free = [c for c in string.ascii_lowercase if c not in reserved_keys(texts)]
    keys = [*"1234567890", *free]
    return keys[:count] + [""] * max(0, count - len(keys))  # "" : arrows only


def counts(sections: list[ReviewSection]) -> tuple[int, int, int]:
    """Done, total and to-verify counts over `sections`."""
    items = [item for s in sections for item in s.items]
    unknown = sum(1 for i in items if i.answer is not None and i.answer.status == Status.UNKNOWN)
    return sum(1 for i in items if i.done), len(items), unknown


def show_review(session: Session, sections: list[ReviewSection], texts: Texts) -> None:
    """The review's heading: client and counts (the menu below lists the sections)."""
    out = console()
    set_language(texts.lang)
    done, total, unknown = counts(sections)
    client = visible(session.answers.client.name, single_line=True)
    out.print(Text(texts("review_title", client=client), style="heading"))
    out.print(Text(texts("review_counts", answered=done, total=total, unknown=unknown), "muted"))
    out.print()


def review_options(
    sections: list[ReviewSection], missing: int, texts: Texts, continue_: Any, finish: Any
) -> list[Option]:
    """The review menu: continue (when answers are missing), finish, then the sections."""
    options: list[Option] = []
    if missing:
        options.append((texts("review_continue", count=missing), continue_, texts("key_continue")))
    options.append((texts("review_finish"), finish, texts("key_finish")))
    options.append(("", None, None))
    keys = section_keys(len(sections), texts)
    for section, key in zip(sections, keys, strict=True):
        options.append((section_label(section, texts), section, key or None))
    return options


def section_label(section: ReviewSection, texts: Texts) -> str:
    """A section in the review menu: `Strategy · 5/5 · 1 to verify`, wrapped if long."""
    unknown = sum(
        1 for i in section.items if i.answer is not None and i.answer.status == Status.UNKNOWN
    )
    label = f"{texts.local(section.section.title)} · "
    label += texts("review_section_row", done=section.done, total=len(section.items))
    if unknown:
        label += f" · {unknown} {texts('status_unknown')}"
    return wrap_label(label, LABEL_INDENT)


def item_label(item: ReviewItem, texts: Texts) -> str:
    """A question, its answer and its note, whole, wrapped under the label's first column."""
    if item.done:
        answer = readable_answer(item.question, item.answer, texts)
    else:
        unsettled = item.answer is None or item.answer.status == Status.SKIPPED
        answer = texts("status_missing" if unsettled else "status_invalid")
    parts = [texts.local(item.question.text), "→ " + visible(answer)]
    if item.answer is not None and item.answer.note:
        parts.append(f"✎ {texts('note_label')} · {visible(item.answer.note)}")
    return ("\n" + " " * LABEL_INDENT).join(wrap_label(p, LABEL_INDENT) for p in parts)


def pages(section: ReviewSection, texts: Texts, height: int) -> list[list[ReviewItem]]:
    """The section's items split into pages that fit `height` rows with the menu."""
    room = max(height - PAGE_CHROME, 6)
    result: list[list[ReviewItem]] = [[]]
    used = 0
    for item in section.items:
        rows = item_label(item, texts).count("\n") + 1
        page = result[-1]
        if page and (used + rows > room or len(page) == MAX_PER_PAGE):
            result.append([])
            used = 0
        result[-1].append(item)
        used += rows
    return result


def show_section_page(
    session: Session, section: ReviewSection, texts: Texts, page: int, count: int
) -> None:
    out = console()
    set_language(texts.lang)
    client = visible(session.answers.client.name, single_line=True)
    out.print(Text(texts("review_title", client=client), style="heading"))
    title = Text(texts.local(section.section.title), style="title")
    if count > 1:
        title.append(f" · {texts('review_page', page=page + 1, pages=count)}", style="muted")
    out.print(title)
    out.print()


def page_options(
    items: list[ReviewItem],
    texts: Texts,
    page: int,
    count: int,
    moves: tuple[Any, Any, Any],
) -> list[Option]:
    """One page's menu: its answers (digits), then `moves` (next page, previous page, back
    to the review) as values for the options that are not answers."""
    next_, previous, back = moves
    options: list[Option] = [
        (item_label(item, texts), item.question, str(number))
        for number, item in enumerate(items, start=1)
    ]
    options.append(("", None, None))
    if page + 1 < count:
        options.append((texts("review_next_page"), next_, texts("key_next_page")))
    if page > 0:
        options.append((texts("review_previous_page"), previous, texts("key_previous_page")))
    options.append((texts("review_back"), back, texts("key_back")))
    return options
