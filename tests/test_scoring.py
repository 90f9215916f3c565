"""Dimension scores: answered questions only, weights, multiple choice capped, coverage."""

from __future__ import annotations

from typing import Any

import pytest
from diagnosis_helpers import READY_DEMO, RULES_DEMO, answers_for, pack_at

from audit.assessment import assess
from audit.diagnosis.scoring import level_for, score_dimensions
from audit.session.answers import Mode
from audit.session.values import environment


def scores(values: dict[str, Any], mode: Mode = Mode.FULL) -> dict[str, Any]:
    pack = pack_at(RULES_DEMO)
    answers = answers_for(pack, values, mode)
    _, hidden = environment(pack, answers)
    result = score_dimensions(pack, answers.answers, hidden, quick=mode == Mode.QUICK)
    return {
        d: (s.score, s.level.level if s.level else None, s.answered, s.total)
        for d, s in result.items()
    }


def test_scores_are_weighted_means_of_answered_questions() -> None:
    # strategy: reach named (80, weight 1) and a written plan (100, weight 2).
    result = scores({**READY_DEMO, "reach": "named", "written_plan": True})
    assert result["strategy"] == (round((80 + 2 * 100) / 3, 1), 5, 2, 2)
    result = scores({**READY_DEMO, "reach": "generic", "written_plan": False})
    assert result["strategy"] == (round(20 / 3, 1), 1, 2, 2)


def test_multiple_choice_adds_selected_scores_capped_at_100() -> None:
    only = {"data_places": ["crm", "spreadsheets"], "data_owner": "?"}
    assert scores({**READY_DEMO, **only})["data"][0] == 100.0
    only = {"data_places": ["spreadsheets", "paper"], "data_owner": "?"}
    # paper carries no data score: it counts 0, the selection gives 40.
    assert scores({**READY_DEMO, **only})["data"][0] == 40.0


def test_unknown_answers_lower_coverage_not_the_score() -> None:
    result = scores({**READY_DEMO, "data_places": ["crm"], "data_owner": "?"})
    assert result["data"] == (70.0, 4, 1, 2)


def test_not_applicable_is_not_a_gap() -> None:
    pack = pack_at(RULES_DEMO)
    answers = answers_for(pack, {**READY_DEMO, "data_owner": None})
    result = score_dimensions(pack, answers.answers, set())
    assert (result["data"].answered, result["data"].total) == (1, 1)


def test_hidden_questions_are_not_counted(mini_pack_dir: Any) -> None:
    pack = pack_at(mini_pack_dir)
    values = {"audience": "b2b", "written_plan": True, "data_places": ["paper"]}
    answers = answers_for(pack, values)
    _, hidden = environment(pack, answers)
    assert "crm_trained" in hidden
    data = score_dimensions(pack, answers.answers, hidden)["data"]
    assert (data.score, data.answered, data.total) == (0.0, 1, 1)


def test_quick_mode_counts_only_quick_questions() -> None:
    quick = {"reach": "named", "written_plan": True}
    result = scores(quick, Mode.QUICK)
    assert result["strategy"][2:] == (2, 2)
    assert result["data"] == (None, None, 0, 0)  # no quick question feeds data


def test_a_dimension_without_answers_has_no_score_or_level() -> None:
    result = scores({"reach": "?", "written_plan": "?"})
    assert result["strategy"] == (None, None, 0, 2)


@pytest.mark.parametrize(("score", "level"), [(0, 1), (19.9, 1), (20, 2), (59.9, 3), (80, 5)])
def test_level_is_the_highest_reached(score: float, level: int) -> None:
    found = level_for(score, pack_at(RULES_DEMO).levels)
    assert found is not None and found.level == level


def test_assessment_reports_scores_with_level_names_and_coverage() -> None:
    pack = pack_at(RULES_DEMO)
    result = assess(pack, answers_for(pack, {**READY_DEMO, "data_owner": "?"}), "en")
    data = result["scores"]["data"]
    assert data["name"] == "Data"
    assert (data["score"], data["level"], data["level_name"]) == (70.0, 4, "Managed")
    assert (data["coverage"], data["answered"], data["total"]) == (0.5, 1, 2)
