"""YAML reading with line numbers and strict rules, and atomic writing.

Reading is `audit.yamlread` (YAML 1.2 scalars, so `no` stays the string "no"; duplicate
keys refused; the line of every node kept), re-exported here. Writing uses ruamel.yaml,
imported only when a file is written.
"""

from __future__ import annotations

import contextlib
import glob
import io
import math
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audit import yamlread
from audit.errors import AuditError
from audit.regular_file import check_regular_file

if TYPE_CHECKING:
    from ruamel.yaml import YAML

from audit.errors import Location, YamlError

# Reading lives in `audit.yamlread` (libyaml, YAML 1.2 scalars, lines kept); these names
# stay here for the modules that read and write through `yamlio`.
Document = yamlread.Document
parse = yamlread.parse


def load(path: Path, *, aliases: bool = True, max_bytes: int | None = None) -> Document:
    """Read and parse a YAML file; a pipe, a device or a folder is refused before reading.

    `max_bytes` refuses a larger file before reading it; with `aliases=False`, anchors and
    aliases are refused (see `yamlread.parse`).
    """
    check_regular_file(path, YamlError)
    if max_bytes is not None:
        with contextlib.suppress(OSError):
            size = path.stat().st_size
            if size > max_bytes:
                raise YamlError(
                    f"the file is too large ({size // 1024} KB)",
                    Location(file=path),
                    expected=f"at most {max_bytes // 1024} KB",
                )
    return yamlread.load(path, aliases=aliases)


# Strings that a YAML 1.1 reader (PyYAML) would turn into booleans or null: quote them so
# the files we write mean the same thing to every reader.
_AMBIGUOUS = {"yes", "no", "y", "n", "on", "off", "true", "false", "null", "~", ""}


def _represent_str(representer: Any, value: str) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:str", value, style=scalar_style(value))


# An answers file or a theme: a full workshop with a stored contact analysis is a few tens
# of KB; anything near this is not one, and reading it would take minutes.
MAX_MAPPING_BYTES = 2 * 1024 * 1024


def load_mapping(path: Path, error: type[AuditError], what: str, expected: str) -> Document:
    """Read a YAML file whose top level must be a mapping; every problem raises `error`.

    `what` names the file for people ("an answers file"); `expected` says what belongs in it.
    Such files (answers files, themes) come from people: no anchors or aliases (a few lines
    of them can stand for billions of values), and at most MAX_MAPPING_BYTES.
    """
    try:
        doc = load(path, aliases=False, max_bytes=MAX_MAPPING_BYTES)
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


def write_atomic(
    path: Path, content: str | bytes, *, verify: Callable[[str], None] | None = None
) -> None:
    """Write `content` to `path` so that a crash leaves either the old file or the new one.

    The temporary file lives in the same folder (same file system) and is fsynced before
    `os.replace`, then the folder is fsynced so the rename itself survives a power cut.
    `verify`, when given, reads the temporary file's text before the rename and may raise
    to keep the old file.
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
        if verify is not None:
            verify(Path(tmp_name).read_text(encoding="utf-8"))
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


# --- Writing: every string comes back exactly as it was written ---------------------------


# Characters a plain or quoted scalar may hold as they are: everything printable, and the
# spaces of typography (no-break, narrow no-break). Line and paragraph separators (U+0085,
# U+2028, U+2029), carriage returns, other control and format characters are escaped in a
# double-quoted scalar instead, since a YAML reader normalises or refuses them.
def _safe_char(char: str) -> bool:
    return char.isprintable() or (char != "\t" and unicodedata.category(char) == "Zs")


# What a plain (unquoted) scalar must not contain, in block or flow context (answers are
# written as inline `{status: ..., value: ...}` mappings, where `,[]{}` end a scalar).
_PLAIN_FORBIDDEN = re.compile(r": |:$| #|[,\[\]{}]")


def scalar_style(value: str) -> str | None:
    """The YAML style that writes `value` so that it reads back unchanged.

    None (plain) only for text that starts with a letter and holds nothing a YAML 1.1 or
    1.2 reader could take for syntax or another type; `|` for multi-line text made of
    ordinary lines; `'` for other single-line printable text; `"` (with escapes) for the
    rest, which keeps control characters, `\\r` and Unicode line separators exactly.
    """
    if not value:
        return "'"
    printable = all(_safe_char(c) for c in value if c != "\n")
    if not printable:
        return '"'
    if "\n" in value:
        lines = value.split("\n")
        ordinary = all(line == line.strip(" ") and "\t" not in line for line in lines)
        return "|" if ordinary and lines[0] and value.strip() else '"'
    if (
        value[0].isalpha()
        and value == value.strip()
        and "\t" not in value
        and value.lower() not in _AMBIGUOUS
        and not _PLAIN_FORBIDDEN.search(value)
    ):
        return None
    return "'"


def _same(a: Any, b: Any) -> bool:
    """Deep equality where NaN equals NaN (a float the writer keeps as `.nan`)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def first_difference(expected: Any, found: Any, path: tuple[str | int, ...] = ()) -> str | None:
    """The dotted path of the first place where `found` differs from `expected`, or None."""
    if _same(expected, found):
        return None
    if isinstance(expected, dict) and isinstance(found, dict):
        for key in expected:
            if key not in found:
                return ".".join(str(p) for p in (*path, key))
            deeper = first_difference(expected[key], found[key], (*path, key))
            if deeper:
                return deeper
    if isinstance(expected, list) and isinstance(found, list) and len(expected) == len(found):
        for index, (x, y) in enumerate(zip(expected, found, strict=True)):
            deeper = first_difference(x, y, (*path, index))
            if deeper:
                return deeper
    return ".".join(str(p) for p in path) or "(the whole document)"


def check_round_trip(text: str, expected: Any, path: Path | str = "<text>") -> None:
    """Raise YamlError naming the field if `text` does not read back as `expected`."""
    from ruamel.yaml.error import YAMLError

    try:
        found = _checking_reader().load(text)
    except YAMLError as exc:
        raise YamlError(
            f"the file written would not read back ({exc})",
            Location(file=path),
            expected="text without control characters",
        ) from None
    where = first_difference(expected, found)
    if where is not None:
        raise YamlError(
            "this text cannot be saved exactly as typed",
            Location(file=path, field=where),
            expected="text without control characters",
        )


def _checking_reader() -> YAML:
    """The plain-data YAML 1.2 reader used to check what was written (faster than `parse`,
    same meaning)."""
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True)


def write_checked(path: Path, text: str, expected: Any) -> None:
    """Write YAML `text` atomically, after checking that it reads back as `expected`.

    The temporary file is read back from disk and compared before it replaces `path`, so
    a value the writer cannot keep exactly raises YamlError and the old file stays.
    """
    write_atomic(path, text, verify=lambda written: check_round_trip(written, expected, path))


def remove_stale_temps(path: Path, older_than: float = 0.0) -> list[Path]:
    """Delete temporary files a killed `write_atomic` left beside `path`; return them.

    Only `.<name>.*.tmp` files of this very target are touched, and only those last
    modified more than `older_than` seconds ago (another writer may be busy with a new one).
    """
    folder = path.parent if str(path.parent) else Path()
    removed: list[Path] = []
    limit = time.time() - older_than
    try:
        candidates = list(folder.glob(f".{glob.escape(path.name)}.*.tmp"))
    except OSError:
        return removed
    for candidate in candidates:
        with contextlib.suppress(OSError):
            if candidate.is_file() and candidate.lstat().st_mtime <= limit:
                candidate.unlink()
                removed.append(candidate)
    return removed


def _round_trip_yaml() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.preserve_quotes = True  # lines nobody changed are written back as they were
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(str, _represent_str)
    return yaml


def _node_for(value: Any) -> Any:
    """A new value as round-trip nodes: leaf mappings and lists written inline, as `dump` does."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        node = CommentedMap((k, _node_for(v)) for k, v in value.items())
        if all(_inline(v) for v in value.values()):
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_node_for(v) for v in value)
        if all(_inline(v) and not isinstance(v, list) for v in value):
            seq.fa.set_flow_style()
        else:
            seq.fa.set_block_style()
        return seq
    return value


def _inline(value: Any) -> bool:
    if isinstance(value, str):
        return scalar_style(value) != "|"
    if isinstance(value, list):
        return all(_inline(v) and not isinstance(v, (list, dict)) for v in value)
    return not isinstance(value, dict)


def _plain(node: Any) -> Any:
    """Plain data from round-trip nodes (what `yamlread` would have read)."""
    return yamlread.plain_from_round_trip(node)


def _merge(node: Any, value: Any) -> Any:
    """`value` written over the round-trip `node`: unchanged parts keep their nodes (and
    so their comments and layout), mappings are updated in place, the rest is replaced."""
    from ruamel.yaml.comments import CommentedMap

    if _same(_plain(node), value):
        return node
    if isinstance(node, CommentedMap) and isinstance(value, dict):
        for key in [k for k in node if k not in value]:
            del node[key]
        for key, item in value.items():
            node[key] = _merge(node[key], item) if key in node else _node_for(item)
        return node
    return _node_for(value)


def dump_keeping_comments(data: dict[str, Any], previous: str) -> str | None:
    """`data` as YAML laid over the `previous` text of the file, keeping its comments.

    Returns None when the previous text does not parse as a mapping. The caller checks that
    the result reads back as `data` (`write_checked`) and otherwise writes `dump(data)`.
    """
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    yaml = _round_trip_yaml()
    try:
        root = yaml.load(previous)
    except YAMLError:
        return None
    if not isinstance(root, CommentedMap):
        return None
    merged = _merge(root, data)
    buffer = io.StringIO()
    try:
        yaml.dump(merged, buffer)
    except YAMLError:
        return None
    return buffer.getvalue()
