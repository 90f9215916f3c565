"""Where a command may write: every file the tool writes goes through `output_target`.

A target is written *through* a symlink (the link stays, the file it names changes), and
is refused when it is one of the command's own input files (`audit report A.yaml -o A.yaml`
would replace the answers with the report) or when it exists and is not a regular file (a
device, a pipe, a folder: `os.replace` would swap the device node for a plain file).
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path

from audit.errors import AuditError, Location, UsageError


def _resolve(path: Path, error: type[AuditError]) -> Path:
    try:
        return path.resolve(strict=False)
    except (RuntimeError, OSError):  # a symlink loop (RuntimeError before Python 3.13)
        raise error(
            "this path is a loop of symbolic links", Location(file=path), expected="a file path"
        ) from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def output_target(
    path: Path,
    *,
    inputs: Iterable[Path | None] = (),
    error: type[AuditError],
    option: str = "-o",
) -> Path:
    """The regular file to write for `path` (a symlink's target); raise `error` otherwise.

    `inputs` are the files the command reads: writing over one of them is refused.
    """
    if not str(path) or str(path) == ".":
        raise UsageError(f"{option} needs a file name", expected=f"{option} FILE")
    real = _resolve(path, error)
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise error(f"cannot use this path: {exc.strerror}", Location(file=path)) from None
    if mode is not None and not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        raise error(
            f"this is {kind}, not a regular file: it will not be replaced",
            Location(file=path),
            expected="the path of a file to create or replace",
        )
    for source in inputs:
        if source is None:
            continue
        if real == _resolve(source, error) or (mode is not None and _same_file(real, source)):
            raise error(
                f"this is an input file of the command ({source}): writing there would replace it",
                Location(file=path),
                expected="another file name",
            )
    if not real.parent.is_dir():
        raise error(
            "the folder of this file does not exist",
            Location(file=path),
            expected="a file in an existing folder",
        )
    return real
