"""What `audit run` shows: headers with progress, help, review tables, start and end screens.

Sized for a projected 80x24 terminal: short lines, one question per screen; texts are
wrapped whole, never cut (a review too long for the screen is paged).
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
from audit.session.navigation import Progress, ReviewItem
from audit.session.runner import CheckReport, Session
from audit.ui.console import console, set_language, visible
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
            return texts.local(choice.label) if choice else texts("status_invalid")
        if question.type == QuestionType.MULTIPLE:
            labels = [texts.local(c.label) for c in question.choices if c.id in (value or [])]
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
    section's introduction, whole, when `section_help` (on the section's first screen; the
    question's help takes its place when asked for: a 24-line screen has no room for both).
    """
    lang = texts.lang
    out = console()
    set_language(lang)
    client = Text(visible(session.answers.client.name, single_line=True), style="title")
    if session.answers.mode == "quick":
        client.append(f" · {texts('header_quick')}", style="muted")
    title = Text(texts.local(session.pack.title), style="accent")
    title.append(" · ")
    # On one line; when the whole does not fit, the client and the mode matter more.
    out.print(
        title + client if title.cell_len + client.cell_len <= out.width else client,
        overflow="ellipsis",
        no_wrap=True,
    )
    section = texts(
        "header_section",
        index=progress.section_index,
        count=progress.section_count,
        title=texts.local(progress.section.title),
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
        out.print(Text(texts.local(progress.section.help), style="muted"))
    out.print()


def show_notices(
    texts: Texts,
    *,
    flash: str | None = None,
    help_text: str | None = None,
    note: str | None = None,
    current: str | None = None,
) -> None:
    """What sits between the header and the prompt: a message, the help, the current
    answer in words (when a question is reopened), the note.

    One blank line closes the block, whatever it holds, to save rows on a 24-line screen.
    """
    out = console()
    if flash:
        out.print(Padding(Text(flash, style="warn"), (0, 2)))
    if help_text:
        out.print(Padding(f"[accent]{texts('help_label')} ·[/] {escape(help_text)}", (0, 2)))
    if current:
        label = texts("current_answer")
        out.print(Padding(f"[accent]{label} ·[/] {escape(visible(current))}", (0, 2)))
    if note:
        out.print(Padding(f"[warn]✎ {texts('note_label')} ·[/] {escape(note)}", (0, 2)))
    if flash or help_text or note or current:
        out.print()


def show_flash(message: str, style: str = "warn") -> None:
    console().print(Padding(Text(message, style=style), (0, 2)))
    console().print()


def show_title(
    texts: Texts, pack_title: str, client: str | None, total: int, minutes: int, quick: bool
) -> None:
    """The top of the first screen: questionnaire, client, length (before any prompt)."""
    out = console()
    set_language(texts.lang)
    out.print()
    out.print(Text(pack_title, style="heading"))
    if client:
        out.print(Text(visible(client, single_line=True), style="title"))
    out.print()
    out.print(Text(texts("welcome_new"), style="title"))
    out.print(Text(texts("welcome_questions", total=total, minutes=minutes)))
    if quick:
        out.print(Text(texts("header_quick"), style="muted"))
    out.print()


def show_welcome(session: Session, texts: Texts, total: int, answered: int, minutes: int) -> None:
    """The first screen: who, what, how long, where answers go, how to stop."""
    out = console()
    quick = session.answers.mode == "quick"
    if not session.resumed:
        title, client = texts.local(session.pack.title), session.answers.client.name
        show_title(texts, title, client, total, minutes, quick)
    else:
        set_language(texts.lang)
        out.print()
        out.print(Text(texts.local(session.pack.title), style="heading"))
        out.print(Text(visible(session.answers.client.name, single_line=True), style="title"))
        out.print()
        out.print(Text(texts("welcome_resumed"), style="title"))
        if answered >= total:
            out.print(Text(texts("welcome_complete")))
        else:
            progress = texts("welcome_progress", answered=answered, total=total, minutes=minutes)
            out.print(Text(progress))
        if quick:
            out.print(Text(texts("header_quick"), style="muted"))
        out.print()
    out.print(Text(texts("welcome_file"), style="muted"))
    out.print(Padding(Text(visible(str(session.path), single_line=True)), (0, 2)))
    if session.previous_version:
        out.print()
        old, new = session.previous_version, session.pack.version
        out.print(Text(texts("version_changed", old=old, new=new), style="warn"))
    orphans = session.orphans()
    if orphans:
        out.print(Text(texts("orphans_kept", ids=", ".join(orphans)), style="warn"))
    invalid = session.invalid()
    if invalid:
        ids = ", ".join(i.question for i in invalid)
        out.print(Text(texts("invalid_kept", ids=ids), style="warn"))
    out.print()
    out.print(Text(texts("welcome_interrupt"), style="muted"))
    out.print()


def show_understood(texts: Texts, heading: str, people: list[tuple[str, str | None]]) -> None:
    """What was read from a participants line, one person per line, before confirming."""
    out = console()
    out.print(Padding(Text(heading, style="muted"), (0, 2)))
    if not people:
        out.print(Padding(Text(texts("respondents_none")), (0, 4)))
    for name, role in people:
        shown = texts("respondent_role", name=name, role=role) if role else name
        out.print(Padding(Text("• " + visible(shown, single_line=True)), (0, 0, 0, 4)))


def show_interrupted(
    session: Session | None, texts: Texts, *, signal_name: str | None = None
) -> None:
    """After Ctrl-C (or a stop signal): where the answers are and the command that resumes."""
    out = console()
    out.print()
    if signal_name is not None:
        out.print(Text(texts("stopped_by_signal", signal=signal_name), style="warn"))
    if session is None:
        out.print(Text(texts("interrupted_nothing"), style="warn"))
        return
    out.print(Text(texts("interrupted", path=visible(str(session.path))), style="warn"))
    out.print(Text(texts("resume_with"), style="muted"))
    out.print(Text(f"  {visible(session.resume_command())}", style="accent"), soft_wrap=True)


def show_finished(session: Session, texts: Texts) -> None:
    """The end screen: where the answers are, what is left to verify, what comes next."""
    out = console()
    out.print()
    out.print(Text(texts("finished"), style="success"))
    out.print(Text(texts("finished_saved", path=visible(str(session.path)))))
    to_verify: list[ReviewItem] = []
    missing: list[ReviewItem] = []
    for section in session.review():
        for item in section.items:
            if not item.done:
                missing.append(item)
            elif item.answer is not None and item.answer.status == Status.UNKNOWN:
                to_verify.append(item)
    for key, items in (("finished_to_verify", to_verify), ("finished_missing", missing)):
        if not items:
            continue
        out.print()
        out.print(Text(texts(key, count=len(items)), style="warn"))
        bullets = Table.grid(padding=(0, 1), pad_edge=True)
        bullets.add_column(min_width=1, no_wrap=True)
        bullets.add_column(ratio=1)  # wrapped lines hang under the text, not the bullet
        for item in items:
            line = Text(texts.local(item.question.text))
            if item.answer is not None and item.answer.note:
                line.append(f" ✎ {visible(item.answer.note)}", style="muted")
            bullets.add_row("•", line)
        out.print(Padding(bullets, (0, 0, 0, 1)))
    out.print()
    out.print(Text(texts("finished_edit"), style="muted"))
    out.print(Text(f"  {visible(session.resume_command())}", style="accent"), soft_wrap=True)
    out.print(Text(texts("finished_next"), style="muted"))
    report = shlex.join(["audit", "report", str(session.path)])
    out.print(Text(f"  {visible(report)}", style="accent"), soft_wrap=True)


def show_check(report: CheckReport, texts: Texts) -> None:
    """The result of `audit run --non-interactive`: invalid, missing and orphan answers."""
    out = console()
    lang = texts.lang
    set_language(lang)
    out.print(Text(texts("check_title", path=report.path), style="title"), soft_wrap=True)
    done = report.total - len(report.missing) - len(report.invalid)
    counts = texts("check_counts", done=done, total=report.total, unknown=len(report.to_verify))
    out.print(Text(counts, style="muted"))
    if report.previous_version:
        old, new = report.previous_version, report.answers.pack_version
        out.print(Text(texts("version_changed", old=old, new=new), style="warn"))

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
            text = Text(texts.local(question.text), "muted", no_wrap=True, overflow="ellipsis")
            table.add_row(f"  · {question.id}", text)
        out.print(table)
    if report.orphans:
        out.print()
        out.print(texts("check_orphans"), style="warn")
        for qid, line in report.orphans:
            out.print(f"  · {where(line)}  {qid}", markup=False)
    if not report.invalid and not report.missing:
        out.print(texts("check_ok"), style="ok")
