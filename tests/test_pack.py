from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from audit.errors import QuestionnaireError
from audit.questionnaire.loader import load_pack
from audit.questionnaire.summary import validate_pack


def _copy(mini_pack_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(mini_pack_dir, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_mini_pack_loads(mini_pack_dir: Path) -> None:
    pack = load_pack(mini_pack_dir)
    assert [s.id for s in pack.sections] == ["company", "data"]
    assert len(pack.questions) == 7
    assert [q.id for q in pack.quick_questions()] == ["audience", "written_plan", "data_places"]
    question = pack.question("data_places")
    assert question is not None and question.section == "data"
    assert question.line == 7


def test_clean_pack_has_no_problems(mini_pack_dir: Path) -> None:
    report = validate_pack(mini_pack_dir)
    assert report.problems == []
    assert (report.questions, report.quick_questions, report.sections) == (7, 3, 2)


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "sections/company.yaml",
            "    quick: true\n",
            "    quick: true\n    colour: red\n",
            "unknown field 'colour'",
        ),
        (
            "sections/data.yaml",
            "label: {fr: Du papier, en: Paper}",
            "label: {fr: Du papier}",
            "missing required field 'en'",
        ),
        (
            "sections/data.yaml",
            "- id: crm_trained",
            "- id: data_places",
            "duplicate question id 'data_places'",
        ),
        (
            "sections/data.yaml",
            "when: \"audience != 'b2b'\"",
            "when: \"audience != 'b2x'\"",
            "'b2x' is not a choice of 'audience'",
        ),
        (
            "sections/data.yaml",
            "when: \"audience != 'b2b'\"",
            "when: \"audiense != 'b2b'\"",
            "unknown id 'audiense'",
        ),
        (
            "sections/data.yaml",
            "when: \"audience != 'b2b'\"",
            'when: "audience > 3"',
            "invalid condition",
        ),
        (
            "sections/data.yaml",
            "when: \"audience != 'b2b'\"",
            "when: \"audience == 'b2b' and audience == 'b2c'\"",
            "can never be shown",
        ),
        (
            "sections/data.yaml",
            "scores: {data: 60}",
            "scores: {dat: 60}",
            "unknown dimension 'dat'",
        ),
        (
            "sections/company.yaml",
            "scores: {yes: {strategy: 100}, no: {strategy: 0}}",
            "",
            "dimension 'strategy' is fed by no scored question",
        ),
    ],
)
def test_each_problem_is_reported_with_file_and_line(
    mini_pack_dir: Path, tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    folder = _copy(mini_pack_dir, tmp_path)
    _edit(folder / file, old, new)
    report = validate_pack(folder)
    messages = [str(p) for p in report.problems]
    assert any(expected in m for m in messages), messages
    located = [p for p in report.problems if expected in p.message]
    assert all(p.location.file for p in located)
    if "fed by no scored" not in expected:
        assert all(p.location.line for p in located)


def test_condition_on_a_later_question_is_reported(mini_pack_dir: Path, tmp_path: Path) -> None:
    folder = _copy(mini_pack_dir, tmp_path)
    _edit(
        folder / "sections/data.yaml",
        "when: \"'crm' in data_places\"",
        "when: \"consumer_note == 'x'\"",
    )
    report = validate_pack(folder)
    assert any("asked later" in p.message for p in report.problems)


def test_load_pack_raises_our_error(mini_pack_dir: Path, tmp_path: Path) -> None:
    folder = _copy(mini_pack_dir, tmp_path)
    _edit(folder / "sections/company.yaml", "type: number", "type: numbr")
    with pytest.raises(QuestionnaireError) as caught:
        load_pack(folder)
    assert "company.yaml:" in str(caught.value)


def test_unknown_pack_name_lists_what_exists() -> None:
    with pytest.raises(QuestionnaireError, match="no questionnaire pack 'nope'"):
        load_pack("nope")


def test_a_pack_name_is_the_shipped_pack_whatever_the_current_folder_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit.questionnaire.loader import find_pack
    from audit.resources import questionnaires_dir

    shutil.copytree(Path(__file__).parent / "packs" / "mini", tmp_path / "engagement")
    monkeypatch.chdir(tmp_path)
    assert find_pack("engagement") == questionnaires_dir() / "engagement"
    assert find_pack("./engagement").resolve() == (tmp_path / "engagement").resolve()
    assert find_pack("engagement/pack.yaml").resolve() == (tmp_path / "engagement").resolve()
