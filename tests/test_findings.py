"""Findings: the catalogue is checked against the pack when it loads; fired findings
carry their evidence; undetermined ones do not fire and send their questions to verify."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from diagnosis_helpers import (
    ENGAGEMENT,
    READY_DEMO,
    RULES_DEMO,
    answers_for,
    assess_client,
    client,
    pack_at,
)

from audit.assessment import assess
from audit.diagnosis.findings import read_findings
from audit.errors import RulesError
from audit.prescription.lint import lint_rules
from audit.questionnaire.loader import load_pack

GENERIC = {**READY_DEMO, "reach": "generic"}


def findings(values: dict[str, Any], **facts: Any) -> dict[str, Any]:
    pack = pack_at(RULES_DEMO)
    result = assess(pack, answers_for(pack, values, **facts), "en")
    return result


def fired(result: dict[str, Any]) -> list[str]:
    return [f["id"] for f in result["findings"]]


def test_a_finding_fires_with_the_answers_that_fired_it() -> None:
    result = findings(GENERIC)
    assert fired(result) == ["generic_audience"]
    finding = result["findings"][0]
    assert finding["title"] == "Audience reachable mostly through generic addresses"
    assert finding["severity"] == "high"
    assert finding["evidence"] == [
        {
            "kind": "answer",
            "question": "reach",
            "text": "How do you reach your customers?",
            "answer": "One generic address",
        }
    ]


def test_a_measured_list_overrides_the_declared_answer() -> None:
    analysis = {"rows": 200, "unique_valid": 180, "generic_share": 0.74, "named_share": 0.2}
    result = findings({**READY_DEMO, "reach": "named"}, contacts=analysis)
    assert "generic_audience" in fired(result)
    evidence = result["findings"][0]["evidence"]
    assert [e["kind"] for e in evidence] == ["fact"]
    assert evidence[0]["value"] == "74%"
    clean = {**analysis, "generic_share": 0.1}
    assert "generic_audience" not in fired(findings(GENERIC, contacts=clean))


def test_findings_are_listed_most_severe_first() -> None:
    values = {**GENERIC, "written_plan": False, "market": "upheaval"}
    assert fired(findings(values)) == ["generic_audience", "market_upheaval", "no_plan"]


def test_an_undetermined_finding_does_not_fire_and_is_to_verify() -> None:
    result = findings({**READY_DEMO, "reach": "?"})
    assert "generic_audience" not in fired(result)
    assert [item["question"] for item in result["to_verify"]] == ["reach"]
    assert result["to_verify"][0]["section"] == "Context"


def test_an_any_with_one_true_branch_fires_despite_unknowns() -> None:
    # scattered_data: 'spreadsheets' in data_places or 'paper' in data_places.
    result = findings({**READY_DEMO, "data_places": ["paper"], "data_owner": "?"})
    assert "scattered_data" in fired(result)


def test_french_texts_in_a_french_assessment() -> None:
    pack = pack_at(RULES_DEMO)
    result = assess(pack, answers_for(pack, GENERIC), "fr")
    assert result["findings"][0]["title"].startswith("Public joignable")
    assert result["findings"][0]["evidence"][0]["answer"] == "Une adresse générique"


def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(RULES_DEMO, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {file}"
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "\"reach == 'generic'\"",
            "\"reach == 'generik'\"",
            "'generik' is not a choice of 'reach'",
        ),
        ('"not written_plan"', '"not writen_plan"', "unknown id 'writen_plan'"),
        ('"not written_plan"', '"written_plan > 2"', "invalid condition"),
        ("  - id: no_plan\n", "  - id: reach\n", "finding id 'reach' is also a question id"),
        ("  - id: no_plan\n", "  - id: generic_audience\n", "duplicate finding id"),
        ("    severity: medium\n", "    severity: urgent\n", "Input should be"),
        (
            "title: {fr: Pas de plan écrit, en: No written plan}",
            "title: {fr: Pas de plan écrit}",
            "missing required field 'en'",
        ),
        ("    severity: high\n", "    severity: high\n    colour: red\n", "unknown field 'colour'"),
    ],
)
def test_catalogue_problems_are_located(tmp_path: Path, old: str, new: str, expected: str) -> None:
    folder = _broken_copy(tmp_path, "findings.yaml", old, new)
    pack = load_pack(folder)
    _, problems = read_findings(pack)
    located = [p for p in problems if expected in p.message]
    assert located, [str(p) for p in problems]
    assert all(str(p.location.file).endswith("findings.yaml") and p.location.line for p in located)
    assert any(expected in p.message for p in lint_rules(pack))
    with pytest.raises(RulesError):
        assess(pack, answers_for(pack, READY_DEMO), "en")


def test_the_engagement_catalogue_is_clean_and_bilingual() -> None:
    pack = pack_at(ENGAGEMENT)
    catalogue, problems = read_findings(pack)
    assert problems == []
    assert 12 <= len(catalogue.findings) <= 25
    question_ids = {q.id for q in pack.questions}
    for compiled in catalogue.findings:
        finding = compiled.finding
        assert finding.id not in question_ids
        assert finding.title.fr != finding.title.en
        assert finding.explanation.fr != finding.explanation.en


def test_industrial_client_findings_quote_the_client() -> None:
    result = assess_client("industrial_subcontractor", "fr")
    ids = [f["id"] for f in result["findings"]]
    assert {"generic_audience", "no_content", "scattered_data", "untrained_sales"} <= set(ids)
    generic = next(f for f in result["findings"] if f["id"] == "generic_audience")
    assert generic["evidence"][0]["question"] == "contact_reachability"
    severities = [f["severity"] for f in result["findings"]]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)


def test_a_fact_the_list_could_not_measure_leaves_the_answers_to_decide() -> None:
    pack = pack_at(ENGAGEMENT)
    saas = client("b2b_saas")
    measured = {"rows": 300, "unique_valid": 290, "generic_share": 0.05, "named_share": 0.9}
    no_consent_column = {**measured, "consent_share": None, "stale_share": None}
    answers = saas.model_copy(update={"facts": {"contacts": no_consent_column}})
    result = assess(pack, answers, "en")
    assert result["to_verify"] == []
    assert "no_consent" not in [f["id"] for f in result["findings"]]
    low_consent = {**measured, "consent_share": 0.1, "stale_share": None}
    answers = saas.model_copy(update={"facts": {"contacts": low_consent}})
    result = assess(pack, answers, "en")
    no_consent = next(f for f in result["findings"] if f["id"] == "no_consent")
    assert no_consent["evidence"][-1]["value"] == "10%"
    emailing = result["verdicts"]["emailing"]
    assert (emailing["verdict"], emailing["rule"]["id"]) == ("not_yet", "record_consent")
