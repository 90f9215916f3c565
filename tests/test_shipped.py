"""The YAML files shipped with the tool are parsed once, then read from the content cache."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from audit import cache, shipped, yamlread
from audit.errors import YamlError


def test_a_second_read_parses_no_yaml_and_gives_the_same_data(
    cache_folder: Path, parsed: list[str]
) -> None:
    readings = files("audit.contacts") / "data" / "readings.yaml"
    first = shipped.data(readings)
    assert parsed == [str(readings)]
    second = shipped.data(readings)
    assert parsed == [str(readings)]  # from the cache
    assert second == first == yamlread.load(Path(str(readings))).data
    assert list(cache_folder.glob("shipped-*.json"))


def test_an_edited_file_is_read_again(
    cache_folder: Path, tmp_path: Path, parsed: list[str]
) -> None:
    texts = tmp_path / "texts.yaml"
    texts.write_text("hello: {fr: Bonjour, en: Hello}\n", encoding="utf-8")
    assert shipped.data(texts) == {"hello": {"fr": "Bonjour", "en": "Hello"}}
    texts.write_text("hello: {fr: Salut, en: Hi}\n", encoding="utf-8")
    assert shipped.data(texts) == {"hello": {"fr": "Salut", "en": "Hi"}}
    assert len(parsed) == 2


def test_data_json_would_not_give_back_is_not_cached(
    cache_folder: Path, tmp_path: Path, parsed: list[str]
) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text("ratio: .nan\n", encoding="utf-8")  # not equal to itself once reloaded
    for _ in range(2):
        assert math.isnan(shipped.data(odd)["ratio"])
    assert len(parsed) == 2  # read from the YAML both times
    assert not list(cache_folder.glob("shipped-*.json"))


def test_a_broken_file_is_reported_with_its_line_and_not_cached(
    cache_folder: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: 1\na: 2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(YamlError) as raised:
            shipped.data(broken)
        assert raised.value.location.line == 2
    assert not list(cache_folder.glob("shipped-*.json"))


def test_without_a_cache_the_yaml_is_read_every_time(
    monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    monkeypatch.setenv(cache.ENV_VARIABLE, "")
    columns = files("audit.contacts") / "data" / "columns.yaml"
    assert shipped.data(columns) == shipped.data(columns)
    assert len(parsed) == 2


def test_audit_contacts_does_not_import_the_yaml_parser(tmp_path: Path) -> None:
    export = tmp_path / "two-lines.csv"
    export.write_text("email\ncontact@acme.fr\n", encoding="utf-8")
    env = {**os.environ, cache.ENV_VARIABLE: str(tmp_path / "cache")}
    code = (
        "import sys; sys.argv = ['audit', 'contacts', sys.argv[1]]\n"
        "from audit.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('yaml', 'audit.yamlio', 'pydantic') if m in sys.modules))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(export)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=True,
        )
        for _ in range(2)
    ]
    assert "contact@acme.fr" in runs[1].stdout  # the analysis was shown
    assert runs[1].stdout.strip().splitlines()[-1] == "[]"  # the second run: from the cache
