"""One writer per answers file: an exclusive lock file next to it while a session is open.

The lock file (`.<name>.lock` beside the answers file) holds an `flock` for as long as the
session runs, so the kernel releases it when the process dies, even on `kill -9`; its text
says who holds it (host, pid, user, since when) so a refusal can name the other session.
A lock whose holder is gone is stale: it is taken over. A lock held from another machine
cannot be checked from here: the message says how to remove it if that session is over.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.errors import AnswersError, Location
from audit.session.answers import now


def lock_path(answers_path: Path) -> Path:
    """The lock file of an answers file (of the file a symlink points to)."""
    target = answers_path.resolve()
    return target.with_name(f".{target.name}.lock")


def _holder() -> dict[str, Any]:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = None
    return {"host": socket.gethostname(), "pid": os.getpid(), "user": user, "since": now()}


def _read_holder(fd: int) -> dict[str, Any]:
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        data = json.loads(os.read(fd, 4096).decode("utf-8", "replace") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _describe(holder: dict[str, Any]) -> str:
    who = f"process {holder.get('pid', '?')} on {holder.get('host', '?')}"
    if holder.get("user"):
        who += f" (user {holder['user']})"
    if holder.get("since"):
        who += f", since {holder['since']}"
    return who


class AnswersLocked(AnswersError):
    """Another session holds the answers file."""


class AnswersLock:
    """A held lock; `release()` (or leaving the `with` block) gives it back."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> AnswersLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def acquire(answers_path: Path) -> AnswersLock:
    """Take the answers file's lock, or raise AnswersLocked naming the session that has it."""
    path = lock_path(answers_path)
    for _ in range(5):  # the holder may remove its lock file between our open and our lock
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise AnswersError(
                f"cannot create the lock file: {exc.strerror}",
                Location(file=path),
                expected="a folder this user can write in",
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise AnswersLocked(
                f"another session has this answers file open ({_describe(holder)}); "
                "two sessions on one file would overwrite each other's answers",
                Location(file=answers_path),
                expected="one session per file: finish the other one first",
            ) from None
        try:
            same = os.fstat(fd).st_ino == path.stat().st_ino
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            continue
        holder = _read_holder(fd)
        if holder and holder.get("host") != socket.gethostname() and holder.get("pid"):
            # Locks may not reach across machines on a network share: believe the file.
            os.close(fd)
            raise AnswersLocked(
                f"this answers file is locked by a session on another computer "
                f"({_describe(holder)})",
                Location(file=answers_path),
                expected=f"that session to finish, or delete {path} if it is over",
            )
        # Free, or stale (its holder died: the kernel released the flock).
        payload = json.dumps(_holder()).encode("utf-8")
        os.ftruncate(fd, 0)
        os.pwrite(fd, payload, 0)
        return AnswersLock(path, fd)
    raise AnswersError("cannot take the lock file", Location(file=path))


def holder_of(answers_path: Path) -> dict[str, Any] | None:
    """Who holds the lock of an answers file, if anyone does (for messages and tests)."""
    path = lock_path(answers_path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _read_holder(fd)
    finally:
        os.close(fd)
    return None  # a lock file nobody holds is stale


@contextlib.contextmanager
def locked(answers_path: Path) -> Iterator[AnswersLock]:
    """Hold the answers file's lock for the length of the block."""
    lock = acquire(answers_path)
    try:
        yield lock
    finally:
        lock.release()
