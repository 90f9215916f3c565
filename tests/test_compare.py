"""`audit compare` and `audit report --since` on a real-looking pair: Usinage Vallet at the
workshop (industrial.yaml) and six months on (industrial-followup.yaml)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from audit.cli import app
from audit.compare import CompareError, compare_files

EXAMPLES = Path(__file__).resolve().parent.parent / "questionnaires" / "engagement" / "examples"
BEFORE = EXAMPLES / "industrial.yaml"
AFTER = EXAMPLES / "industrial-followup.yaml"


@pytest.fixture(scope="module")
def comparison() -> dict:
    result, _ = compare_files(BEFORE, AFTER, "en")
    return result


def test_scores_and_levels_change_per_dimension(comparison: dict) -> None:
    by_id = {d["id"]: d for d in comparison["dimensions"]}
    assert len(by_id) == 6
    data = by_id["data"]
    assert (data["before"]["level"], data["after"]["level"], data["level_change"]) == (2, 4, 2)
    assert data["delta"] == pytest.approx(data["after"]["score"] - data["before"]["score"], 0.1)
    assert by_id["tools_processes"]["delta"] == 0


def test_a_changed_verdict_carries_the_reason_before_and_after(comparison: dict) -> None:
    [crm] = comparison["verdicts_changed"]
    assert crm["solution"] == "crm"
    assert (crm["before"]["verdict"], crm["after"]["verdict"]) == ("not_yet", "adopt")
    assert crm["before"]["rule"] == {"kind": "prerequisite", "id": "name_data_owner"}
    assert "responsible" in crm["before"]["headline"] or "owner" in crm["before"]["headline"]
    assert crm["after"]["headline"] and crm["after"]["headline"] != crm["before"]["headline"]


def test_prerequisites_met_and_findings_new_and_resolved(comparison: dict) -> None:
    assert {p["id"] for p in comparison["prerequisites_met"]} == {
        "write_strategy",
        "name_data_owner",
    }
    assert {f["id"] for f in comparison["findings_resolved"]} == {
        "no_written_strategy",
        "no_editorial_line",
        "no_data_owner",
        "dirty_data",  # cleaned within two years, duplicates now occasional
    }
    assert [f["id"] for f in comparison["findings_new"]] == ["vanity_metrics"]


def test_answers_that_changed_and_only_those(comparison: dict) -> None:
    changed = {q["question"]: q for q in comparison["answers_changed"]}
    assert set(changed) == {
        "written_objectives", "marketing_budget", "marketing_calendar", "optin_practice",
        "data_freshness", "data_last_cleanup", "duplicates", "data_owner", "consent_records",
        "editorial_line", "digital_champion", "success_measure",
    }  # fmt: skip
    assert changed["marketing_calendar"]["before"]["answer"] == "No"
    assert changed["marketing_calendar"]["after"]["answer"] == "Yes"


def test_two_clients_are_refused_unless_forced(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(AFTER.read_text("utf-8").replace("Usinage Vallet", "Fonderie Marchal"))
    shutil.copy(EXAMPLES / "industrial-contacts.csv", tmp_path)  # the list it names
    with pytest.raises(CompareError, match="two clients"):
        compare_files(BEFORE, other)
    result, _ = compare_files(BEFORE, other, force=True)
    assert result["client"]["name"] == "Fonderie Marchal"


def test_two_versions_of_the_pack_are_refused_naming_the_questions(tmp_path: Path) -> None:
    older = tmp_path / "older.yaml"
    text = BEFORE.read_text("utf-8").replace('pack_version: "1.0"', 'pack_version: "0.9"')
    older.write_text(
        text.replace("answers:\n", "answers:\n  fax_number: {status: answered, value: x}\n", 1)
    )
    with pytest.raises(CompareError) as caught:
        compare_files(older, AFTER)
    assert "version 0.9 then 1.0" in str(caught.value) and "fax_number" in str(caught.value)


def test_cli_json_and_terminal(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["compare", str(BEFORE), str(AFTER), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["verdicts_changed"][0]["solution"] == "crm"
    shown = runner.invoke(app, ["compare", str(BEFORE), str(AFTER), "--lang", "en"])
    assert shown.exit_code == 0, shown.output
    # The client has a CRM: its verdicts say what to do with it.
    assert "CRM: Make it work first → Keep and build on it" in shown.output
    assert "Success judged by follower counts" in shown.output
    refused = subprocess.run(
        [sys.executable, "-m", "audit", "compare", str(BEFORE), str(EXAMPLES / "craft.yaml")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert refused.returncode == 1 and "--force" in refused.stderr


def test_progress_report_pdf_and_md(tmp_path: Path) -> None:
    runner = CliRunner()
    pdf = tmp_path / "progress.pdf"
    result = runner.invoke(
        app, ["compare", str(BEFORE), str(AFTER), "--format", "pdf", "-o", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(pdf)
    assert len(reader.pages) <= 3
    text = " ".join(p.extract_text() for p in reader.pages)
    for expected in ("Vos progrès depuis le dernier diagnostic", "Usinage Vallet",
                     "À conserver et développer",
                     "Nommer une personne responsable des données clients",
                     "Le succès jugé au nombre d'abonnés", "+41 pts"):  # fmt: skip
        assert expected in text
    assert "{{" not in text
    md = tmp_path / "progress.md"
    runner.invoke(
        app, ["compare", str(BEFORE), str(AFTER), "--format", "md", "-o", str(md), "--lang", "en"]
    )
    assert "| Customer data |" in md.read_text("utf-8")


def test_report_since_adds_the_chapter(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    result = CliRunner().invoke(
        app, ["report", str(AFTER), "--since", str(BEFORE), "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(p.extract_text() for p in PdfReader(target).pages)
    assert text.count("Vos progrès depuis le dernier diagnostic") >= 2  # contents and chapter
    plain = tmp_path / "plain.pdf"
    CliRunner().invoke(app, ["report", str(AFTER), "-o", str(plain)])
    assert "Vos progrès" not in " ".join(p.extract_text() for p in PdfReader(plain).pages)


def test_the_markdown_report_has_the_progress_chapter_too(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    result = CliRunner().invoke(
        app,
        ["report", str(AFTER), "--since", str(BEFORE), "--format", "md", "-o", str(target),
         "--lang", "en"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = target.read_text("utf-8")
    progress = text.index("## Your progress since the last assessment")
    maturity = text.index("\n## Maturity by dimension")
    assert text.index("## Executive summary") < progress < maturity
    chapter = text[progress:maturity]
    assert "| Customer data | 30 · Level 2 | 71 · Level 4 |" in chapter
    assert "### Recommendations that changed" in chapter and "**CRM**" in chapter
    assert "{{" not in text and "<" not in chapter  # Markdown, not HTML
    plain = tmp_path / "plain.md"
    CliRunner().invoke(app, ["report", str(AFTER), "--format", "md", "-o", str(plain)])
    assert "## Vos progrès" not in plain.read_text("utf-8")


@pytest.mark.parametrize("fmt", ["json", "summary"])
def test_a_chapter_option_on_a_format_without_chapters_is_refused(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "out"
    command = ["report", str(AFTER), "--since", str(BEFORE), "--format", fmt, "-o", str(target)]
    result = subprocess.run(
        [sys.executable, "-m", "audit", *command], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2, result.stderr
    assert f"--format {fmt} has no chapters" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()
