"""Load a questionnaire pack from YAML, with every problem located by file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from audit import yamlio
from audit.errors import AuditError, Location, QuestionnaireError
from audit.questionnaire.model import Pack, PackMeta, Question, Section
from audit.resources import questionnaires_dir
from audit.schema_errors import describe


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack, where it is, and what was expected."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.location.file) if self.location.file else None,
            "line": self.location.line,
            "message": self.message,
        }


def find_pack(name_or_path: str | Path) -> Path:
    """The folder of a pack given by name (a shipped pack) or by path (folder or pack.yaml)."""
    candidate = Path(name_or_path)
    if candidate.is_file() and candidate.name == "pack.yaml":
        return candidate.parent
    if (candidate / "pack.yaml").is_file():
        return candidate
    shipped = questionnaires_dir() / str(name_or_path)
    if (shipped / "pack.yaml").is_file():
        return shipped
    available = ", ".join(sorted(p.parent.name for p in questionnaires_dir().glob("*/pack.yaml")))
    raise QuestionnaireError(
        f"no questionnaire pack '{name_or_path}'",
        Location(file=str(name_or_path)),
        expected=f"a folder holding pack.yaml, or one of: {available or 'none shipped'}",
    )


def _read(path: Path) -> tuple[yamlio.Document | None, list[Problem]]:
    try:
        return yamlio.load(path), []
    except AuditError as exc:
        return None, [Problem(exc.location, exc.message)]


def _load_section(path: Path, broken: set[str]) -> tuple[Section | None, list[Problem]]:
    """Load one section file; ids of questions that fail the schema are added to `broken`."""
    doc, problems = _read(path)
    if doc is None:
        return None, problems
    data = doc.data
    if not isinstance(data, dict):
        return None, [Problem(Location(path, 1), "a section file must be a mapping")]
    questions_data = data.get("questions")
    questions: list[Question] = []
    if isinstance(questions_data, list):
        for index, item in enumerate(questions_data):
            if isinstance(item, dict):
                item = {**item, "section": data.get("id", ""), "file": str(path)}
                item["line"] = doc.line_of(["questions", index]) or 0
            raw_id = item.get("id") if isinstance(item, dict) else None
            label = raw_id if isinstance(raw_id, str) else None
            question, errors = validate_at(Question, item, doc, ["questions", index], label=label)
            problems += errors
            if question is not None:
                questions.append(question)
            elif label is not None:
                broken.add(label)
    section_data = {**data, "questions": [], "file": str(path), "line": 1}
    section, errors = validate_at(Section, section_data, doc, [])
    problems += errors
    if section is None:
        return None, problems
    return section.model_copy(update={"questions": questions}), problems


def validate_at(
    model: type[BaseModel],
    data: Any,
    doc: yamlio.Document,
    prefix: list[str | int],
    label: str | None = None,
) -> tuple[Any, list[Problem]]:
    """Validate `data` (found at `prefix` in `doc`); name fields after `label` if given."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc, message = describe(error, prefix)
            inner = loc[len(prefix) :] if label else loc
            field = ".".join(str(p) for p in ([label] if label else []) + inner)
            problems.append(Problem(doc.location(loc, field=field), message))
        return None, problems


@dataclass
class LoadResult:
    """A pack as far as it loaded, the schema problems, and the ids of invalid questions."""

    pack: Pack | None
    problems: list[Problem]
    broken_ids: set[str]


def load_pack_with_problems(folder: Path) -> LoadResult:
    """Load the pack in `folder`, collecting every schema problem instead of stopping."""
    meta_path = folder / "pack.yaml"
    broken: set[str] = set()
    doc, problems = _read(meta_path)
    if doc is None:
        return LoadResult(None, problems, broken)
    meta, errors = validate_at(PackMeta, doc.data, doc, [])
    problems += errors
    if meta is None:
        return LoadResult(None, problems, broken)
    sections: list[Section] = []
    for index, relative in enumerate(meta.sections):
        section_path = folder / relative
        if not section_path.is_file():
            problems.append(
                Problem(
                    doc.location(["sections", index]),
                    f"section file '{relative}' not found",
                )
            )
            continue
        section, errors = _load_section(section_path, broken)
        problems += errors
        if section is not None:
            sections.append(section)
    pack = Pack(
        id=meta.id,
        version=meta.version,
        title=meta.title,
        description=meta.description,
        languages=meta.languages,
        dimensions=meta.dimensions,
        levels=meta.levels,
        sections=sections,
        path=str(folder),
    )
    return LoadResult(pack, problems, broken)


def load_pack(name_or_path: str | Path) -> Pack:
    """Load a pack and run the linter; raise QuestionnaireError listing every problem.

    A pack that loaded without a problem is kept in the pack cache (`audit.cache`); while
    its files do not change, the next load reads that instead of the YAML.
    """
    from audit import cache
    from audit.questionnaire.stored import pack_from_data, pack_to_data

    folder = find_pack(name_or_path)
    return cache.through(
        "pack",
        folder,
        lambda: _load_and_lint(folder),
        pack_to_data,
        lambda stored: pack_from_data(stored, folder),
    )


def _load_and_lint(folder: Path) -> Pack:
    from audit.questionnaire.lint import lint_pack

    result = load_pack_with_problems(folder)
    pack, problems = result.pack, result.problems
    if pack is not None:
        problems += lint_pack(pack, unchecked=result.broken_ids)
    if problems or pack is None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more: run `audit validate {folder}`)"
        raise QuestionnaireError(
            first.message + (more if len(problems) > 1 else ""), first.location
        )
    return pack
