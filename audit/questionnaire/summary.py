"""A pack's vital statistics, as `audit validate` reports them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.errors import AuditError
from audit.questionnaire.lint import lint_pack
from audit.questionnaire.loader import Problem, find_pack, load_pack_with_problems
from audit.questionnaire.model import Pack


@dataclass
class PackReport:
    id: str
    path: str
    questions: int = 0
    quick_questions: int = 0
    sections: int = 0
    dimensions: int = 0
    languages: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pack: Pack | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "questions": self.questions,
            "quick_questions": self.quick_questions,
            "sections": self.sections,
            "dimensions": self.dimensions,
            "languages": self.languages,
            "problems": [p.as_dict() for p in self.problems],
        }


def validate_pack(name_or_path: str | Path) -> PackReport:
    """Load and lint one pack; never raises for problems inside the pack."""
    try:
        folder = find_pack(name_or_path)
    except AuditError as exc:
        return PackReport(
            id=str(name_or_path),
            path=str(name_or_path),
            problems=[Problem(exc.location, str(exc.message))],
        )
    result = load_pack_with_problems(folder)
    pack = result.pack
    if pack is None:
        return PackReport(id=folder.name, path=str(folder), problems=result.problems)
    problems = result.problems + lint_pack(pack, unchecked=result.broken_ids)
    return PackReport(
        id=pack.id,
        path=str(folder),
        questions=len(pack.questions),
        quick_questions=len(pack.quick_questions()),
        sections=len(pack.sections),
        dimensions=len(pack.dimensions),
        languages=list(pack.languages),
        problems=problems,
        pack=pack,
    )
