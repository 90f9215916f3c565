"""YAML reading with line numbers and strict rules, and atomic writing.

ruamel.yaml reads YAML 1.2 (so `no` stays the string "no", unlike PyYAML's YAML 1.1) and
refuses duplicate keys. We keep the round-trip nodes only to map a data path back to a
line; callers get plain Python data.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from audit.errors import AuditError, Location, YamlError


class Document:
    """A parsed YAML document: plain data plus a way to find the line of any path in it."""

    def __init__(self, path: Path | str, root: Any) -> None:
        self.path = path
        self._root = root
        self.data: Any = _plain(root)

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """1-based line of the node at `path` (keys and indexes), or of its nearest parent."""
        node = self._root
        line: int | None = 1
        for step in path:
            if isinstance(node, CommentedMap) and step in node:
                with contextlib.suppress(KeyError, TypeError, AttributeError):
                    line = node.lc.key(step)[0] + 1
                node = node[step]
            elif isinstance(node, CommentedSeq) and isinstance(step, int) and 0 <= step < len(node):
                with contextlib.suppress(KeyError, TypeError, AttributeError):
                    line = node.lc.item(step)[0] + 1
                node = node[step]
            else:
                break
        return line

    def location(self, path: Sequence[str | int] = (), field: str | None = None) -> Location:
        name = field if field is not None else ".".join(str(p) for p in path) or None
        return Location(file=self.path, line=self.line_of(path), field=name)


def _plain(node: Any) -> Any:
    if isinstance(node, CommentedMap):
        return {str(k) if not isinstance(k, str) else k: _plain(v) for k, v in node.items()}
    if isinstance(node, CommentedSeq):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def _reader() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def parse(text: str, path: Path | str = "<text>") -> Document:
    """Parse YAML text; raise YamlError with the file and line on any problem."""
    try:
        root = _reader().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in problem:
            problem = problem.split(" with value")[0].replace("found duplicate", "duplicate")
        raise YamlError(
            f"cannot read YAML: {problem}",
            Location(file=path, line=line),
            expected="valid YAML with each key once per mapping",
        ) from None
    except YAMLError as exc:
        raise YamlError(f"cannot read YAML: {exc}", Location(file=path)) from None
    return Document(path, root)


def load(path: Path) -> Document:
    """Read and parse a YAML file; unreadable files and bad encodings are YamlError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlError("file not found", Location(file=path)) from None
    except UnicodeDecodeError as exc:
        raise YamlError(
            f"not UTF-8 text (byte {exc.start})", Location(file=path), expected="a UTF-8 file"
        ) from None
    except OSError as exc:
        raise YamlError(f"cannot read file: {exc.strerror}", Location(file=path)) from None
    return parse(text, path)


# Strings that a YAML 1.1 reader (PyYAML) would turn into booleans or null: quote them so
# the files we write mean the same thing to every reader.
_AMBIGUOUS = {"yes", "no", "y", "n", "on", "off", "true", "false", "null", "~", ""}


def _represent_str(representer: Any, value: str) -> Any:
    style = "'" if value.lower() in _AMBIGUOUS else None
    if "\n" in value:
        style = "|"
    return representer.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def load_mapping(path: Path, error: type[AuditError], what: str, expected: str) -> Document:
    """Read a YAML file whose top level must be a mapping; every problem raises `error`.

    `what` names the file for people ("an answers file"); `expected` says what belongs in it.
    """
    try:
        doc = load(path)
    except AuditError as exc:
        raise error(exc.message, exc.location, expected=exc.expected) from None
    if not isinstance(doc.data, dict):
        raise error(f"{what} must be a mapping", doc.location([]), expected=expected)
    return doc


def dump(data: Any) -> str:
    """Serialise plain data as block-style YAML 1.2, keys in insertion order."""
    yaml = YAML(typ="safe", pure=True)
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.representer.add_representer(str, _represent_str)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 100
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _target_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` to `path` so that a crash leaves either the old file or the new one.

    The temporary file lives in the same folder (same file system) and is fsynced before
    `os.replace`, then the folder is fsynced so the rename itself survives a power cut.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path()
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp creates the file readable by its owner only: give it the mode the file
        # already had, or the one a plain open() would have given (0666 less the umask).
        os.fchmod(fd, _target_mode(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp_name).replace(path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
