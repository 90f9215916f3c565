"""`audit batch --init-mapping EXPORT`: a first mapping, guessed from the pack's wording.

Headers are matched to the questions' fr/en texts, and each distinct cell text of a
matched column to the choices' labels, by similarity once case, accents and spacing are
folded. A match that is not exact, or close to exact, is marked `# TO CHECK` with the
score and what it was matched to, for a person to confirm before the first batch; a cell
text that matches nothing is written with no choice (`null`), which the batch refuses
until someone fills it in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from audit.batch.export import FormExport, read_export
from audit.batch.mapping import split_choices, vocabulary
from audit.batch.normalise import normalise
from audit.questionnaire.model import Pack, Question, QuestionType

SURE = 0.92  # at or above this similarity a guess is taken as right
LIKELY = 0.6  # below this nothing is proposed
CHECK = "TO CHECK"


def _tokens(folded: str) -> set[str]:
    stop = set(vocabulary()["stop_words"])
    return {w for w in re.split(r"\W+", folded) if len(w) > 2 and w not in stop}


def similarity(a: str, b: str) -> float:
    """How alike two folded texts are (0-1).

    The better of the characters' similarity and, for a text of two words or more, how
    many of its words the other holds: a form often shortens a question
    ("CRM : où en êtes-vous ?") but keeps the words that tell it apart.
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ratio = SequenceMatcher(None, a, b).ratio()
    words = _tokens(a)
    if len(words) >= 2:
        covered = len(words & _tokens(b)) / len(words)
        ratio = max(ratio, covered * (0.55 + 0.35 * min(1.0, len(words) / 5)))
    return ratio


@dataclass
class Guess:
    target: str | None
    score: float
    note: str = ""

    @property
    def sure(self) -> bool:
        return self.target is not None and self.score >= SURE


@dataclass
class ColumnGuess:
    header: str
    question: Question | None
    score: float
    choices: dict[str, Guess] = field(default_factory=dict)


def _best_question(header: str, questions: list[Question]) -> tuple[Question | None, float]:
    folded = normalise(header)
    best: tuple[Question | None, float] = (None, 0.0)
    for question in questions:
        score = max(
            similarity(folded, normalise(question.text.fr)),
            similarity(folded, normalise(question.text.en)),
            1.0 if folded == normalise(question.id) else 0.0,
        )
        if score > best[1]:
            best = (question, score)
    return best if best[1] >= LIKELY else (None, best[1])


def _labels(question: Question) -> dict[str, str]:
    """Folded label -> choice id (yes/no for yes_no questions)."""
    if question.type == QuestionType.YES_NO:
        return {"oui": "yes", "yes": "yes", "non": "no", "no": "no"}
    table: dict[str, str] = {}
    for choice in question.choices:
        for text in (choice.id, choice.label.fr, choice.label.en):
            table[normalise(text)] = choice.id
    return table


def _guess_choice(text: str, labels: dict[str, str], unknown: set[str]) -> Guess:
    folded = normalise(text)
    if folded in unknown:
        return Guess(None, 1.0, "unknown")
    best = max(labels, key=lambda label: similarity(folded, label), default="")
    score = similarity(folded, best) if best else 0.0
    if score < LIKELY:
        return Guess(None, score)
    return Guess(labels[best], score)


def _cell_texts(
    question: Question, export: FormExport, index: int, labels: dict[str, str]
) -> list[str]:
    """The distinct texts of a column (pieces of multiple-choice cells), in order seen."""
    seen: dict[str, str] = {}
    for row in export.rows:
        if row.problem is not None or index >= len(row.cells) or row.cells[index] is None:
            continue
        cell = str(row.cells[index]).strip()
        if not cell:
            continue
        pieces = [cell]
        if question.type == QuestionType.MULTIPLE:
            found, rest = split_choices(cell, {label: label for label in labels})
            pieces = [*found, *rest]
        for piece in pieces:
            seen.setdefault(normalise(piece), piece)
    return list(seen.values())


def guess_mapping(export: FormExport, pack: Pack, lang: str) -> tuple[str, int]:
    """The text of a first mapping for `export`, and how many guesses are marked to check."""
    vocab = vocabulary()
    unknown = set(vocab["unknown"])
    special: dict[str, str] = {}
    for role in ("client_name", "client_sector", "client_contact", "date", "respondent"):
        for header in export.header:
            if normalise(header) in vocab[role] and header not in special.values():
                special.setdefault(role, header)
                break
    candidates = [q for q in pack.questions if q.type != QuestionType.FILE]
    columns: list[ColumnGuess] = []
    taken: dict[str, ColumnGuess] = {}
    for index, header in enumerate(export.header):
        if not header or header in special.values():
            continue
        question, score = _best_question(header, candidates)
        guess = ColumnGuess(header, question, score)
        if question is not None:
            previous = taken.get(question.id)
            if previous is not None and previous.score >= score:
                guess.question = None
            else:
                if previous is not None:
                    previous.question = None
                taken[question.id] = guess
        columns.append(guess)
        if guess.question is not None and guess.question.type not in (
            QuestionType.TEXT,
            QuestionType.NUMBER,
        ):
            labels = _labels(guess.question)
            for text in _cell_texts(guess.question, export, index, labels):
                choice = _guess_choice(text, labels, unknown)
                if choice.note == "unknown" or (choice.sure and normalise(text) in labels):
                    continue  # read without being listed: "don't know", or the pack's own label
                guess.choices[text] = choice
    return _write(export, pack, lang, special, columns)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _write(
    export: FormExport,
    pack: Pack,
    lang: str,
    special: dict[str, str],
    columns: list[ColumnGuess],
) -> tuple[str, int]:
    checks = 0
    lines = [
        f"# Mapping of {export.path.name} to the pack '{pack.id}', guessed by",
        "# `audit batch --init-mapping`. Check every line marked TO CHECK, fill in every",
        "# null, then run: audit batch EXPORT --mapping THIS_FILE -o FOLDER",
        f"pack: {pack.id}",
        f"language: {lang}",
        "mode: quick",
        "client:",
    ]
    if "client_name" in special:
        lines.append(f"  name: {_q(special['client_name'])}")
    else:
        checks += 1
        lines.append(f'  name: ""  # {CHECK}: no company-name column found; name it')
    for role, key in (("client_sector", "sector"), ("client_contact", "contact")):
        if role in special:
            lines.append(f"  {key}: {_q(special[role])}")
    for role in ("respondent", "date"):
        if role in special:
            lines.append(f"{role}: {_q(special[role])}")
    lines.append("questions:")
    ignored: list[ColumnGuess] = []
    for column in columns:
        question = column.question
        if question is None:
            ignored.append(column)
            continue
        note = ""
        if column.score < SURE:
            checks += 1
            note = f"  # {CHECK} ({column.score:.0%} alike): {question.text.get(lang)}"
        lines.append(f"  {question.id}:{note}")
        lines.append(f"    column: {_q(column.header)}")
        if column.choices:
            lines.append("    choices:")
            for text, choice in column.choices.items():
                if choice.target is None:
                    checks += 1
                    lines.append(f"      {_q(text)}: null  # {CHECK}: matches no choice; write one")
                elif choice.sure:
                    lines.append(f"      {_q(text)}: {choice.target}")
                else:
                    checks += 1
                    lines.append(
                        f"      {_q(text)}: {choice.target}  # {CHECK} ({choice.score:.0%} alike)"
                    )
    if ignored:
        lines.append("ignore:")
        for column in ignored:
            checks += 1
            lines.append(f"  - {_q(column.header)}  # {CHECK}: matches no question")
    return "\n".join(lines) + "\n", checks


def init_mapping(export_path: Path, pack: Pack, lang: str) -> tuple[str, int]:
    """Read `export_path` and guess its mapping (see `guess_mapping`). Raises ExportError."""
    export = read_export(export_path)
    return guess_mapping(export, pack, lang)


def write_first_mapping(
    export_path: Path, target: Path | None, pack_name: str, lang: str, force: bool
) -> tuple[Path, int]:
    """`--init-mapping`: guess the mapping of `export_path` and write it (next to the
    export as `<stem>.mapping.yaml` unless `target`); return the path and the count of
    guesses to check. An existing file is kept unless `force` (raise MappingError)."""
    from audit.batch.mapping import MappingError
    from audit.errors import Location
    from audit.questionnaire.loader import load_pack
    from audit.yamlio import write_atomic

    path = (
        target if target is not None else export_path.with_name(export_path.stem + ".mapping.yaml")
    )
    if path.exists() and not force:
        raise MappingError(
            "a mapping is already there; it may hold checked answers",
            Location(file=path),
            expected="another --mapping FILE, or --force to replace it",
        )
    text, checks = init_mapping(export_path, load_pack(pack_name), lang)
    write_atomic(path, text)
    return path, checks
