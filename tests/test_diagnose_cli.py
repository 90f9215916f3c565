"""`audit diagnose` and the rules part of `audit validate`: wiring, output, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from diagnosis_helpers import CLIENTS, ENGAGEMENT, RULES_DEMO
from typer.testing import CliRunner

from audit.cli import app

runner = CliRunner()
INDUSTRIAL = CLIENTS / "industrial_subcontractor.yaml"


def audit(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The real program, so errors go through `main` (message and exit code)."""
    return subprocess.run(
        [sys.executable, "-m", "audit", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_json_is_the_schema_versioned_assessment() -> None:
    result = runner.invoke(app, ["diagnose", str(INDUSTRIAL), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema_version"] == 1
    assert data["language"] == "fr"  # the answers file's language
    assert data["client"]["name"] == "Usinage Vallée de l'Arve"
    for key in ("scores", "findings", "verdicts", "roadmap", "to_verify", "answers", "contacts"):
        assert key in data
    for score in data["scores"].values():
        assert {"score", "level", "coverage"} <= set(score)
    verdict = data["verdicts"]["marketing_automation"]
    assert {"verdict", "reasons", "prerequisites", "evidence", "headline"} <= set(verdict)
    assert list(data["verdicts"])[:2] == ["marketing_automation", "crm"]  # offered, considering


def test_terminal_output_shows_scores_findings_verdicts_and_roadmap() -> None:
    result = runner.invoke(app, ["diagnose", str(INDUSTRIAL), "--lang", "en"])
    assert result.exit_code == 0, result.output
    out = result.output
    for text in (
        "Usinage Vallée de l'Arve",
        "Maturity by dimension",
        "An audience reachable mostly through generic addresses",
        "Verdicts by solution",
        "Not yet",
        "Not recommended",
        "Roadmap",
        "Name one person responsible for customer data",
    ):
        assert text in out, text


def test_contacts_option_measures_the_list_instead_of_the_answer(tmp_path: Path) -> None:
    csv = tmp_path / "contacts.csv"
    rows = ["email"] + [f"contact@client{i}.fr" for i in range(8)] + ["anna.roy@client9.fr"]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    saas = CLIENTS / "b2b_saas.yaml"
    plain = json.loads(runner.invoke(app, ["diagnose", str(saas), "--json"]).output)
    assert plain["contacts"] is None
    assert plain["verdicts"]["marketing_automation"]["verdict"] == "adopt"
    result = runner.invoke(app, ["diagnose", str(saas), "--json", "--contacts", str(csv)])
    assert result.exit_code == 0, result.output
    measured = json.loads(result.output)
    assert measured["contacts"]["generic_share"] > 0.8
    verdict = measured["verdicts"]["marketing_automation"]
    assert (verdict["verdict"], verdict["rule"]["id"]) == ("not_yet", "collect_named_contacts")


def test_usage_and_data_errors_have_their_exit_codes(tmp_path: Path) -> None:
    wrong_lang = audit("diagnose", INDUSTRIAL, "--lang", "de")
    assert wrong_lang.returncode == 2
    assert "unknown language 'de'" in wrong_lang.stderr
    missing = audit("diagnose", tmp_path / "nope.yaml")
    assert missing.returncode == 1
    assert "nope.yaml" in missing.stderr and "Traceback" not in missing.stderr
    other = tmp_path / "answers.yaml"
    other.write_text(
        INDUSTRIAL.read_text(encoding="utf-8").replace("pack: engagement", "pack: nope")
    )
    unknown_pack = audit("diagnose", other)
    assert unknown_pack.returncode == 1
    assert "no questionnaire pack 'nope'" in unknown_pack.stderr


def test_validate_reports_rule_problems_with_file_and_line(tmp_path: Path) -> None:
    assert runner.invoke(app, ["validate", str(ENGAGEMENT)]).exit_code == 0
    folder = tmp_path / "pack"
    shutil.copytree(RULES_DEMO, folder)
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("met: data_owner", "met: data_ownr"))
    result = runner.invoke(app, ["validate", str(folder), "--json"])
    assert result.exit_code == 1
    problems = json.loads(result.output)["packs"][0]["problems"]
    assert any(
        p["file"].endswith("rules.yaml") and p["line"] and "data_ownr" in p["message"]
        for p in problems
    )


def test_an_answer_that_does_not_fit_its_question_is_an_error_with_its_line(
    tmp_path: Path,
) -> None:
    answers = tmp_path / "bad.yaml"
    answers.write_text(
        'pack: engagement\npack_version: "1.0"\nclient:\n  name: X\nanswers:\n'
        "  company_size:\n    status: answered\n    value: huge\n",
        encoding="utf-8",
    )
    result = audit("diagnose", answers)
    assert result.returncode == 1
    assert "bad.yaml:8" in result.stderr
    assert "'huge' is not one of" in result.stderr and "Traceback" not in result.stderr
