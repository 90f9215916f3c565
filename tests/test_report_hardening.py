"""Reports hold up against what a note or a hand edit can contain (issue 11, item 9):
Markdown cannot be forged, JSON is JSON, long words wrap inside the page, errors name their
field, dates and versions are checked before they reach the cover."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from audit.errors import AnswersError, ReportError
from audit.report.formats import ReportFormat
from audit.report.templating import markdown_escape
from audit.report.writer import render_report

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = ROOT / "questionnaires" / "engagement" / "examples"


def load_fixture(lang: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"assessment_{lang}.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize(
    ("text", "forbidden_line_start"),
    [
        ("ok\r# Forged heading", "#"),
        ("ok\r\n- forged item", "-"),
        ("ok\u2028## forged", "#"),
        ("- looks like a list", "-"),
        ("+ looks like a list", "+"),
        ("=====", "="),
        ("1. looks like a numbered list", "1."),
        ("    indented like code", "    "),
    ],
)
def test_markdown_values_stay_on_their_line_and_start_no_block(
    text: str, forbidden_line_start: str
) -> None:
    escaped = markdown_escape(text)
    assert "\r" not in escaped and "\n" not in escaped and "\u2028" not in escaped
    assert not escaped.startswith(forbidden_line_start)


def test_a_note_cannot_forge_headings_in_the_markdown_report() -> None:
    assessment = load_fixture("en")
    question = assessment["answers"][0]["questions"][0]
    question["note"] = "fine\r# FORGED HEADING\r- forged item"
    question["answer"] = "1. forged"
    text = render_report(assessment, ReportFormat.MARKDOWN, "en").decode("utf-8")
    assert "\r" not in text
    lines = text.splitlines()
    assert not any(
        line.lstrip().startswith(("# FORGED", "- forged", "1. forged")) for line in lines
    )
    assert "FORGED HEADING" in text


def test_the_json_report_never_prints_infinity_or_nan() -> None:
    assessment = load_fixture("en")
    assessment["contacts"]["median_age_months"] = float("inf")  # printed in JSON only
    with pytest.raises(ReportError, match="infinite"):
        render_report(assessment, ReportFormat.JSON, "en")


def test_a_stored_analysis_with_infinity_is_refused_when_read(tmp_path: Path) -> None:
    from audit.session.store import load_answers

    answers = tmp_path / "craft.yaml"
    text = (EXAMPLES / "craft.yaml").read_text(encoding="utf-8")
    answers.write_text(text + "facts:\n  contacts: {rows: 3, median_age_months: .inf}\n", "utf-8")
    with pytest.raises(AnswersError) as caught:
        load_answers(answers)
    assert "median_age_months" in str(caught.value)


def test_an_infinite_number_answer_is_invalid_not_a_crash(tmp_path: Path) -> None:
    from audit.questionnaire.loader import load_pack
    from audit.session.runner import check_prepared

    pack = load_pack(ROOT / "tests" / "packs" / "mini")
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "pack: mini\npack_version: '1.0'\nclient: {name: Acme}\n"
        "answers:\n  employees: {status: answered, value: .inf}\n",
        encoding="utf-8",
    )
    report = check_prepared(pack, answers)
    assert [i.question for i in report.invalid] == ["employees"]


def _rightmost(pdf: bytes, tmp_path: Path) -> float:
    """The right edge of the rightmost word of the PDF (poppler's pdftotext -bbox)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return max(float(x) for x in re.findall(r'xMax="([0-9.]+)"', boxes))


def test_long_unbreakable_words_wrap_inside_the_page(tmp_path: Path) -> None:
    assessment = load_fixture("en")
    url = "https://www.example.com/" + "a-very-long-path-segment/" * 5 + "end"
    assert len(url) > 130
    assessment["answers"][0]["questions"][0]["note"] = f"See {url}"
    assessment["client"]["name"] = "Acme" + "X" * 290
    pdf = render_report(assessment, ReportFormat.PDF, "en")
    assert _rightmost(pdf, tmp_path) < 595.3  # an A4 page is 595 pt wide


def test_the_summarys_does_not_fit_error_names_the_field() -> None:
    assessment = load_fixture("en")
    assessment["client"]["sector"] = "A sector described at great length. " * 120
    with pytest.raises(ReportError) as caught:
        render_report(assessment, ReportFormat.SUMMARY, "en")
    assert caught.value.location.field == "client.sector"
    assert "client.sector" in str(caught.value)


def _craft_with(tmp_path: Path, old: str, new: str) -> Path:
    answers = tmp_path / "craft.yaml"
    shutil.copy(EXAMPLES / "craft-contacts.csv", tmp_path)
    text = (EXAMPLES / "craft.yaml").read_text(encoding="utf-8")
    assert old in text
    answers.write_text(text.replace(old, new), encoding="utf-8")
    return answers


def audit(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audit", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_an_invalid_updated_date_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (EXAMPLES / "craft.yaml").read_text(encoding="utf-8")
    updated = next(line for line in text.splitlines() if line.startswith("updated:"))
    answers = _craft_with(tmp_path, updated, "updated: 'lundi prochain'")
    result = audit("report", answers, "--format", "md", "-o", tmp_path / "r.md")
    assert result.returncode == 1
    assert "updated" in result.stderr and "is not a date" in result.stderr
    assert not (tmp_path / "r.md").exists()


@pytest.mark.parametrize(
    ("version", "message"), [("'banana'", "not a version number"), ("'9.0'", "9.0")]
)
def test_an_unknown_pack_version_is_reported(tmp_path: Path, version: str, message: str) -> None:
    text = (EXAMPLES / "craft.yaml").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("pack_version:"))
    answers = _craft_with(tmp_path, line, f"pack_version: {version}")
    result = audit("diagnose", answers, "--json")
    assert result.returncode == 1
    assert "pack_version" in result.stderr and message in result.stderr
