"""The interactive questionnaire (`audit run`): one question per screen, review, finish.

The session logic (what to ask next, saving, resuming) is `audit.session.runner.Session`;
this module only shows and asks. Ctrl-C anywhere saves, prints the resume command and
returns exit code 130.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any, cast

from audit.errors import AuditError
from audit.questionnaire.model import Question, QuestionType
from audit.session.answers import Respondent
from audit.session.lock import AnswersLock
from audit.session.lock import acquire as acquire_lock
from audit.session.navigation import ReviewSection, visible_questions
from audit.session.runner import (
    Session,
    check_prepared,
    default_answers_path,
    free_answers_path,
    resolve_pack,
)
from audit.session.store import load_answers
from audit.ui import prompts, session_view, terminal_state
from audit.ui.prompts import Action, Context
from audit.ui.texts import Texts

EXIT_INTERRUPTED = 130
# Review outcomes besides "edit this question".
_CONTINUE: object = object()
_FINISH: object = object()


def parse_respondents(text: str) -> list[Respondent]:
    """`Marie Roy (directrice), Paul Henry` -> two respondents, the first with a role."""
    people = []
    for part in text.split(","):
        match = re.fullmatch(r"([^()]+?)\s*(?:\(([^()]*)\))?", part.strip())
        if match:
            role = (match.group(2) or "").strip() or None
            people.append(Respondent(name=match.group(1), role=role))
    return people


def run_interactive(
    *,
    pack: str | None,
    answers_path: Path | None,
    client: str | None,
    lang: str | None,
    quick: bool | None,
) -> int:
    """Run the questionnaire in the terminal; return the exit code (0, or 130 on Ctrl-C/D).

    The answers file is locked for the whole session (a second `audit run` on it is
    refused). SIGTERM and SIGHUP save, restore the terminal and return 128 + the signal.
    """
    texts = Texts(lang or "fr")
    session: Session | None = None
    lock: AnswersLock | None = None
    terminal = terminal_state.save()
    with terminal_state.stop_on_signals():
        try:
            if answers_path is None or not answers_path.exists():
                client = client or prompts.ask_text(
                    texts("client_prompt"), required=True, texts=texts
                )
            if answers_path is None:
                answers_path = default_answers_path(client or "")
            answers_path = _check_client(answers_path, client, texts)
            lock = acquire_lock(answers_path)
            loaded = resolve_pack(pack, answers_path)
            session = Session.open(loaded, answers_path, client=client, language=lang, quick=quick)
            texts = Texts(session.language)
            Workshop(session, texts).run()
        except (KeyboardInterrupt, EOFError, terminal_state.Stopped) as exc:  # Ctrl-C/D, kill
            terminal_state.ignore_signals()
            if session is not None:
                session.save()
            terminal_state.restore(terminal)
            stopped = exc if isinstance(exc, terminal_state.Stopped) else None
            with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
                session_view.show_interrupted(
                    session, texts, signal_name=stopped.name if stopped else None
                )
            return stopped.exit_code if stopped else EXIT_INTERRUPTED
        finally:
            if lock is not None:
                lock.release()
    return 0


def _check_client(answers_path: Path, client: str | None, texts: Texts) -> Path:
    """The answers file to use when `--client` names a client: if the file that name leads
    to belongs to another client, say so and ask whether to resume it or start a new file."""
    if not client or not answers_path.exists():
        return answers_path
    try:
        existing = load_answers(answers_path).client.name
    except AuditError:
        return answers_path  # Session.open reports the problem with its line
    if existing.strip().casefold() == client.strip().casefold():
        return answers_path
    fresh = free_answers_path(answers_path)
    message = texts("other_client", client=client, existing=existing, path=answers_path)
    options: list[tuple[str, Any]] = [
        (texts("other_client_new", path=fresh), fresh),
        (texts("other_client_resume", existing=existing), answers_path),
    ]
    picked: Path = prompts.choose(message, options, texts)
    return picked


def run_check(*, pack: str | None, answers_path: Path, lang: str | None, quick: bool | None) -> int:
    """Check a prepared answers file without asking anything; 1 if some answers are invalid."""
    report = check_prepared(resolve_pack(pack, answers_path), answers_path, quick=quick)
    session_view.show_check(report, Texts(lang or report.answers.language))
    return 0 if report.ok else 1


class Workshop:
    """The question loop for one session."""

    def __init__(self, session: Session, texts: Texts) -> None:
        self.session = session
        self.texts = texts
        self.flash: str | None = None

    def run(self) -> None:
        session = self.session
        if not session.resumed:
            self._ask_respondents()
        self._welcome()
        current = session.first_unanswered()
        while True:
            if current is None:
                edit = self._review()
                if edit is None:
                    break
                if isinstance(edit, Question):
                    self._ask(edit, editing=True)
                else:
                    current = session.first_unanswered()
                continue
            current = self._ask(current, editing=False)
        session_view.show_finished(session, self.texts)

    def _ask_respondents(self) -> None:
        text = prompts.ask_text(self.texts("respondents_prompt"), required=False, texts=self.texts)
        people = parse_respondents(text)
        if people:
            self.session.set_respondents(people)

    def _welcome(self) -> None:
        session = self.session
        visible = visible_questions(session.pack, session.answers)
        first = session.first_unanswered()
        if first is not None:
            progress = session.progress(first)
            answered, minutes = progress.answered, progress.minutes_left
        else:
            answered, minutes = len(visible), 0
        session_view.clear()
        session_view.show_welcome(session, self.texts, len(visible), answered, minutes)
        start = "welcome_continue" if session.resumed else "welcome_start"
        prompts.press_any_key(self.texts(start))

    def _ask(self, question: Question, *, editing: bool) -> Question | None:
        """Ask until the question gets an answer or the user moves; return what comes next.

        When `editing` (from the review), answering or going back returns to the review.
        """
        session, t = self.session, self.texts
        help_shown = False
        while True:
            note = session.note_of(question)
            session_view.clear()
            progress = session.progress(question)
            session_view.show_header(session, progress, t, section_help=not help_shown)
            session_view.show_notices(
                t,
                flash=self.flash,
                help_text=question.help.get(t.lang) if help_shown else None,
                note=note,
            )
            self.flash = None
            context = Context(
                texts=t,
                answer=session.answer_of(question),
                can_go_back=editing or session.previous_question(question) is not None,
                help_shown=help_shown,
                has_note=bool(note),
                back_to_review=editing,
                answers_folder=session.path.parent,
            )
            reply = prompts.ask(question, context)
            if reply.action == Action.HELP:
                help_shown = not help_shown
            elif reply.action == Action.NOTE:
                session.set_note(question, prompts.ask_note(note, t))
            elif reply.action == Action.BACK:
                if editing:
                    return None
                previous = session.previous_question(question)
                if previous is not None:
                    return previous
                self.flash = t("no_previous")
            elif reply.status is not None:
                try:
                    session.apply(question, reply.status, reply.value)
                except ValueError as exc:
                    self.flash = str(exc)
                    continue
                if question.type == QuestionType.FILE and reply.action == Action.ANSWER:
                    self._analyse_contacts(question)
                return None if editing else session.next_question(question)

    def _analyse_contacts(self, question: Question) -> None:
        answer = self.session.answer_of(question)
        if answer is None or not isinstance(answer.value, str):
            return
        session_view.show_flash(self.texts("contacts_analysing"), style="muted")
        try:
            self.session.attach_contacts(answer.value)
        except AuditError as exc:
            self.flash = self.texts("contacts_failed", error=exc.message)
            return
        facts = self.session.answers.facts.get("contacts")
        if isinstance(facts, dict) and facts.get("rows") is not None:
            self.flash = self.texts("contacts_analysed", rows=facts["rows"])

    def _review(self) -> Question | object | None:
        """The review screen; return a question to edit, _CONTINUE, or None to finish."""
        session, t = self.session, self.texts
        while True:
            sections = session.review()
            missing = sum(len(s.items) - s.done for s in sections)
            session_view.clear()
            session_view.show_review(session, sections, t)
            if self.flash:
                session_view.show_flash(self.flash)
                self.flash = None
            options: list[tuple[str, Any]] = []
            if missing:
                options.append((t("review_continue", count=missing), _CONTINUE))
            options.append((t("review_finish"), _FINISH))
            for section in sections:
                options.append((session_view.review_section_label(section, t), section))
            choice: object = prompts.choose(t("review_prompt"), options, t)
            if choice is _CONTINUE:
                return _CONTINUE
            if choice is _FINISH:
                if missing and not prompts.confirm(t("finish_missing", count=missing), t):
                    continue
                return None
            question = self._pick_in_section(cast(ReviewSection, choice))
            if question is not None:
                return question

    def _pick_in_section(self, section: ReviewSection) -> Question | None:
        t = self.texts
        session_view.clear()
        session_view.show_section_review(self.session, section, t)
        options: list[tuple[str, Any]] = [
            (session_view.review_line(item, t), item.question) for item in section.items
        ]
        options.append((t("review_back"), None))
        picked: Question | None = prompts.choose(t("review_edit_prompt"), options, t)
        return picked
