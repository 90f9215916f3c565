"""What `audit run` shows: headers with progress, help, review tables, start and end screens.

Sized for a projected 80x24 terminal: short lines, one question per screen, long texts
cut to one line in tables.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from rich.markup import escape
from rich.padding import Padding
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from audit.questionnaire.model import Question, QuestionType
from audit.session.answers import Answer, Status
from audit.session.navigation import Progress, ReviewItem, ReviewSection
from audit.session.runner import CheckReport, Session
from audit.ui.console import console
from audit.ui.texts import Texts

ANSWER_WIDTH = 28


def clear() -> None:
    console().clear()


def format_number(value: float, lang: str) -> str:
    """`12500` -> `12 500` in French, `12,500` in English."""
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def readable_answer(question: Question, answer: Answer | None, texts: Texts) -> str:
    """An answer as a person reads it, in the session's language."""
    lang = texts.lang
    if answer is None:
        return texts("status_missing")
    if answer.status == Status.UNKNOWN:
        return texts("status_unknown")
    if answer.status == Status.NOT_APPLICABLE:
        return texts("status_not_applicable")
    if answer.status == Status.SKIPPED:
        return texts("status_skipped")
    value = answer.value
    try:
        if question.type in (QuestionType.SINGLE, QuestionType.SCALE):
            choice = question.choice(str(value))
            return choice.label.get(lang) if choice else texts("status_invalid")
        if question.type == QuestionType.MULTIPLE:
            labels = [c.label.get(lang) for c in question.choices if c.id in (value or [])]
            return ", ".join(labels) if labels else texts("action_none")
        if question.type == QuestionType.YES_NO:
            return texts("yes") if value is True else texts("no")
        if question.type == QuestionType.NUMBER:
            unit = f" {question.unit.get(lang)}" if question.unit else ""
            return format_number(float(value), lang) + unit
        if question.type == QuestionType.FILE:
            return Path(str(value)).name
    except (TypeError, ValueError):
        return texts("status_invalid")
    return str(value)


def short_text(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def show_header(
    session: Session, progress: Progress, texts: Texts, *, section_help: bool = True
) -> None:
    """Pack and client; section k of n; a bar with answered/total and time left; then the
    section's help on one line unless `section_help` is False (the question's help is shown
    instead, and a projected 24-line screen has no room for both)."""
    lang = texts.lang
    out = console()
    title = Text()
    title.append(session.pack.title.get(lang), style="accent")
    title.append(" · ")
    title.append(session.answers.client.name, style="title")
    if session.answers.mode == "quick":
        title.append(f" · {texts('header_quick')}", style="muted")
    out.print(title, overflow="ellipsis", no_wrap=True)
    section = texts(
        "header_section",
        index=progress.section_index,
        count=progress.section_count,
        title=progress.section.title.get(lang),
    )
    out.print(Text(section, style="title"), overflow="ellipsis", no_wrap=True)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(width=30)
    grid.add_column()
    left = (
        texts("header_minutes", minutes=progress.minutes_left)
        if progress.minutes_left
        else texts("header_done")
    )
    status = (
        f"{texts('header_progress', answered=progress.answered, total=progress.total)} · {left}"
    )
    grid.add_row(
        ProgressBar(total=max(progress.total, 1), completed=progress.answered, width=30),
        Text(status, style="muted"),
    )
    out.print(grid)
    if section_help:
        out.print(Text(short_text(progress.section.help.get(lang), 78), style="muted"))
    out.print()


def show_notices(
    texts: Texts, *, flash: str | None = None, help_text: str | None = None, note: str | None = None
) -> None:
    """What sits between the header and the prompt: a message, the help, the note.

    One blank line closes the block, whatever it holds, to save rows on a 24-line screen.
    """
    out = console()
    if flash:
        out.print(Padding(Text(flash, style="warn"), (0, 2)))
    if help_text:
        out.print(Padding(f"[accent]{texts('help_label')} ·[/] {escape(help_text)}", (0, 2)))
    if note:
        out.print(Padding(f"[warn]✎ {texts('note_label')} ·[/] {escape(note)}", (0, 2)))
    if flash or help_text or note:
        out.print()


def show_flash(message: str, style: str = "warn") -> None:
    console().print(Padding(Text(message, style=style), (0, 2)))
    console().print()


def show_welcome(session: Session, texts: Texts, total: int, answered: int, minutes: int) -> None:
    """The first screen: who, what, how long, where answers go, how to stop."""
    lang = texts.lang
    out = console()
    out.print()
    out.print(Text(session.pack.title.get(lang), style="heading"))
    out.print(Text(session.answers.client.name, style="title"))
    out.print()
    if session.resumed:
        out.print(texts("welcome_resumed"), style="title")
        if answered >= total:
            out.print(texts("welcome_complete"))
        else:
            out.print(texts("welcome_progress", answered=answered, total=total, minutes=minutes))
    else:
        out.print(texts("welcome_new"), style="title")
        out.print(texts("welcome_questions", total=total, minutes=minutes))
    if session.answers.mode == "quick":
        out.print(texts("header_quick"), style="muted")
    out.print()
    out.print(texts("welcome_file"), style="muted")
    out.print(f"  {escape(str(session.path))}", soft_wrap=True)
    if session.previous_version:
        out.print()
        old, new = session.previous_version, session.pack.version
        out.print(texts("version_changed", old=old, new=new), style="warn")
    orphans = session.orphans()
    if orphans:
        out.print(texts("orphans_kept", ids=", ".join(orphans)), style="warn", soft_wrap=True)
    invalid = session.invalid()
    if invalid:
        ids = ", ".join(i.question for i in invalid)
        out.print(texts("invalid_kept", ids=ids), style="warn", soft_wrap=True)
    out.print()
    out.print(texts("welcome_interrupt"), style="muted")
    out.print()


def show_interrupted(
    session: Session | None, texts: Texts, *, signal_name: str | None = None
) -> None:
    """After Ctrl-C (or a stop signal): where the answers are and the command that resumes."""
    out = console()
    out.print()
    if signal_name is not None:
        out.print(texts("stopped_by_signal", signal=signal_name), style="warn", markup=False)
    if session is None:
        out.print(texts("interrupted_nothing"), style="warn")
        return
    out.print(texts("interrupted", path=session.path), style="warn", soft_wrap=True)
    out.print(texts("resume_with"), style="muted")
    out.print(f"  {session.resume_command()}", style="accent", soft_wrap=True, markup=False)


def _counts(sections: list[ReviewSection]) -> tuple[int, int, int]:
    items = [item for s in sections for item in s.items]
    unknown = sum(1 for i in items if i.answer is not None and i.answer.status == Status.UNKNOWN)
    return sum(1 for i in items if i.done), len(items), unknown


def _answer_cell(item: ReviewItem, texts: Texts) -> Text:
    if not item.done:
        unsettled = item.answer is None or item.answer.status == Status.SKIPPED
        text = Text(texts("status_missing" if unsettled else "status_invalid"), style="bad")
        if item.answer is not None and item.answer.note:
            text.append(" ✎", style="warn")
        return text
    text = Text(short_text(readable_answer(item.question, item.answer, texts), ANSWER_WIDTH))
    if item.answer is not None and item.answer.status == Status.UNKNOWN:
        text.stylize("warn")
    elif item.answer is not None and item.answer.status != Status.ANSWERED:
        text.stylize("muted")
    if item.answer is not None and item.answer.note:
        text.append(" ✎", style="warn")
    return text


def _section_table(section: ReviewSection, texts: Texts) -> Table:
    table = Table(
        title=section.section.title.get(texts.lang),
        title_justify="left",
        title_style="title",
        show_header=False,
        box=None,
        padding=(0, 1),
        pad_edge=True,
    )
    table.add_column(width=45, no_wrap=True, overflow="ellipsis")
    table.add_column(width=ANSWER_WIDTH + 2, no_wrap=True, overflow="ellipsis")
    for item in section.items:
        table.add_row(short_text(item.question.text.get(texts.lang), 45), _answer_cell(item, texts))
    return table


def review_fits(sections: list[ReviewSection], height: int) -> bool:
    """Whether every answer fits on one screen along with the review's menu."""
    # Per section: its title, its rows, a blank line; then the title, counts and the menu.
    lines = sum(len(s.items) + 2 for s in sections) + 3 + len(sections) + 4
    return lines <= height


def show_review(session: Session, sections: list[ReviewSection], texts: Texts) -> None:
    """All answers by section if they fit the screen, else one line per section."""
    out = console()
    done, total, unknown = _counts(sections)
    out.print(Text(texts("review_title", client=session.answers.client.name), style="heading"))
    counts = texts("review_counts", answered=done, total=total, unknown=unknown)
    out.print(Text(counts, style="muted"))
    out.print()
    if review_fits(sections, out.size.height):
        for section in sections:
            out.print(_section_table(section, texts))
            out.print()
    # Otherwise the menu below lists the sections with their counts: one line each.


def review_section_label(section: ReviewSection, texts: Texts) -> str:
    """A section in the review menu: `Strategy ..... 5/5 · 1 to verify`."""
    title = short_text(section.section.title.get(texts.lang), 44)
    unknown = sum(
        1 for i in section.items if i.answer is not None and i.answer.status == Status.UNKNOWN
    )
    counts = texts("review_section_row", done=section.done, total=len(section.items))
    if unknown:
        counts += f" · {unknown} {texts('status_unknown')}"
    return f"{title:<44}  {counts}"


def show_section_review(session: Session, section: ReviewSection, texts: Texts) -> None:
    out = console()
    out.print(Text(texts("review_title", client=session.answers.client.name), style="heading"))
    out.print()
    out.print(Text(section.section.title.get(texts.lang), style="title"))
    out.print()


def review_line(item: ReviewItem, texts: Texts) -> str:
    """One question and its answer on one line, for the menu that picks an answer to edit."""
    question = short_text(item.question.text.get(texts.lang), 40)
    return f"{question:<40}  {_answer_cell(item, texts).plain}"


def show_finished(session: Session, texts: Texts) -> None:
    out = console()
    out.print()
    out.print(texts("finished"), style="success")
    out.print(texts("finished_saved", path=session.path), soft_wrap=True)
    out.print(texts("finished_edit"), style="muted")
    out.print(f"  {session.resume_command()}", style="accent", soft_wrap=True, markup=False)
    out.print(texts("finished_next"), style="muted")
    report = shlex.join(["audit", "report", str(session.path)])
    out.print(f"  {report}", style="accent", soft_wrap=True, markup=False)


def show_check(report: CheckReport, texts: Texts) -> None:
    """The result of `audit run --non-interactive`: invalid, missing and orphan answers."""
    out = console()
    lang = texts.lang
    out.print(texts("check_title", path=report.path), style="title", soft_wrap=True)
    done = report.total - len(report.missing) - len(report.invalid)
    counts = texts("check_counts", done=done, total=report.total, unknown=len(report.to_verify))
    out.print(counts, style="muted")
    if report.previous_version:
        old, new = report.previous_version, report.answers.pack_version
        out.print(texts("version_changed", old=old, new=new), style="warn")

    def where(line: int | None) -> str:
        return f"{report.path}:{line}" if line else str(report.path)

    if report.invalid:
        out.print()
        out.print(texts("check_invalid"), style="bad")
        for problem in report.invalid:
            out.print(
                f"  ✗ {where(problem.line)}  {problem.question}: {problem.message}",
                markup=False,
                soft_wrap=True,
            )
    if report.missing:
        out.print()
        out.print(texts("check_missing"), style="warn")
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, min_width=max(len(q.id) for q in report.missing) + 4)
        table.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        for question in report.missing:
            text = Text(question.text.get(lang), style="muted", no_wrap=True, overflow="ellipsis")
            table.add_row(f"  · {question.id}", text)
        out.print(table)
    if report.orphans:
        out.print()
        out.print(texts("check_orphans"), style="warn")
        for qid, line in report.orphans:
            out.print(f"  · {where(line)}  {qid}", markup=False)
    if not report.invalid and not report.missing:
        out.print(texts("check_ok"), style="ok")
