"""The roadmap and the rules linter: prerequisites merged once, in dependency order,
grouped by horizon; a rules file that breaks these promises fails `audit validate`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from diagnosis_helpers import ENGAGEMENT, RULES_DEMO, assess_client, pack_at

from audit.assessment import compiled_content
from audit.prescription.lint import lint_rules
from audit.prescription.roadmap import ancestors, build_roadmap, dependency_order
from audit.prescription.rules import HORIZON_RANK, Horizon, Prerequisite
from audit.questionnaire.loader import load_pack
from audit.questionnaire.model import Text


def prerequisite(pid: str, horizon: str, after: list[str] | None = None) -> Prerequisite:
    text = Text(fr=pid, en=pid)
    return Prerequisite(
        id=pid, title=text, unmet=text, owner=text, horizon=Horizon(horizon), after=after or []
    )


CATALOGUE = {
    p.id: p
    for p in [
        prerequisite("plan", "now"),
        prerequisite("owner", "now"),
        prerequisite("gather", "3_months", ["owner"]),
        prerequisite("calendar", "6_months", ["plan"]),
        prerequisite("tool", "6_months", ["gather", "calendar"]),
    ]
}


def test_dependencies_come_first_even_through_met_prerequisites() -> None:
    # gather is met (not listed), yet tool still comes after owner through it.
    assert dependency_order(["tool", "owner"], CATALOGUE) == ["owner", "tool"]
    assert ancestors("tool", CATALOGUE) == {"gather", "calendar", "owner", "plan"}


def test_roadmap_merges_solutions_without_duplicates_grouped_by_horizon() -> None:
    steps = build_roadmap(
        {"crm": ["owner", "gather"], "emailing": ["gather", "plan"], "chatbot": ["tool"]},
        CATALOGUE,
    )
    assert [s.horizon.value for s in steps] == ["now", "3_months", "6_months"]
    items = [(i.prerequisite.id, i.solutions) for s in steps for i in s.items]
    assert items == [
        ("plan", ["emailing"]),
        ("owner", ["crm"]),
        ("gather", ["crm", "emailing"]),
        ("tool", ["chatbot"]),
    ]


def test_empty_horizons_are_left_out() -> None:
    assert [s.horizon for s in build_roadmap({"crm": ["calendar"]}, CATALOGUE)] == [
        Horizon.SIX_MONTHS
    ]


@pytest.mark.parametrize(
    "name",
    ["industrial_subcontractor", "distributor_scattered_data", "bistro_group_social"],
)
def test_client_roadmap_is_ordered_unique_and_covers_every_not_yet(name: str) -> None:
    result = assess_client(name, "en")
    _, book = compiled_content(pack_at(ENGAGEMENT))
    assert book is not None
    horizons = [step["horizon"] for step in result["roadmap"]]
    assert horizons == sorted(horizons, key=lambda h: HORIZON_RANK[Horizon(h)])
    ids = [item["id"] for step in result["roadmap"] for item in step["items"]]
    assert len(ids) == len(set(ids))
    for index, pid in enumerate(ids):
        assert not (ancestors(pid, book.prerequisites) & set(ids[index + 1 :])), pid
    for solution, verdict in result["verdicts"].items():
        for item in verdict["prerequisites"]:
            step = next(s for s in result["roadmap"] for i in s["items"] if i["id"] == item["id"])
            owner = next(i for i in step["items"] if i["id"] == item["id"])
            assert solution in owner["solutions"]
            assert item["owner"] and item["title"]


def test_a_ready_client_has_nothing_on_the_roadmap() -> None:
    assert assess_client("ready_b2c_brand")["roadmap"] == []


def test_engagement_rules_lint_clean() -> None:
    assert lint_rules(pack_at(ENGAGEMENT)) == []


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(RULES_DEMO, folder)
    path = folder / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in rules.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    horizon: 3_months\n    after: [name_data_owner]",
            "    horizon: 3_months\n    after: [name_data_owner, content_calendar]",
            "horizon cannot be earlier",
        ),
        (
            "    horizon: now\n  - id: name_data_owner",
            "    horizon: now\n    after: [content_calendar]\n  - id: name_data_owner",
            "depend on each other: write_plan, content_calendar",
        ),
        ("after: [write_plan]", "after: [write_plans]", "unknown prerequisite 'write_plans'"),
        (
            "      - id: name_data_owner\n",
            "      - id: owner_of_data\n",
            "unknown prerequisite 'owner_of_data'",
        ),
        ("        met: data_owner\n", "        met: data_owners\n", "unknown id 'data_owners'"),
        (
            "        when: market_upheaval\n",
            "        when: market_upheavel\n",
            "unknown id 'market_upheavel'",
        ),
        ("  chatbot:\n", "  chatbots:\n", "Input should be"),
        (
            "        met: data_owner\n",
            "        met: data_owner\n      - id: name_data_owner\n        met: data_owner\n",
            "cited twice",
        ),
        (
            "      misfit: {fr: Peu de demandes., en: Few requests.}",
            "      misfit: {en: Few requests.}",
            "missing required field 'fr'",
        ),
    ],
)
def test_rules_problems_are_located(tmp_path: Path, old: str, new: str, expected: str) -> None:
    problems = lint_rules(load_pack(_copy(tmp_path, old, new)))
    located = [p for p in problems if expected in p.message]
    assert located, [str(p) for p in problems]
    assert all(str(p.location.file).endswith("rules.yaml") for p in located)
    assert all(p.location.line for p in located)


def test_a_solution_without_rules_and_an_unused_prerequisite_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(RULES_DEMO, folder)
    path = folder / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  social_media:\n")
    path.write_text(text[:start], encoding="utf-8")
    messages = [p.message for p in lint_rules(load_pack(folder))]
    assert "solution 'social_media' has no rules" in messages
    assert "prerequisite 'content_calendar' is required by no solution" in messages


def test_a_missing_offer_question_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(RULES_DEMO, folder)
    offers = folder / "sections" / "offers.yaml"
    text = offers.read_text(encoding="utf-8")
    offers.write_text(text.replace("offer_chatbot", "offer_bot"), encoding="utf-8")
    messages = [p.message for p in lint_rules(load_pack(folder))]
    assert any("no question 'offer_chatbot'" in m for m in messages)
