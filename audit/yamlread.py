"""Reading YAML fast and strictly: libyaml's parser, YAML 1.2 scalars, every line kept.

Every file the tool reads (packs, answers files, themes, wording) goes through here. The
parser is libyaml's, through PyYAML (`CParser`; PyYAML's own pure-Python parser when
libyaml is missing), about twenty times faster than a pure-Python round-trip loader. Its
node tree is turned into plain Python data here, with rules a YAML 1.1 reader would not
apply:
- scalars resolve as YAML 1.2 does (the resolver table is ruamel.yaml's for 1.2, which
  the project used before): `no`, `on`, `NO` stay strings; only `true`/`false` (any case
  form ruamel accepts) are booleans; `012` is the number 12;
- a key twice in one mapping is an error with the line of the second one;
- merge keys (`<<`), anchors that contain themselves and tags the tool has no use for are
  errors, not surprises;
- the line of every key and sequence item is kept, so a problem found later (a schema
  error, a bad answer) still names its line.
Writing YAML is `audit.yamlio`'s business.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from audit.errors import Location, YamlError

_Parser: Any
try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - PyYAML built without libyaml

    class _PurePythonParser(
        yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)

    _Parser = _PurePythonParser

_TAG = "tag:yaml.org,2002:"


class _Resolver12(BaseResolver):
    """YAML 1.2 implicit scalar types, as ruamel.yaml resolves them for version 1.2."""


_IMPLICIT: list[tuple[str, str, list[str]]] = [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (
        "float",
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        list("-+0123456789."),
    ),
    (
        "int",
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""",
        list("-+0123456789"),
    ),
    ("merge", r"^(?:<<)$", ["<"]),
    # The empty plain scalar (`key:` with nothing after it) is null too.
    ("null", r"^(?: ~ |null|Null|NULL | )$", ["~", "n", "N", ""]),
    (
        "timestamp",
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        list("0123456789"),
    ),
]
for _kind, _pattern, _first in _IMPLICIT:
    _Resolver12.add_implicit_resolver(_TAG + _kind, re.compile(_pattern, re.X), _first)


class _Loader(_Parser, _Resolver12):  # type: ignore[misc]
    """libyaml's parser and composer with the YAML 1.2 resolver: nodes, not data."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _Resolver12.__init__(self)


class _Lines:
    """The line (1-based) of every key and item below one node."""

    __slots__ = ("children",)

    def __init__(self, children: dict[Any, tuple[int, _Lines]] | list[tuple[int, _Lines]]):
        self.children = children


_LEAF = _Lines([])


class Document:
    """A parsed YAML document: plain data plus a way to find the line of any path in it."""

    def __init__(self, path: Path | str, data: Any, lines: _Lines = _LEAF) -> None:
        self.path = path
        self.data: Any = data
        self._lines = lines

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """1-based line of the node at `path` (keys and indexes), or of its nearest parent."""
        node = self._lines
        line: int | None = 1
        for step in path:
            children = node.children
            if isinstance(children, dict):
                found = children.get(step) if not isinstance(step, int) else None
            else:
                inside = isinstance(step, int) and 0 <= step < len(children)
                found = children[step] if inside else None  # type: ignore[index]
            if found is None:
                break
            line, node = found
        return line

    def location(self, path: Sequence[str | int] = (), field: str | None = None) -> Location:
        name = field if field is not None else ".".join(str(p) for p in path) or None
        return Location(file=self.path, line=self.line_of(path), field=name)


class _Invalid(Exception):
    """A document that parses but does not make data we accept (located by `node`)."""

    def __init__(self, message: str, node: Node, expected: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = node.start_mark.line + 1
        self.expected = expected


def _number(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-").replace("_", "")
    if digits.startswith("0b"):
        return sign * int(digits[2:], 2)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if digits.startswith("0o"):
        return sign * int(digits[2:], 8)
    return sign * int(digits)


def _float(text: str) -> float:
    value = text.replace("_", "").lower()
    if value.endswith(".inf"):
        return float("-inf") if value.startswith("-") else float("inf")
    if value == ".nan":
        return float("nan")
    return float(value)


_TIMESTAMP = yaml.constructor.SafeConstructor()


def _scalar(node: ScalarNode) -> Any:
    tag, text = node.tag, node.value
    if tag == _TAG + "str":
        return text
    if tag == _TAG + "null":
        if text not in ("", "~", "null", "Null", "NULL"):
            raise _Invalid(f"'{text}' is not null", node)
        return None
    if tag == _TAG + "bool":
        if text.lower() not in ("true", "false"):
            raise _Invalid(f"'{text}' is not a boolean", node, expected="true or false")
        return text.lower() == "true"
    try:
        if tag == _TAG + "int":
            return _number(text)
        if tag == _TAG + "float":
            return _float(text)
        if tag == _TAG + "timestamp":
            return _TIMESTAMP.construct_yaml_timestamp(node)
    except (ValueError, AttributeError, TypeError):
        kind = tag.removeprefix(_TAG)
        raise _Invalid(f"'{text}' is not a valid {kind}", node) from None
    if tag == _TAG + "merge":
        raise _Invalid("merge keys (<<) are not supported", node, expected="the keys written out")
    if tag in (_TAG + "value", _TAG + "yaml"):
        return text
    raise _Invalid(f"unsupported tag {tag}", node, expected="plain values, lists and mappings")


class _Builder:
    """Turns a node tree into plain data and its line map; aliases share one value."""

    def __init__(self) -> None:
        self._done: dict[int, tuple[Any, _Lines]] = {}
        self._open: set[int] = set()

    def build(self, node: Node) -> tuple[Any, _Lines]:
        key = id(node)
        if key in self._done:
            return self._done[key]
        if isinstance(node, ScalarNode):
            return _scalar(node), _LEAF
        if key in self._open:
            raise _Invalid("an anchor refers to itself", node)
        self._open.add(key)
        result: tuple[Any, _Lines]
        if isinstance(node, SequenceNode):
            result = self._sequence(node)
        elif isinstance(node, MappingNode):
            result = self._mapping(node)
        else:  # pragma: no cover - the composer makes only these three
            raise _Invalid("unexpected node", node)
        self._open.discard(key)
        self._done[key] = result
        return result

    def _sequence(self, node: SequenceNode) -> tuple[list[Any], _Lines]:
        if node.tag != _TAG + "seq":
            raise _Invalid(f"unsupported tag {node.tag}", node, expected="a plain list")
        items: list[Any] = []
        lines: list[tuple[int, _Lines]] = []
        for child in node.value:
            value, child_lines = self.build(child)
            items.append(value)
            lines.append((child.start_mark.line + 1, child_lines))
        return items, _Lines(lines)

    def _mapping(self, node: MappingNode) -> tuple[dict[str, Any], _Lines]:
        if node.tag != _TAG + "map":
            raise _Invalid(f"unsupported tag {node.tag}", node, expected="a plain mapping")
        data: dict[str, Any] = {}
        lines: dict[Any, tuple[int, _Lines]] = {}
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Invalid("a key must be a plain value, not a list or mapping", key_node)
            key = _scalar(key_node)
            if key in seen:
                raise _Invalid(
                    f'duplicate key "{key}"',
                    key_node,
                    expected="valid YAML with each key once per mapping",
                )
            seen.add(key)
            value, child_lines = self.build(value_node)
            name = key if isinstance(key, str) else str(key)
            data[name] = value
            lines[name] = (key_node.start_mark.line + 1, child_lines)
        return data, _Lines(lines)


def parse(text: str, path: Path | str = "<text>") -> Document:
    """Parse YAML text; raise YamlError with the file and line on any problem."""
    try:
        return _parse(text, path)
    except RecursionError:
        raise YamlError(
            "cannot read YAML: nested too deeply",
            Location(file=path),
            expected="mappings and lists nested a few levels deep",
        ) from None


def _parse(text: str, path: Path | str) -> Document:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except RecursionError:
        raise YamlError("cannot read YAML: nested too deeply", Location(file=path)) from None
    except yaml.YAMLError:
        # libyaml follows YAML 1.1's grammar, stricter in places than 1.2's (a French
        # "Qui ? " inside a {flow: mapping}); the YAML 1.2 parser decides, and words the error.
        return _parse_yaml12(text, path)
    finally:
        loader.dispose()
    if root is None:
        return Document(path, None)
    try:
        data, lines = _Builder().build(root)
    except _Invalid as exc:
        raise YamlError(
            f"cannot read YAML: {exc.message}",
            Location(file=path, line=exc.line),
            expected=exc.expected,
        ) from None
    return Document(path, data, lines)


def _parse_yaml12(text: str, path: Path | str) -> Document:
    """The slow path: ruamel.yaml's pure-Python YAML 1.2 parser (imported only here)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    reader = YAML(typ="rt")
    reader.allow_duplicate_keys = False
    try:
        root = reader.load(text)
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
    except RecursionError:
        raise YamlError("cannot read YAML: nested too deeply", Location(file=path)) from None
    data, lines = _from_round_trip(root)
    return Document(path, data, lines)


def _from_round_trip(node: Any) -> tuple[Any, _Lines]:
    """Plain data and line map from ruamel.yaml's round-trip nodes (same as `_Builder`)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        data: dict[str, Any] = {}
        children: dict[Any, tuple[int, _Lines]] = {}
        for key, value in node.items():
            name = str(key)
            data[name], sub = _from_round_trip(value)
            children[name] = (node.lc.key(key)[0] + 1, sub)
        return data, _Lines(children)
    if isinstance(node, CommentedSeq):
        items: list[Any] = []
        entries: list[tuple[int, _Lines]] = []
        for index, value in enumerate(node):
            item, sub = _from_round_trip(value)
            items.append(item)
            entries.append((node.lc.item(index)[0] + 1, sub))
        return items, _Lines(entries)
    if isinstance(node, bool) or node is None:
        return node, _LEAF
    if isinstance(node, int):
        return int(node), _LEAF
    if isinstance(node, float):
        return float(node), _LEAF
    if isinstance(node, str):
        return str(node), _LEAF
    if hasattr(node, "value") and isinstance(node.value, str):  # `=`: a tagged scalar
        return node.value, _LEAF
    return node, _LEAF


def plain_from_round_trip(node: Any) -> Any:
    """Plain data from ruamel.yaml's round-trip nodes."""
    return _from_round_trip(node)[0]


def read_text(path: Path) -> str:
    """The UTF-8 text of a YAML file; unreadable files and bad encodings are YamlError."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlError("file not found", Location(file=path)) from None
    except UnicodeDecodeError as exc:
        raise YamlError(
            f"not UTF-8 text (byte {exc.start})", Location(file=path), expected="a UTF-8 file"
        ) from None
    except OSError as exc:
        raise YamlError(f"cannot read file: {exc.strerror}", Location(file=path)) from None


def load(path: Path) -> Document:
    """Read and parse a YAML file (see `parse`)."""
    return parse(read_text(path), path)
