"""With no prerequisite pending, the report says why: the client is ready, or the deciding
answers are still open (a quick self-assessment). It never claims readiness it cannot show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from audit.report.formats import ReportFormat
from audit.report.writer import render_report

FIXTURE = Path(__file__).parent / "fixtures" / "assessment_en.json"


def _without_steps(verdict: str) -> dict[str, Any]:
    a: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    a["roadmap"] = []
    for v in a["verdicts"].values():
        v["verdict"] = verdict
        v["prerequisites"] = []
        v["to_verify"] = (
            [{"question": "digital_habits", "text": "How digital are your customers?"}]
            if verdict == "to_verify"
            else []
        )
    return a


def test_all_adopted_says_nothing_is_pending() -> None:
    text = render_report(_without_steps("adopt"), ReportFormat.MARKDOWN, "en").decode()
    assert "No prerequisite is pending" in text


def test_open_answers_are_not_mistaken_for_readiness() -> None:
    text = render_report(_without_steps("to_verify"), ReportFormat.MARKDOWN, "en").decode()
    assert "No prerequisite is pending" not in text
    assert "one deciding answer is still open" in text
