"""The files an answers file names (a contact list): where they may be, and that they can be read.

Kept apart from the session runner so that reading a named file (`audit diagnose`, a
report) does not load the interactive session's machinery.
"""

from __future__ import annotations

import re
from pathlib import Path


class FileProblem(ValueError):
    """A path given for a file question that cannot be used; `kind` says why."""

    def __init__(self, kind: str, path: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # empty, outside, missing, not_file or unreadable
        self.path = path


def _within(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


def check_file_path(value: str, folder: Path | None = None) -> str:
    """The file named by `value`, checked readable; raise FileProblem otherwise.

    With `folder` (the answers file's), the file must lie in that folder or below (an
    answers file must not make a report read any other local file) and the result is its
    path relative to `folder`, so the answers and their list move together. A relative
    `value` is read from the current folder, as typed in a terminal. Without `folder`, the
    result is the absolute path.
    """
    text = value.strip().strip("'\"")
    if not text:
        raise FileProblem("empty", text, "no path given")
    path = Path(text).expanduser()
    if not path.exists() and "\\" in text:
        # A file dragged into a terminal arrives shell-escaped: `my\ list.csv`.
        path = Path(re.sub(r"\\(.)", r"\1", text)).expanduser()
    if folder is not None and not _within(path, folder):
        raise FileProblem(
            "outside",
            text,
            f"'{text}' is not in the answers file's folder ({folder.resolve()}): "
            "copy the list there first",
        )
    _check_readable(path, text)
    if folder is not None:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    return str(path.resolve())


def _check_readable(path: Path, text: str) -> None:
    if not path.exists():
        raise FileProblem("missing", text, f"'{text}' does not exist")
    if not path.is_file():
        raise FileProblem("not_file", text, f"'{text}' is not a file")
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise FileProblem("unreadable", text, f"'{text}' cannot be read ({exc.strerror})") from None


def named_file(answers_path: Path, value: str) -> Path:
    """The file an answers file names (a contact list), read from the answers file's folder.

    Raise FileProblem unless it lies in that folder (or below) and can be read; the check
    of the folder comes first, so the answer never tells whether another file exists.
    """
    folder = answers_path.parent
    path = folder / value
    if not value.strip() or not _within(path, folder):
        raise FileProblem(
            "outside",
            value,
            f"the contact list '{value}' is not in the answers file's folder; only a file in "
            "that folder (or below) is read",
        )
    _check_readable(path, value)
    return path
