"""The fast YAML reader (libyaml) reads what the YAML 1.2 round-trip reader read, line for line."""

from __future__ import annotations

import datetime
import math
from pathlib import Path
from typing import Any

import pytest

from audit import yamlread
from audit.errors import YamlError

# Not `from conftest import ROOT`: with tests/store/conftest.py there are two `conftest`s.
ROOT = Path(__file__).resolve().parent.parent


def _round_trip(text: str) -> yamlread.Document:
    """The reference: ruamel.yaml's YAML 1.2 round-trip parser (the reader's slow path)."""
    return yamlread._parse_yaml12(text, "ref.yaml")


def _paths(data: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


SHIPPED = sorted(
    p
    for folder in ("questionnaires", "reports", "audit", "tests")
    for p in (ROOT / folder).rglob("*.yaml")
)


def test_there_are_files_to_compare() -> None:
    assert len(SHIPPED) > 30


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_reads_the_same_data_and_lines(path: Path) -> None:
    text = path.read_text("utf-8")
    fast, reference = yamlread.parse(text, path), _round_trip(text)
    assert fast.data == reference.data
    for data_path in _paths(reference.data):
        assert fast.line_of(data_path) == reference.line_of(data_path), data_path


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("NO", "NO"),
        ("on", "on"),
        ("yes", "yes"),
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("012", 12),
        ("0o12", 10),
        ("0x1F", 31),
        ("1_000", 1000),
        ("1:20", "1:20"),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("-.inf", -math.inf),
        ("2026-11-18", datetime.date(2026, 11, 18)),
        ("'0.5'", "0.5"),
        ('"true"', "true"),
    ],
)
def test_scalars_are_yaml_12_like_the_round_trip_reader(text: str, value: Any) -> None:
    assert yamlread.parse(f"k: {text}\n").data == {"k": value}
    assert _round_trip(f"k: {text}\n").data == {"k": value}


def test_yaml_12_plain_text_libyaml_refuses_still_reads() -> None:
    # libyaml follows YAML 1.1 here; French puts a space before "?".
    text = "text: {fr: Qui sont vos clients ?, en: Who are your customers?}\n"
    assert yamlread.parse(text).data == {
        "text": {"fr": "Qui sont vos clients ?", "en": "Who are your customers?"}
    }


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, 'duplicate key "a"'),
        ("a:\n  b: 1\n  b: 2\n", 3, 'duplicate key "b"'),
        ("a:\n  - [1, 2\n", 3, "expected ',' or ']'"),
        ("a: &x [*x]\n", 1, "an anchor refers to itself"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", 3, "merge keys"),
        ("a: !!binary aGk=\n", 1, "unsupported tag"),
        ("? [a]\n: 1\n", 1, "a key must be a plain value"),
        ("a: !!bool yes\n", 1, "not a boolean"),
    ],
)
def test_what_is_refused_names_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as caught:
        yamlread.parse(text, "f.yaml")
    assert caught.value.location.line == line
    assert message in str(caught.value)


def test_an_alias_shares_its_value_and_does_not_explode() -> None:
    # A "billion laughs" document stays linear: each anchored node is built once.
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)
    ]
    doc = yamlread.parse("\n".join(lines) + "\n")
    assert doc.data["i"][0][0] is doc.data["g"]
