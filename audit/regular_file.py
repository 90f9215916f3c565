"""Refusing, before reading, a path that is not a regular file (a folder, a pipe, a loop)."""

from __future__ import annotations

import errno
import stat
from pathlib import Path

from audit.errors import AuditError, Location


def check_regular_file(path: Path, error: type[AuditError]) -> None:
    """Raise `error` unless `path` is a regular file (or missing: the reader says so).

    A pipe or `/dev/stdin` would block the reading, a device would never end.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except RuntimeError:  # a symlink loop, before Python 3.13
        raise error("this path is a loop of symbolic links", Location(file=path)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise error("this path is a loop of symbolic links", Location(file=path)) from None
        raise error(f"cannot read file: {exc.strerror}", Location(file=path)) from None
    if stat.S_ISDIR(mode):
        raise error("this is a folder, not a file", Location(file=path), expected="a file")
    if not stat.S_ISREG(mode):
        raise error(
            "not a regular file (a pipe, a device or a socket)",
            Location(file=path),
            expected="a file on disk",
        )
