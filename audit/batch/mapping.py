"""The mapping file: which export column answers which question, which cell text is which choice.

```yaml
pack: engagement          # the pack the answers are for
language: fr              # language of the answers files and reports
mode: quick               # quick (a self-assessment form) or full
client:
  name: Entreprise        # header of the company-name column (required)
  sector: Secteur         # optional columns
  contact: Adresse e-mail
respondent: Nom           # optional: who answered
date: Horodateur          # optional: when the form was sent
unknown: [Je ne sais pas] # optional: more cell texts meaning "don't know"
questions:
  offer_crm:
    column: "Un CRM : où en êtes-vous ?"
    choices:              # cell text -> choice id (yes_no: yes or no)
      "Déjà équipés": has
ignore: [Commentaires]    # columns deliberately left out
```

Headers and cell texts are compared with case, accents and spacing folded. A cell that
matches no listed text is also looked up among the choice ids and the pack's own fr/en
labels, so only the texts the form words differently need listing. For `multiple`
questions a cell holds several texts (separated by `,` or `;`, as form tools write them).
Every problem in the file is an error with its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from audit import shipped, yamlio
from audit.batch.export import ExportError, FormExport
from audit.batch.normalise import normalise
from audit.errors import AnswersError, AuditError, Location
from audit.questionnaire.model import Identifier, Pack, Question, QuestionType
from audit.schema_errors import describe
from audit.session.answers import Answer, AnswersFile, Client, Mode, Respondent, Status
from audit.session.values import check_value, expected_form

VOCABULARY = Path(__file__).parent / "data" / "vocabulary.yaml"
YES_NO = {"yes": True, "no": False}
SEPARATORS = ",;\n"


class MappingError(AuditError):
    """The mapping file is invalid or does not fit its pack."""


@cache
def vocabulary() -> dict[str, list[str]]:
    """The words of `data/vocabulary.yaml`, folded."""
    data = shipped.data(VOCABULARY)
    return {key: [normalise(v) for v in values] for key, values in data.items()}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuestionColumn(_Model):
    column: str = Field(min_length=1)
    choices: dict[str, str | None] = Field(default_factory=dict)


class ClientColumns(_Model):
    name: str = Field(min_length=1)
    sector: str | None = None
    contact: str | None = None


class MappingModel(_Model):
    pack: Identifier
    language: Literal["fr", "en"] = "fr"
    mode: Mode = Mode.QUICK
    client: ClientColumns
    respondent: str | None = None
    date: str | None = None
    unknown: list[str] = Field(default_factory=list)
    questions: dict[Identifier, QuestionColumn] = Field(min_length=1)
    ignore: list[str] = Field(default_factory=list)


@dataclass
class Mapping:
    """A checked mapping: the model, its file (for line numbers) and lookup tables."""

    model: MappingModel
    doc: yamlio.Document
    path: Path
    pack: Pack
    # question id -> folded cell text -> choice id (or True/False for yes_no)
    lookups: dict[str, dict[str, Any]] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)

    def line(self, *path: str | int) -> Location:
        return self.doc.location(list(path))


def _lookup(question: Question, listed: dict[str, str | None], mapping: Mapping) -> dict[str, Any]:
    """Folded text -> value: the mapping's texts first, then choice ids and labels."""
    table: dict[str, Any] = {}
    if question.type == QuestionType.YES_NO:
        for word in ("yes", "oui", "y", "o", "true", "1", "vrai"):
            table[word] = True
        for word in ("no", "non", "n", "false", "0", "faux"):
            table[word] = False
    for choice in question.choices:
        table[normalise(choice.id)] = choice.id
        table[normalise(choice.label.fr)] = choice.id
        table[normalise(choice.label.en)] = choice.id
    for text, target in listed.items():
        where = mapping.line("questions", question.id, "choices", text)
        if target is None:
            raise MappingError(
                f"the cell text '{text}' maps to nothing (a guess left to check)",
                where,
                expected=_choice_expected(question),
            )
        if question.type == QuestionType.YES_NO:
            if target not in YES_NO:
                raise MappingError(f"'{target}' is not yes or no", where, expected="yes or no")
            table[normalise(text)] = YES_NO[target]
        elif question.choice(target) is None:
            raise MappingError(
                f"'{target}' is not a choice of '{question.id}'",
                where,
                expected=_choice_expected(question),
            )
        else:
            table[normalise(text)] = target
    return table


def _choice_expected(question: Question) -> str:
    if question.type == QuestionType.YES_NO:
        return "yes or no"
    return "one of: " + ", ".join(c.id for c in question.choices)


def load_mapping(path: Path, pack: Pack | None = None) -> Mapping:
    """Read and check a mapping file against its pack (loaded here unless given).

    Raises MappingError naming the line of any problem.
    """
    from audit.questionnaire.loader import load_pack

    doc = yamlio.load_mapping(path, MappingError, "a mapping file", "keys pack, client, questions")
    try:
        model = MappingModel.model_validate(doc.data)
    except ValidationError as exc:
        loc, message = describe(exc.errors()[0])
        raise MappingError(message, doc.location(loc)) from None
    if pack is None or pack.id != model.pack:
        try:
            pack = load_pack(model.pack)
        except AuditError as exc:
            raise MappingError(exc.message, doc.location(["pack"]), exc.expected) from None
    mapping = Mapping(model, doc, path, pack)
    columns: dict[str, str] = {}
    for qid, entry in model.questions.items():
        question = pack.question(qid)
        if question is None:
            raise MappingError(
                f"'{qid}' is not a question of the pack '{pack.id}'",
                mapping.line("questions", qid),
                expected="a question id of the pack",
            )
        if question.type == QuestionType.FILE:
            raise MappingError(
                f"'{qid}' asks for a file, which a form cell cannot hold",
                mapping.line("questions", qid),
            )
        if entry.choices and question.type in (QuestionType.TEXT, QuestionType.NUMBER):
            raise MappingError(
                f"'{qid}' is a {question.type.value} question: it has no choices",
                mapping.line("questions", qid, "choices"),
            )
        key = normalise(entry.column)
        if key in columns:
            raise MappingError(
                f"the column '{entry.column}' is already mapped to '{columns[key]}'",
                mapping.line("questions", qid, "column"),
                expected="one question per column",
            )
        columns[key] = qid
        mapping.lookups[qid] = _lookup(question, entry.choices, mapping)
    mapping.unknown = set(vocabulary()["unknown"]) | {normalise(t) for t in model.unknown}
    return mapping


@dataclass
class Columns:
    """Where the mapped columns are in one export; what is missing from it."""

    client: dict[str, int | None]
    respondent: int | None
    date: int | None
    questions: dict[str, int]
    missing: list[AuditError]


def locate_columns(mapping: Mapping, export: FormExport) -> Columns:
    """The column index of every mapped header in `export`.

    A missing question column is a problem listed in `missing` (those questions stay
    unanswered); a missing company-name column makes the export unusable (ExportError).
    """
    index = {normalise(name): i for i, name in enumerate(export.header)}
    missing: list[AuditError] = []
    model = mapping.model

    def find(header: str | None, *where: str) -> int | None:
        if header is None:
            return None
        found = index.get(normalise(header))
        if found is None:
            missing.append(
                ExportError(
                    f"the column '{header}' ({'.'.join(where)} in {mapping.path.name}, "
                    f"line {mapping.doc.line_of(list(where))}) is not in the export; "
                    "left unanswered",
                    Location(file=export.path, row=1),
                    expected="the header as the export writes it",
                )
            )
        return found

    name = index.get(normalise(model.client.name))
    if name is None:
        raise ExportError(
            f"the company-name column '{model.client.name}' is not in the export",
            Location(file=export.path, row=1),
            expected=f"a column named as client.name says in {mapping.path}"
            f":{mapping.doc.line_of(['client', 'name'])}",
        )
    questions: dict[str, int] = {}
    for qid, entry in model.questions.items():
        found = find(entry.column, "questions", qid, "column")
        if found is not None:
            questions[qid] = found
    if model.questions and not questions:  # another form's export, or another mapping
        raise ExportError(
            f"none of the {len(model.questions)} question columns of {mapping.path.name} "
            "is in the export",
            Location(file=export.path, row=1),
            expected=f"the export of the form {mapping.path.name} describes, or a mapping "
            "made for this export with `audit batch --init-mapping`",
        )
    return Columns(
        client={
            "name": name,
            "sector": find(model.client.sector, "client", "sector"),
            "contact": find(model.client.contact, "client", "contact"),
        },
        respondent=find(model.respondent, "respondent"),
        date=find(model.date, "date"),
        questions=questions,
        missing=missing,
    )


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def split_choices(cell: str, table: dict[str, Any]) -> tuple[list[Any], list[str]]:
    """The values a multiple-choice cell names, and the pieces that name none.

    Known texts are found whole first (a label may itself contain a comma), longest first;
    what remains is split on `,` and `;`. (`normalise` writes separators as " , ".)
    """
    rest = f" , {normalise(cell).replace(' ; ', ' , ')} , "
    found: list[Any] = []
    for text in sorted(table, key=len, reverse=True):
        needle = f" , {text} , "
        while needle in rest:
            rest = rest.replace(needle, " , ", 1)
            found.append(table[text])
    unknown = [p.strip() for p in rest.split(" , ") if p.strip()]
    return found, unknown


_DATE_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d.%m.%Y %H:%M",
)


def parse_date(cell: Any) -> str | None:
    """An ISO timestamp for a form's date cell, or None if it cannot be read."""
    if isinstance(cell, datetime):
        moment = cell
    elif isinstance(cell, int | float) and 20000 < cell < 80000:  # an Excel serial date
        moment = datetime(1899, 12, 30) + timedelta(days=float(cell))
    else:
        text = _text(cell)
        for suffix in (" UTC", " GMT", " CET", " CEST"):
            if suffix in text:
                text = text.split(suffix)[0]
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            for pattern in _DATE_FORMATS:
                try:
                    moment = datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
            else:
                return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.replace(microsecond=0).isoformat()


def _value(question: Question, cell: str, table: dict[str, Any]) -> Any:
    """The answer value of one cell (raise ValueError naming the text that does not fit)."""
    if question.type == QuestionType.MULTIPLE:
        values, unknown = split_choices(cell, table)
        if unknown:
            raise ValueError(f"'{unknown[0]}' is not a choice of '{question.id}'")
        return check_value(question, values)
    if question.type in (QuestionType.SINGLE, QuestionType.SCALE, QuestionType.YES_NO):
        folded = normalise(cell)
        if folded not in table:
            raise ValueError(f"'{cell}' is not a choice of '{question.id}'")
        return check_value(question, table[folded])
    return check_value(question, cell)


def row_answers(
    mapping: Mapping, columns: Columns, export: FormExport, number: int, cells: Sequence[Any]
) -> AnswersFile:
    """The answers file of one respondent's row.

    Raises AnswersError with the export, the row and the column of the first problem.
    """
    model = mapping.model
    problems: list[AnswersError] = []

    def at(index: int | None) -> str:
        return _text(cells[index]) if index is not None and index < len(cells) else ""

    def problem(message: str, index: int | None, expected: str | None = None) -> None:
        column = export.header[index] if index is not None else None
        problems.append(
            AnswersError(message, Location(file=export.path, row=number, field=column), expected)
        )

    name = at(columns.client["name"])
    if not name:
        problem("no company name", columns.client["name"], "the respondent's company")
    answers: dict[str, Answer] = {}
    for qid, index in columns.questions.items():
        cell = at(index)
        if not cell:
            continue
        question = mapping.pack.question(qid)
        assert question is not None  # checked when the mapping was loaded
        if normalise(cell) in mapping.unknown:
            if question.allow_unknown:
                answers[qid] = Answer(status=Status.UNKNOWN)
            else:
                problem(f"'{qid}' needs an answer, not \"don't know\"", index)
            continue
        try:
            answers[qid] = Answer(
                status=Status.ANSWERED, value=_value(question, cell, mapping.lookups[qid])
            )
        except ValueError as exc:
            where = mapping.doc.line_of(["questions", qid])
            problem(
                str(exc),
                index,
                f"{expected_form(question)}, or a text listed under questions.{qid}.choices "
                f"in {mapping.path.name} (line {where})",
            )
    stamp = None
    if columns.date is not None and at(columns.date):
        stamp = parse_date(cells[columns.date])
        if stamp is None:
            problem(
                f"'{at(columns.date)}' is not a date", columns.date, "a date like 20/11/2026 10:32"
            )
    if problems:
        first = problems[0]
        if len(problems) > 1:
            first.message += f" (and {len(problems) - 1} more in this row)"
        raise first
    respondent = at(columns.respondent)
    extra: dict[str, Any] = {"started": stamp, "updated": stamp} if stamp else {}
    return AnswersFile(
        pack=mapping.pack.id,
        pack_version=mapping.pack.version,
        mode=model.mode,
        client=Client(
            name=name,
            sector=at(columns.client["sector"]) or None,
            contact=at(columns.client["contact"]) or None,
        ),
        language=model.language,
        respondents=[Respondent(name=respondent)] if respondent else [],
        answers=answers,
        **extra,
    )
