from __future__ import annotations

from pathlib import Path

import pytest

from audit import yamlio
from audit.errors import YamlError


def test_yaml_12_keeps_no_as_a_string() -> None:
    assert yamlio.parse("answer: no\ncountry: NO\n").data == {"answer": "no", "country": "NO"}


def test_duplicate_keys_are_refused_with_their_line() -> None:
    with pytest.raises(YamlError) as caught:
        yamlio.parse("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert caught.value.location.line == 3
    assert 'duplicate key "a"' in str(caught.value)


def test_syntax_error_names_file_and_line() -> None:
    with pytest.raises(YamlError) as caught:
        yamlio.parse("a:\n  - [1, 2\n", "f.yaml")
    assert str(caught.value).startswith("f.yaml:")


def test_line_of_a_nested_path() -> None:
    doc = yamlio.parse("top:\n  items:\n    - x: 1\n    - x: 2\n      y: 3\n")
    assert doc.line_of(["top", "items", 1, "y"]) == 5
    # A path that goes nowhere falls back to its nearest existing parent.
    assert doc.line_of(["top", "items", 1, "missing"]) == 4


def test_dump_quotes_yaml11_booleans_and_keeps_order() -> None:
    text = yamlio.dump({"z": "no", "a": "on", "m": "plain"})
    assert text.splitlines() == ["z: 'no'", "a: 'on'", "m: plain"]
    assert yamlio.parse(text).data == {"z": "no", "a": "on", "m": "plain"}


def test_write_atomic_replaces_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    yamlio.write_atomic(target, "first\n")
    yamlio.write_atomic(target, "second\n")
    assert target.read_text() == "second\n"
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]


def test_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "latin1.yaml"
    target.write_bytes("nom: Élodie\n".encode("latin-1"))
    with pytest.raises(YamlError, match="not UTF-8"):
        yamlio.load(target)


def test_write_atomic_gives_new_files_the_usual_mode_and_keeps_an_existing_one(
    tmp_path: Path,
) -> None:
    import os

    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "report.pdf"
        yamlio.write_atomic(fresh, b"%PDF")
        assert fresh.stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "answers.yaml"
        kept.write_text("a: 1\n")
        kept.chmod(0o600)
        yamlio.write_atomic(kept, "a: 2\n")
        assert kept.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)
