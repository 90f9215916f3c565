"""Reading and writing answers files: strict on the way in, atomic on the way out.

Every save is checked: the text is read back and compared with the answers before it
replaces the file, a file changed on disk since it was read is never overwritten, and the
file's own comments are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from audit import yamlio
from audit.errors import AnswersError, Location, YamlError
from audit.outputs import output_target
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


class AnswersChanged(AnswersError):
    """The answers file changed on disk since the session read it."""


def fingerprint(path: Path) -> str | None:
    """A digest of the file's bytes (None when it does not exist): what a save compares."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AnswersError(
            f"cannot read the answers file: {exc.strerror}", Location(file=path)
        ) from None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def render_answers(answers: AnswersFile, previous: str | None = None) -> list[str]:
    """The YAML texts that may hold `answers`, best first: laid over the file's `previous`
    text when it has comments of its own (they are kept), then written afresh."""
    data = answers.to_data()
    texts = []
    if previous is not None and "#" in previous.removeprefix(HEADER):
        kept = yamlio.dump_keeping_comments(data, previous)
        if kept is not None:
            texts.append(kept)
    texts.append(HEADER + yamlio.dump(data))
    return texts


def aside_path(path: Path) -> Path:
    """Where answers go when their file cannot take them: `<stem>.unsaved-<time>.yaml`."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.unsaved-{stamp}{path.suffix or '.yaml'}")


def save_answers(
    path: Path,
    answers: AnswersFile,
    *,
    touch: bool = True,
    expected: str | None = None,
    check_expected: bool = False,
) -> str:
    """Write the answers file atomically and return the fingerprint of what was written.

    With `check_expected`, the file on disk must still be the one fingerprinted `expected`
    (None: no file yet); otherwise AnswersChanged is raised and the answers are written to
    a file beside it instead (named in the message), so neither side is lost. A symlink is
    written through; a path that is not a regular file is refused. Raises AnswersError.
    """
    target = output_target(path, error=AnswersError, option="--answers")
    if touch:
        answers.updated = now()
    if check_expected and fingerprint(target) != expected:
        aside = aside_path(target)
        _write(aside, answers, None)
        raise AnswersChanged(
            "the answers file changed on disk since this session read it (edited by hand or "
            f"by another program): it was not overwritten; this session's answers are in {aside}",
            Location(file=path),
            expected="one program writing the file at a time: compare the two files, then "
            "resume with `audit run --answers FILE`",
        )
    previous = _read_text(target)
    return _write(target, answers, previous)


def _write(target: Path, answers: AnswersFile, previous: str | None) -> str:
    *others, last = render_answers(answers, previous)
    yamlio.remove_stale_temps(target)
    data = answers.to_data()
    try:
        for text in others:  # keeping the comments, when that reads back exactly
            with contextlib.suppress(YamlError):
                yamlio.write_checked(target, text, data)
                return hashlib.sha256(text.encode("utf-8")).hexdigest()
        yamlio.write_checked(target, last, data)
    except YamlError as exc:
        raise AnswersError(exc.message, exc.location, expected=exc.expected) from None
    except OSError as exc:
        raise AnswersError(
            f"cannot write the answers file: {exc.strerror}", Location(file=target)
        ) from None
    return hashlib.sha256(last.encode("utf-8")).hexdigest()
