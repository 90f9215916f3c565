"""The compiled-content cache: a pack read, checked and compiled once, then kept as data.

Reading a pack means parsing its YAML, validating it, linting it and compiling its
conditions; none of that changes while the pack's files do not. Each step that does it
(`load_pack`, `load_findings`, `load_rules`) keeps its result here as plain JSON data
(never pickled objects, never code) and uses it on the next run when nothing changed.

- Where: the folder named by the environment variable `AUDIT_CACHE_DIR` if it is set (an
  empty value turns the cache off), else the user cache folder (`platformdirs`: on Linux
  `~/.cache/audit`). Tests point it at a temporary folder.
- Keys: a SHA-256 over the tool's version, a fingerprint of its own code (so a changed
  loader never reads an entry an older one wrote), the kind of entry, and every file of
  the pack: names and bytes, all of them except the `examples/` folder. Editing, adding
  or removing any pack file changes the key; the entry is then rebuilt without a word.
- Failure is silent: a missing, unreadable or read-only cache folder, or a damaged entry,
  only means the pack is read from its YAML, as it would be without a cache. Problems in
  a pack are never cached: they are reported from the YAML, with their lines, every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

ENV_VARIABLE = "AUDIT_CACHE_DIR"
FORMAT = 1
# Entries kept at most; the oldest go first (an edited pack leaves its old entries behind).
KEEP = 64
_SKIPPED = {"examples", "__pycache__"}


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off (`AUDIT_CACHE_DIR` set but empty)."""
    configured = os.environ.get(ENV_VARIABLE)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("audit", appauthor=False))


@cache
def code_fingerprint() -> str:
    """The tool's version and the size and time of each of its source files."""
    from audit import __version__

    digest = hashlib.sha256(f"audit {__version__} format {FORMAT}".encode())
    for name, stat in _sources(str(Path(__file__).resolve().parent), ""):
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


def _sources(folder: str, prefix: str) -> Iterator[tuple[str, os.stat_result]]:
    """Every .py file below `folder` (relative name, stat), in a fixed order. (os.scandir:
    pathlib's rglob takes milliseconds here, on every start.)"""
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _sources(entry.path, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".py"):
            yield prefix + entry.name, entry.stat()


def _pack_files(folder: Path) -> list[Path]:
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED and not d.startswith("."))
        files += [Path(root) / name for name in sorted(names) if not name.startswith(".")]
    return files


def key(kind: str, folder: Path, *extra: str) -> str | None:
    """The key of `kind` for the pack in `folder` as its files are now (None: no cache).

    `extra` adds what else the entry depends on (a signature of the questions...).
    """
    if cache_dir() is None:
        return None
    digest = hashlib.sha256(f"{code_fingerprint()}\0{kind}\0".encode())
    for part in extra:
        digest.update(part.encode() + b"\0")
    try:
        for path in _pack_files(folder):
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None
    return f"{kind}-{digest.hexdigest()}"


def file_key(kind: str, name: str, content: bytes) -> str | None:
    """The key of `kind` for one file named `name` holding `content` (None: no cache)."""
    if cache_dir() is None:
        return None
    digest = hashlib.sha256(f"{code_fingerprint()}\0{kind}\0{name}\0".encode())
    digest.update(content)
    return f"{kind}-{digest.hexdigest()}"


def _entry(name: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{name}.json"


def read(name: str | None) -> Any | None:
    """The data stored under `name`, or None (no cache, no entry, or a damaged one)."""
    path = _entry(name) if name else None
    if path is None:
        return None
    try:
        stored = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT:
        return None
    if stored.get("key") != name:
        return None
    return stored.get("data")


def write(name: str | None, data: Any) -> None:
    """Store `data` (plain JSON data) under `name`; do nothing if that cannot be done."""
    path = _entry(name) if name else None
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"format": FORMAT, "key": name, "data": data}, ensure_ascii=False)
        fd, temporary = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(path.parent)
    except (OSError, TypeError, ValueError):
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


def through(
    kind: str,
    folder: Path,
    build: Callable[[], T],
    save: Callable[[T], Any],
    restore: Callable[[Any], T | None],
    *extra: str,
) -> T:
    """`build()`'s result for the pack in `folder`, from the cache when it holds one.

    `restore(data)` rebuilds a result from stored data (None: unusable, so `build` runs);
    `save(result)` makes plain data of a built one, stored only if the pack's files did not
    change while it was built. Whatever `build` raises (a problem in the pack) propagates
    and nothing is stored.
    """
    name = key(kind, folder, *extra)
    stored = read(name)
    if stored is not None:
        restored = restore(stored)
        if restored is not None:
            return restored
    result = build()
    if name is not None and key(kind, folder, *extra) == name:
        write(name, save(result))
    return result
