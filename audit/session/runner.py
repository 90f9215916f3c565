"""A questionnaire session, independent of the terminal: open, answer, save, resume, check.

The answers file is the session's only state: every change is written to it atomically
before the next question is shown, so a crash loses at most the answer being typed, and
`audit run --answers FILE` resumes where the file stops.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit import yamlio
from audit.errors import AnswersError, AuditError, Location, UsageError
from audit.outputs import output_target
from audit.questionnaire.loader import find_pack, load_pack
from audit.questionnaire.model import Pack, Question, QuestionType
from audit.session import navigation
from audit.session.answers import (
    NAME_MAX,
    TEXT_MAX,
    Answer,
    AnswersFile,
    Client,
    Mode,
    Respondent,
    Status,
)
from audit.session.files import FileProblem, check_file_path, named_file
from audit.session.store import fingerprint, load_answers, save_answers
from audit.session.values import Invalid, check_value, invalid_answers


def client_slug(name: str) -> str:
    """A file-name-safe form of a client name: `Café Dupont & Fils` -> `cafe-dupont-fils`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:60].strip("-") or "client"


def default_answers_path(client: str, folder: Path | None = None) -> Path:
    """Where a new answers file goes when none is named: `./<client-slug>-answers.yaml`."""
    return (folder or Path()) / f"{client_slug(client)}-answers.yaml"


def free_answers_path(path: Path) -> Path:
    """A name beside `path` that no file has yet: `acme-answers.yaml` -> `acme-answers-2.yaml`."""
    number = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
        number += 1


DEFAULT_PACK = "engagement"


def resolve_pack(pack: str | None, answers_path: Path | None) -> Pack:
    """The pack named by `--pack`, else the one an existing answers file names, else the
    shipped `engagement` pack. Raises QuestionnaireError or AnswersError."""
    if pack:
        return load_pack(pack)
    if answers_path is not None and answers_path.exists():
        return load_pack(load_answers(answers_path).pack)
    return load_pack(DEFAULT_PACK)


def _line_in(path: Path, keys: list[str | int]) -> int | None:
    try:
        return yamlio.load(path).line_of(keys)
    except AuditError:
        return None


class Session:
    """One client's questionnaire: the pack, the answers file, and the answers in it."""

    def __init__(self, pack: Pack, path: Path, answers: AnswersFile, *, resumed: bool) -> None:
        self.pack = pack
        self.path = path
        self.answers = answers
        self.resumed = resumed
        self.previous_version: str | None = None
        # What the file on disk holds as far as this session knows (None: no file yet);
        # a save refuses to overwrite anything else.
        self.on_disk: str | None = None

    @classmethod
    def open(
        cls,
        pack: Pack,
        path: Path,
        *,
        client: str | None = None,
        language: str | None = None,
        quick: bool | None = None,
        save: bool = True,
    ) -> Session:
        """Resume the answers file at `path`, or create it (then `client` is required).

        `language` and `quick` override what a resumed file says when given. The file is
        written before returning unless `save` is False (the caller then calls `save()`
        before anything else changes). Raises AnswersError if the file is corrupt or
        belongs to another pack, UsageError if a new file has no client name.
        """
        if path.exists():  # a symlink to no file yet starts a new file where it points
            output_target(path, error=AnswersError, option="--answers")  # a regular file
            on_disk = fingerprint(path)
            answers = load_for_pack(pack, path)
            session = cls(pack, path, answers, resumed=True)
            session.on_disk = on_disk
            if answers.pack_version != pack.version:
                session.previous_version = answers.pack_version
                answers.pack_version = pack.version
        else:
            if not client or not client.strip():
                raise UsageError(
                    "a new answers file needs the client's name",
                    Location(file=path),
                    expected="--client NAME",
                )
            if not path.parent.is_dir():
                raise UsageError(f"the folder '{path.parent}' does not exist", Location(file=path))
            if len(client.strip()) > NAME_MAX:
                raise UsageError(
                    f"the client's name is longer than {NAME_MAX} characters",
                    expected="--client NAME",
                )
            answers = AnswersFile(
                pack=pack.id,
                pack_version=pack.version,
                client=Client(name=client.strip()),
            )
            session = cls(pack, path, answers, resumed=False)
        if language is not None:
            answers.language = language
        if quick is not None:
            answers.mode = Mode.QUICK if quick else Mode.FULL
        if save:
            session.save()
        return session

    @property
    def language(self) -> str:
        return self.answers.language

    def save(self) -> None:
        """Write the answers file atomically; raise AnswersChanged (and write the answers
        beside it) if the file changed on disk since this session read or wrote it."""
        self.on_disk = save_answers(
            self.path, self.answers, expected=self.on_disk, check_expected=True
        )

    def answer_of(self, question: Question) -> Answer | None:
        return self.answers.answers.get(question.id)

    def note_of(self, question: Question) -> str | None:
        answer = self.answer_of(question)
        return answer.note if answer else None

    def apply(self, question: Question, status: Status, value: Any = None) -> Answer:
        """Record an answer and save; raise ValueError if the value or status does not fit."""
        if status == Status.ANSWERED:
            value = check_value(question, value)
            if question.type == QuestionType.FILE:
                value = check_file_path(str(value), self.path.parent)
        else:
            value = None
        if status == Status.UNKNOWN and not question.allow_unknown:
            raise ValueError(f"'{question.id}' does not accept \"don't know\"")
        if status == Status.NOT_APPLICABLE and not question.allow_not_applicable:
            raise ValueError(f"'{question.id}' does not accept \"not applicable\"")
        previous = self.answer_of(question)
        answer = Answer(
            status=status,
            value=value,
            note=previous.note if previous else None,
            confidence=previous.confidence if previous else None,
        )
        self.answers.answers[question.id] = answer
        self.save()
        return answer

    def set_note(self, question: Question, note: str) -> None:
        """Attach a note (empty text removes it) and save at once.

        A note written before the question is answered is kept as a `skipped` answer
        carrying the note, so an interruption does not lose it.
        """
        text = note.strip() or None
        if text is not None and len(text) > TEXT_MAX:
            raise ValueError(f"a note holds at most {TEXT_MAX} characters")
        answer = self.answer_of(question)
        if answer is None:
            if text is None:
                return
            answer = self.answers.answers[question.id] = Answer(status=Status.SKIPPED)
        answer.note = text
        if answer.status == Status.SKIPPED and text is None:
            del self.answers.answers[question.id]
        self.save()

    def set_respondents(self, respondents: list[Respondent]) -> None:
        self.answers.respondents = respondents
        self.save()

    def set_identity(self, *, sector: str | None = None, consultant: str | None = None) -> None:
        """Record the client's sector and the consultant's name (None keeps them), then save."""
        if sector:
            self.answers.client.sector = sector
        if consultant:
            self.answers.consultant = consultant
        self.save()

    def attach_contacts(self, path: str) -> None:
        """Analyse a contact-list export, store it as `facts["contacts"]`, then save.

        Raises ContactsError if the list cannot be analysed.
        """
        from audit.contacts.analysis import analyse_file

        self.answers.facts["contacts"] = analyse_file(self.path.parent / path).to_dict()
        self.save()

    # Navigation, bound to this session's answers.
    def first_unanswered(self) -> Question | None:
        return navigation.first_unanswered(self.pack, self.answers)

    def next_question(self, current: Question) -> Question | None:
        return navigation.next_question(self.pack, self.answers, current.id)

    def previous_question(self, current: Question | None) -> Question | None:
        return navigation.previous_question(
            self.pack, self.answers, current.id if current else None
        )

    def progress(self, current: Question) -> navigation.Progress:
        return navigation.progress(self.pack, self.answers, current)

    def review(self) -> list[navigation.ReviewSection]:
        return navigation.review(self.pack, self.answers)

    def orphans(self) -> list[str]:
        return navigation.orphan_ids(self.pack, self.answers)

    def invalid(self) -> list[Invalid]:
        """Answers that do not fit their question (they will be asked again)."""
        return invalid_answers(self.pack, self.answers, self.path)

    def resume_command(self) -> str:
        """The exact command that resumes this session."""
        parts = ["audit", "run", "--answers", str(self.path)]
        try:
            shipped = find_pack(self.pack.id).resolve() == Path(self.pack.path).resolve()
        except AuditError:
            shipped = False
        if not shipped:
            parts += ["--pack", self.pack.path]
        return shlex.join(parts)


@dataclass
class CheckReport:
    """What a prepared answers file lacks, checked against its pack without asking anything."""

    path: Path
    answers: AnswersFile
    total: int = 0
    missing: list[Question] = field(default_factory=list)
    to_verify: list[Question] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)
    orphans: list[tuple[str, int | None]] = field(default_factory=list)
    previous_version: str | None = None

    @property
    def ok(self) -> bool:
        return not self.invalid


def load_for_pack(pack: Pack, path: Path) -> AnswersFile:
    """Load an answers file; raise AnswersError (with its line) if it is for another pack."""
    answers = load_answers(path)
    if answers.pack != pack.id:
        raise AnswersError(
            f"this answers file is for the pack '{answers.pack}', not '{pack.id}'",
            Location(file=path, line=_line_in(path, ["pack"]), field="pack"),
            expected=f"--pack {answers.pack}, or another answers file",
        )
    return answers


def _unreadable_named_files(
    pack: Pack, answers: AnswersFile, path: Path, skip: set[str]
) -> list[Invalid]:
    """File answers whose list would be read (no analysis stored yet) but cannot be."""
    if answers.facts.get("contacts") is not None:
        return []
    problems: list[Invalid] = []
    for question in pack.questions:
        answer = answers.answers.get(question.id)
        if question.type != QuestionType.FILE or question.id in skip or answer is None:
            continue
        if answer.status != Status.ANSWERED or not isinstance(answer.value, str):
            continue
        try:
            named_file(path, answer.value)
        except FileProblem as problem:
            line = _line_in(path, ["answers", question.id, "value"])
            problems.append(Invalid(question.id, line, str(problem)))
    return problems


def check_prepared(pack: Pack, path: Path, *, quick: bool | None = None) -> CheckReport:
    """Check an answers file against `pack`; raise AnswersError if it cannot be read at all."""
    if not path.exists() and not path.is_symlink():  # a symlink loop: the reader says so
        raise AnswersError("answers file not found", Location(file=path))
    answers = load_for_pack(pack, path)
    if quick is not None:
        answers.mode = Mode.QUICK if quick else Mode.FULL
    visible = navigation.visible_questions(pack, answers)
    invalid = invalid_answers(pack, answers, path)
    invalid_ids = {i.question for i in invalid}
    report = CheckReport(path=path, answers=answers, total=len(visible), invalid=invalid)
    for question in visible:
        answer = answers.answers.get(question.id)
        if question.id in invalid_ids:
            continue
        if not navigation.is_done(question, answer):
            report.missing.append(question)
        elif answer is not None and answer.status == Status.UNKNOWN:
            report.to_verify.append(question)
    report.invalid += _unreadable_named_files(pack, answers, path, invalid_ids)
    orphans = navigation.orphan_ids(pack, answers)
    if orphans:
        doc = yamlio.load(path)
        report.orphans = [(qid, doc.line_of(["answers", qid])) for qid in orphans]
    if answers.pack_version != pack.version:
        report.previous_version = answers.pack_version
    return report
