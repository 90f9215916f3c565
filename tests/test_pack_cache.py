"""The pack cache: a second run on an unchanged pack parses no YAML and compiles nothing;
editing any pack file invalidates it; a broken pack is reported from its YAML, with lines;
no usable cache folder only means no cache."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from audit import cache
from audit.assessment import assess
from audit.diagnosis.findings import load_findings
from audit.diagnosis.stored_findings import catalogue_to_data
from audit.errors import QuestionnaireError, RulesError
from audit.prescription.rules import load_rules
from audit.prescription.stored_rules import book_to_data
from audit.questionnaire.loader import load_pack
from audit.questionnaire.stored import pack_to_data
from audit.resources import questionnaires_dir
from audit.session.store import load_answers

SHIPPED = questionnaires_dir() / "engagement"
CRAFT = SHIPPED / "examples" / "craft.yaml"


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "engagement"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("examples"))
    return folder


def _load_all(folder: Path) -> tuple[Any, Any, Any]:
    pack = load_pack(folder)
    catalogue = load_findings(pack)
    return pack, catalogue, load_rules(pack, catalogue)


def _every_rule_field(book: Any) -> dict[Any, Any]:
    """Each compiled rule's every field (conditions as data), and each solution's needs: a
    field the cache forgot to store shows here, not only in some client's verdict."""
    fields: dict[Any, Any] = {}
    for solution, compiled in book.solutions.items():
        fields[(solution, "needs")] = compiled.needs
        fit = [compiled.fit] if compiled.fit is not None else []
        groups = {
            "contraindications": compiled.contraindications,
            "prerequisites": compiled.prerequisites,
            "fit": fit,
            "needed_fits": compiled.needed_fits,
        }
        for group, rules in groups.items():
            for rule in rules:
                values = {f.name: getattr(rule, f.name) for f in dataclasses.fields(rule)}
                values["condition"] = rule.condition.to_data()
                values["location"] = (rule.location.line, rule.location.field)
                fields[(solution, group, rule.id, rule.inherited)] = values
    return fields


def _pack_files_in(names: list[str], folder: Path) -> list[str]:
    return [name for name in names if name.startswith(str(folder))]


def test_a_second_load_of_an_unchanged_pack_parses_no_yaml(
    cache_folder: Path, pack_copy: Path, parsed: list[str]
) -> None:
    first = _load_all(pack_copy)
    assert len(_pack_files_in(parsed, pack_copy)) == 13  # pack.yaml, 10 sections, 2 catalogues
    assert sorted(p.name.split("-")[0] for p in cache_folder.glob("*.json")) == [
        "findings",
        "pack",
        "rules",
    ]
    parsed.clear()
    second = _load_all(pack_copy)
    assert _pack_files_in(parsed, pack_copy) == []
    # The same pack, findings and rules as when they were read from the YAML.
    assert second[0] == first[0]
    assert catalogue_to_data(second[1]) == catalogue_to_data(first[1])
    assert book_to_data(second[2]) == book_to_data(first[2])
    assert _every_rule_field(second[2]) == _every_rule_field(first[2])
    assert second[1].findings[0].location == first[1].findings[0].location


def test_a_cached_pack_assesses_a_client_exactly_as_one_read_from_yaml(
    cache_folder: Path, pack_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = load_answers(CRAFT)

    def assessed() -> dict[str, Any]:
        pack = load_pack(pack_copy)
        result = assess(pack, answers, "fr")
        result.pop("generated")
        return result

    monkeypatch.setenv(cache.ENV_VARIABLE, "")  # no cache: everything from the YAML
    from_yaml = assessed()
    monkeypatch.setenv(cache.ENV_VARIABLE, str(cache_folder))
    assessed()  # fills the cache
    assert assessed() == from_yaml


@pytest.mark.parametrize(
    "edited", ["pack.yaml", "sections/offers.yaml", "findings.yaml", "rules.yaml", "new.txt"]
)
def test_editing_any_file_of_the_pack_invalidates_the_cache(
    cache_folder: Path, pack_copy: Path, parsed: list[str], edited: str
) -> None:
    _load_all(pack_copy)
    target = pack_copy / edited
    with target.open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    parsed.clear()
    _load_all(pack_copy)
    assert len(_pack_files_in(parsed, pack_copy)) == 13  # read again from the YAML


def test_an_edited_text_is_what_the_next_run_shows(cache_folder: Path, pack_copy: Path) -> None:
    load_pack(pack_copy)
    offers = pack_copy / "sections" / "offers.yaml"
    question = load_pack(pack_copy).questions[0]
    offers.write_text(
        offers.read_text("utf-8").replace(question.text.en, "A reworded question?", 1), "utf-8"
    )
    assert load_pack(pack_copy).questions[0].text.en == "A reworded question?"


def test_a_pack_broken_after_it_was_cached_is_reported_from_its_yaml(
    cache_folder: Path, pack_copy: Path
) -> None:
    _load_all(pack_copy)
    offers = pack_copy / "sections" / "offers.yaml"
    lines = offers.read_text("utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("type:"))
    lines[number] = lines[number].split(":")[0] + ": sometimes"
    offers.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        load_pack(pack_copy)
    assert str(caught.value.location.file) == str(offers)
    assert caught.value.location.line == number + 1
    rules = pack_copy / "rules.yaml"
    offers.write_text("\n".join(lines).replace(": sometimes", ": single") + "\n", "utf-8")
    rules.write_text(rules.read_text("utf-8").replace("when: ", "when: nope_id or ", 1), "utf-8")
    pack = load_pack(pack_copy)
    with pytest.raises(RulesError, match="unknown id 'nope_id'") as rule_error:
        load_rules(pack, load_findings(pack))
    assert rule_error.value.location.file == rules
    assert rule_error.value.location.line is not None
    assert not any("nope_id" in p.read_text("utf-8") for p in cache_folder.glob("*.json"))


def test_a_damaged_entry_is_rebuilt(cache_folder: Path, pack_copy: Path) -> None:
    first = load_pack(pack_copy)
    for entry in cache_folder.glob("*.json"):
        entry.write_text('{"format": 1, "key": "' + entry.stem + '", "data": {"pack": 3}}')
    assert load_pack(pack_copy) == first
    stored = json.loads(next(cache_folder.glob("pack-*.json")).read_text("utf-8"))
    assert stored["data"]["pack"]["id"] == "engagement"  # written again, whole


def _damage_first_question(data: dict[str, Any], how: str) -> None:
    question = data["pack"]["sections"][0]["questions"][0]
    if how == "unknown type":
        question["type"] = "essay"
    elif how == "missing field":
        del question["weight"]
    elif how == "extra field":
        question["colour"] = "blue"
    elif how == "text not a mapping":
        question["text"] = "Une question ?"
    else:  # a number where a list of choices belongs
        question["choices"] = 3


@pytest.mark.parametrize(
    "how",
    ["unknown type", "missing field", "extra field", "text not a mapping", "wrong shape"],
)
def test_a_subtly_damaged_pack_entry_is_rebuilt_not_used(
    how: str, cache_folder: Path, pack_copy: Path
) -> None:
    # Entries are read back without validation (`restore`): every field must still be
    # there, alone and of its shape, or the pack is read from its YAML again.
    first = load_pack(pack_copy)
    entry = next(cache_folder.glob("pack-*.json"))
    stored = json.loads(entry.read_text("utf-8"))
    _damage_first_question(stored["data"], how)
    entry.write_text(json.dumps(stored), "utf-8")
    assert load_pack(pack_copy) == first
    rewritten = json.loads(entry.read_text("utf-8"))  # written again, whole
    assert rewritten["data"]["pack"] == json.loads(json.dumps(pack_to_data(first)["pack"]))


def test_a_read_only_cache_folder_means_no_cache(
    cache_folder: Path, pack_copy: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_folder.mkdir()
    cache_folder.chmod(0o500)
    if os.geteuid() == 0:  # root writes anyway: make writing fail as on a read-only mount

        def read_only(*args: object, **kwargs: object) -> None:
            raise OSError(30, "Read-only file system")

        monkeypatch.setattr(cache.tempfile, "mkstemp", read_only)
    try:
        assert load_pack(pack_copy).id == "engagement"
        parsed.clear()
        assert load_pack(pack_copy).id == "engagement"
        assert len(_pack_files_in(parsed, pack_copy)) == 11  # no cache: read every time
        assert list(cache_folder.iterdir()) == []
    finally:
        cache_folder.chmod(0o700)


def test_a_cache_folder_that_cannot_be_made_means_no_cache(
    tmp_path: Path, pack_copy: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV_VARIABLE, str(blocker / "cache"))
    load_pack(pack_copy)
    parsed.clear()
    assert load_pack(pack_copy).id == "engagement"
    assert len(_pack_files_in(parsed, pack_copy)) == 11  # no cache: read every time


def test_an_empty_variable_turns_the_cache_off(
    pack_copy: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    monkeypatch.setenv(cache.ENV_VARIABLE, "")
    assert cache.cache_dir() is None
    load_pack(pack_copy)
    parsed.clear()
    load_pack(pack_copy)
    assert len(_pack_files_in(parsed, pack_copy)) == 11


def test_without_the_variable_the_cache_is_the_user_cache_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(cache.ENV_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "audit"


def test_a_second_run_imports_neither_rule_engine_nor_a_yaml_parser_for_the_pack(
    cache_folder: Path,
) -> None:
    code = (
        "import sys; sys.argv = ['audit', 'diagnose', sys.argv[1], '--json'];"
        "from audit.cli import main\n"
        "try:\n main()\n"
        "finally:\n print(sorted(m for m in ('rule_engine', 'ruamel') if m in sys.modules),"
        " file=sys.stderr)"
    )
    env = {**os.environ, cache.ENV_VARIABLE: str(cache_folder)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(CRAFT)], capture_output=True, text=True, env=env
        )
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [0, 0]
    assert runs[0].stderr.strip() == "['rule_engine']"  # the first run compiles
    assert runs[1].stderr.strip() == "[]"
    first, second = (json.loads(run.stdout) for run in runs)
    for result in (first, second):
        result.pop("generated")
        result["contacts"]["source"].pop("analysed")  # the list is analysed on each run
    assert first == second
