"""Reading and writing answers files: strict on the way in, atomic on the way out."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from audit import yamlio
from audit.errors import AnswersError
from audit.schema_errors import describe
from audit.session.answers import AnswersFile, now

HEADER = (
    "# audit answers file: written after every answer. It is safe to edit by hand;\n"
    "# `audit run --answers THIS_FILE` resumes the questionnaire.\n"
)


def load_answers(path: Path) -> AnswersFile:
    """Load an answers file; raise AnswersError naming the line and field of any problem."""
    doc = yamlio.load_mapping(
        path, AnswersError, "an answers file", "keys pack, pack_version, client, answers..."
    )
    try:
        return AnswersFile.model_validate(doc.data)
    except ValidationError as exc:
        loc, message = describe(exc.errors()[0])
        more = len(exc.errors()) - 1
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise AnswersError(message, doc.location(loc)) from None


def save_answers(path: Path, answers: AnswersFile, *, touch: bool = True) -> None:
    """Write the answers file atomically (temp file, fsync, rename)."""
    if touch:
        answers.updated = now()
    yamlio.write_atomic(path, HEADER + yamlio.dump(answers.to_data()))
