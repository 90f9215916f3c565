"""The interactive questionnaire (`audit run`): one question per screen, review, finish.

The session logic (what to ask next, saving, resuming) is `audit.session.runner.Session`;
this module only shows and asks. Ctrl-C anywhere saves, prints the resume command and
returns exit code 130.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from audit.errors import AuditError
from audit.questionnaire.model import Pack, Question, QuestionType
from audit.session.answers import AnswersFile, Client, Mode, Respondent, Status
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
from audit.ui import keypress, session_view, terminal_state
from audit.ui.console import console
from audit.ui.texts import Texts

# The prompts (questionary, prompt_toolkit) are imported where they are used: the welcome
# screen shows without them while they load (`keypress`).
PROMPTS = "audit.ui.prompts"

EXIT_INTERRUPTED = 130
# Review outcomes besides "edit this question".
_CONTINUE: object = object()
_FINISH: object = object()
# Moves on a section's review pages.
_NEXT_PAGE: object = object()
_PREVIOUS_PAGE: object = object()
_BACK: object = object()


def _split_outside_brackets(text: str) -> list[str]:
    """`text` cut at commas, semicolons and line breaks that are not inside brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char in ",;\n" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [" ".join(part.split()) for part in parts if part.strip()]


def _person(part: str) -> Respondent:
    """`Name (role)` -> a respondent with a role; anything else is kept whole as the name."""
    match = re.fullmatch(r"(.*?\S)\s*\((.*)\)", part)
    if match:
        return Respondent(name=match.group(1), role=match.group(2).strip() or None)
    return Respondent(name=part)


def parse_respondents(text: str) -> list[Respondent]:
    """`M. Martin (gérant, artisan), Paul Henry` -> two respondents, the first with a role.

    Commas inside brackets belong to the role; nothing typed is dropped (a part that does
    not read as `name (role)` is kept whole as a name).
    """
    return [_person(part) for part in _split_outside_brackets(text)]


def parse_self(text: str) -> list[Respondent]:
    """`Marie Roy, directrice` (or `Marie Roy (directrice)`) -> one respondent with a role."""
    text = " ".join(text.split())
    if not text:
        return []
    if "(" in text:
        return [_person(text)]
    name, _, role = text.partition(",")
    if name.strip() and role.strip():
        return [Respondent(name=name.strip(), role=role.strip())]
    return [Respondent(name=text)]


def questionnaire_length(pack: Pack, quick: bool) -> tuple[int, int]:
    """How many questions a new session asks, and the minutes they take (before answers)."""
    mode = Mode.QUICK if quick else Mode.FULL
    empty = AnswersFile(pack=pack.id, pack_version=pack.version, client=Client(name="-"), mode=mode)
    questions = visible_questions(pack, empty)
    return len(questions), math.ceil(sum(q.seconds for q in questions) / 60)


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
            if (answers_path is None or not answers_path.exists()) and not client:
                # The title screen comes first, then the one thing it cannot show yet.
                named = resolve_pack(pack, answers_path)
                total, minutes = questionnaire_length(named, bool(quick))
                session_view.clear()
                title = texts.local(named.title)
                session_view.show_title(texts, title, None, total, minutes, bool(quick))
                from audit.ui import prompts

                ask = "client_prompt_quick" if quick else "client_prompt"
                client = prompts.ask_text(texts(ask), required=True, texts=texts)
            if answers_path is None:
                answers_path = default_answers_path(client or "")
            answers_path = _check_client(answers_path, client, texts)
            loaded = resolve_pack(pack, answers_path)  # an existing file names its pack
            lock = acquire_lock(answers_path)
            session = Session.open(
                loaded, answers_path, client=client, language=lang, quick=quick, save=False
            )  # saved once the welcome screen shows (Workshop._welcome)
            texts = Texts(session.language)
            Workshop(session, texts).run()
        except (KeyboardInterrupt, EOFError, terminal_state.Stopped) as exc:  # Ctrl-C/D, kill
            terminal_state.ignore_signals()
            terminal_state.restore(terminal)
            if session is not None:
                session.save()  # a file changed on disk raises, naming where the answers went
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
    from audit.ui import prompts

    fresh = free_answers_path(answers_path)
    message = texts("other_client", client=client, existing=existing, path=answers_path)
    options: list[tuple[str, Any, str | None]] = [
        (texts("other_client_new", path=fresh), fresh, None),
        (texts("other_client_resume", existing=existing), answers_path, None),
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
        self._section_entered: str | None = None  # the section of the last screen shown
        self._introduced_on: str | None = None  # the question showing its section's intro
        self._review_at: tuple[str, int] | None = None  # section page an edit came from

    def run(self) -> None:
        session = self.session
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

    def _welcome(self) -> None:
        """The title screen; a new session then asks who is there, on the same screen."""
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
        # The file as the session opened it (language, mode, pack version) is saved before
        # anything is asked; when resuming, once the screen shows, and the prompts load
        # while the key is awaited.
        if not session.resumed:
            session.save()
            self._ask_identity()
            keypress.press_any_key(self.texts("welcome_start"))
        else:
            continuing = self.texts("welcome_continue")
            keypress.press_any_key(continuing, meanwhile=session.save, load=PROMPTS)

    def _ask_identity(self) -> None:
        """The client's sector and the consultant's name when missing, then who answers:
        the participants of a workshop, or the one person filling in a quick assessment."""
        from audit.ui import prompts

        session, t = self.session, self.texts
        quick = session.answers.mode == Mode.QUICK
        sector = consultant = None
        if not session.answers.client.sector:
            key = "sector_prompt_quick" if quick else "sector_prompt"
            sector = prompts.ask_text(t(key), required=False, texts=t) or None
        if not quick and not session.answers.consultant:
            consultant = prompts.ask_text(t("consultant_prompt"), required=False, texts=t) or None
        if sector or consultant:
            session.set_identity(sector=sector, consultant=consultant)
        if quick:
            people = self._ask_people(
                "respondent_prompt_quick", "respondent_understood", parse_self
            )
        else:
            people = self._ask_people(
                "respondents_prompt", "respondents_understood", parse_respondents
            )
        if people:
            session.set_respondents(people)

    def _ask_people(
        self, prompt: str, heading: str, parse: Callable[[str], list[Respondent]]
    ) -> list[Respondent]:
        """Ask, show what was understood, and ask again (with the text kept) until right."""
        from audit.ui import prompts

        t, text = self.texts, ""
        while True:
            text = prompts.ask_text(t(prompt), required=False, texts=t, default=text)
            if not text:
                return []
            people = parse(text)
            session_view.show_understood(t, t(heading), [(p.name, p.role) for p in people])
            if prompts.confirm(t("respondents_confirm"), t, default=True):
                return people

    def _ask(self, question: Question, *, editing: bool) -> Question | None:
        """Ask until the question gets an answer or the user moves; return what comes next.

        When `editing` (from the review), answering or going back returns to the review.
        """
        from audit.ui import prompts
        from audit.ui.prompts import Action, Context

        session, t = self.session, self.texts
        help_shown = False
        if question.section != self._section_entered:
            # Entering a section (in order, going back, resuming, from the review): its
            # introduction is shown whole on this question's screen.
            self._section_entered = question.section
            self._introduced_on = question.id
        while True:
            note = session.note_of(question)
            answer = session.answer_of(question)
            # A typed answer is already in the input, ready to edit; any other answer (a
            # choice, "don't know"...) is said in words above the question.
            typed = question.type in (QuestionType.TEXT, QuestionType.NUMBER, QuestionType.FILE)
            current = None
            if answer is not None and answer.status != Status.SKIPPED:
                in_input = typed and answer.status == Status.ANSWERED
                current = None if in_input else session_view.readable_answer(question, answer, t)
            session_view.clear()
            progress = session.progress(question)
            intro = not help_shown and question.id == self._introduced_on
            session_view.show_header(session, progress, t, section_help=intro)
            session_view.show_notices(
                t,
                flash=self.flash,
                help_text=t.local(question.help) if help_shown else None,
                current=current,
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
                try:
                    session.set_note(question, prompts.ask_note(note, t))
                except ValueError as exc:
                    self.flash = str(exc)
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
        """The review screen; return a question to edit, _CONTINUE, or None to finish.

        After an answer is changed from a section's page, that page comes back.
        """
        from audit.ui import prompts, review_view

        session, t = self.session, self.texts
        while True:
            sections = session.review()
            if self._review_at is not None:
                section_id, page = self._review_at
                section = next((s for s in sections if s.section.id == section_id), None)
                if section is not None:
                    question = self._pick_in_section(section, page)
                    if question is not None:
                        return question
                self._review_at = None
                continue
            missing = sum(len(s.items) - s.done for s in sections)
            session_view.clear()
            review_view.show_review(session, sections, t)
            if self.flash:
                session_view.show_flash(self.flash)
                self.flash = None
            options = review_view.review_options(sections, missing, t, _CONTINUE, _FINISH)
            choice: object = prompts.choose(t("review_prompt"), options, t)
            if choice is _CONTINUE:
                return _CONTINUE
            if choice is _FINISH:
                if missing and not prompts.confirm(t("finish_missing", count=missing), t):
                    continue
                return None
            if isinstance(choice, ReviewSection):
                question = self._pick_in_section(choice, 0)
                if question is not None:
                    return question

    def _pick_in_section(self, section: ReviewSection, page: int) -> Question | None:
        """A section's questions, answers and notes, page by page; the question picked to
        change, or None for back to the review."""
        from audit.ui import prompts, review_view

        t = self.texts
        height = console().size.height
        while True:
            pages = review_view.pages(section, t, height)
            page = min(page, len(pages) - 1)
            session_view.clear()
            review_view.show_section_page(self.session, section, t, page, len(pages))
            moves = (_NEXT_PAGE, _PREVIOUS_PAGE, _BACK)
            options = review_view.page_options(pages[page], t, page, len(pages), moves)
            picked: object = prompts.choose(t("review_edit_prompt"), options, t)
            if picked is _NEXT_PAGE:
                page += 1
            elif picked is _PREVIOUS_PAGE:
                page -= 1
            elif isinstance(picked, Question):
                self._review_at = (section.section.id, page)
                return picked
            else:
                self._review_at = None
                return None
