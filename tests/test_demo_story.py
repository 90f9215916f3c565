"""The demo tells the story the tool exists for (README, DOMAIN): a vendor offered marketing
automation to a subcontractor whose customers are reachable only through contact@ addresses.
The verdict is "not yet", for that measured reason, with the work to do first in order."""

from __future__ import annotations

from pathlib import Path

from audit.assessment import assess_file
from audit.resources import questionnaires_dir

INDUSTRIAL = questionnaires_dir() / "engagement" / "examples" / "industrial.yaml"


def test_automation_is_not_yet_because_of_the_measured_generic_addresses() -> None:
    assessment = assess_file(Path(INDUSTRIAL), "en")
    verdict = assessment["verdicts"]["marketing_automation"]
    assert verdict["offer"] == "offered"
    assert verdict["verdict"] == "not_yet"
    assert verdict["rule"]["id"] == "collect_named_contacts"
    assert "generic addresses" in verdict["headline"]
    measured = [e for e in verdict["evidence"] if e["kind"] == "fact"]
    assert any(e["name"] == "contacts_generic_share" for e in measured)
    generic = assessment["contacts"]["generic_share"]
    assert generic > 0.5
    steps = [p["id"] for p in verdict["prerequisites"]]
    # The measured problem is on the list, after the data it depends on is consolidated.
    assert "collect_named_contacts" in steps
    assert steps.index("consolidate_data") < steps.index("collect_named_contacts")


def test_offered_and_considered_solutions_come_first() -> None:
    verdicts = assess_file(Path(INDUSTRIAL), "en")["verdicts"]
    offers = [v["offer"] for v in verdicts.values()]
    on_the_table = [o for o in offers if o != "none"]
    assert offers[: len(on_the_table)] == on_the_table
