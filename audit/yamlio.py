"""YAML reading with line numbers and strict rules, and atomic writing.

Reading is `audit.yamlread` (YAML 1.2 scalars, so `no` stays the string "no"; duplicate
keys refused; the line of every node kept), re-exported here. Writing uses ruamel.yaml,
imported only when a file is written.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from audit import yamlread
from audit.errors import AuditError

# Reading lives in `audit.yamlread` (libyaml, YAML 1.2 scalars, lines kept); these names
# stay here for the modules that read and write through `yamlio`.
Document = yamlread.Document
parse = yamlread.parse
load = yamlread.load


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
    from ruamel.yaml import YAML

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
