"""Navigation on plain data: what is shown, in which order, and how far along we are."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from audit.questionnaire.loader import load_pack
from audit.questionnaire.model import Pack
from audit.session import navigation
from audit.session.answers import Answer, AnswersFile, Client, Mode, Status


@pytest.fixture
def pack(mini_pack_dir: Path) -> Pack:
    return load_pack(mini_pack_dir)


def answers_with(pack: Pack, mode: Mode = Mode.FULL, **values: Any) -> AnswersFile:
    answers = AnswersFile(
        pack=pack.id, pack_version=pack.version, mode=mode, client=Client(name="Test")
    )
    for qid, value in values.items():
        if isinstance(value, Status):
            answers.answers[qid] = Answer(status=value)
        else:
            answers.answers[qid] = Answer(status=Status.ANSWERED, value=value)
    return answers


def ids(questions: list[Any]) -> list[str]:
    return [q.id for q in questions]


def test_undetermined_conditions_show_their_question(pack: Pack) -> None:
    # Nothing answered: `'crm' in data_places` and `audience != 'b2b'` are unknown, so shown.
    assert ids(navigation.visible_questions(pack, answers_with(pack))) == ids(pack.questions)


def test_a_false_condition_hides_its_question(pack: Pack) -> None:
    answers = answers_with(pack, audience="b2b", data_places=["paper"])
    visible = ids(navigation.visible_questions(pack, answers))
    assert "crm_trained" not in visible
    assert "consumer_note" not in visible
    answers = answers_with(pack, audience="b2c", data_places=["crm", "paper"])
    assert {"crm_trained", "consumer_note"} <= set(ids(navigation.visible_questions(pack, answers)))


def test_not_applicable_hides_dependents_but_dont_know_does_not(pack: Pack) -> None:
    shown = navigation.visible_questions(pack, answers_with(pack, audience=Status.UNKNOWN))
    assert "consumer_note" in ids(shown)
    answers = answers_with(pack, data_places=Status.NOT_APPLICABLE)
    assert "crm_trained" not in ids(navigation.visible_questions(pack, answers))


def test_quick_mode_asks_only_quick_questions(pack: Pack) -> None:
    answers = answers_with(pack, Mode.QUICK)
    assert ids(navigation.visible_questions(pack, answers)) == ids(pack.quick_questions())


def test_first_unanswered_skips_settled_answers_of_every_status(pack: Pack) -> None:
    answers = answers_with(pack, audience="b2c", written_plan=Status.UNKNOWN, employees=12)
    first = navigation.first_unanswered(pack, answers)
    assert first is not None and first.id == "data_places"


def test_an_answer_that_no_longer_fits_is_asked_again(pack: Pack) -> None:
    answers = answers_with(pack, audience="retail")
    first = navigation.first_unanswered(pack, answers)
    assert first is not None and first.id == "audience"


def test_complete_answers_leave_nothing_to_ask(pack: Pack) -> None:
    answers = answers_with(
        pack,
        audience="b2b",
        written_plan=True,
        employees=3,
        data_places=["paper"],
        contact_export=Status.NOT_APPLICABLE,
    )
    assert navigation.first_unanswered(pack, answers) is None


def test_next_and_previous_follow_the_shown_order(pack: Pack) -> None:
    answers = answers_with(pack, audience="b2b", written_plan=True, employees=3)
    answers.answers["data_places"] = Answer(status=Status.ANSWERED, value=["paper"])
    after = navigation.next_question(pack, answers, "data_places")
    assert after is not None and after.id == "contact_export"  # two hidden in between
    before = navigation.previous_question(pack, answers, "contact_export")
    assert before is not None and before.id == "data_places"
    assert navigation.previous_question(pack, answers, "audience") is None
    last = navigation.previous_question(pack, answers, None)
    assert last is not None and last.id == "contact_export"


def test_a_walk_answers_for_the_answers_it_was_built_from(pack: Pack) -> None:
    # The web builds one walk per page and one after recording an answer.
    answers = answers_with(pack, audience="b2b", written_plan=True, employees=3)
    walk = navigation.Walk(pack, answers)
    assert walk.shown("crm_trained") is not None  # `'crm' in data_places`: not known yet
    assert walk.shown("consumer_note") is None and walk.shown("no_such_question") is None
    first = walk.first_unanswered()
    assert first is not None and first.id == "data_places"
    answers.answers["data_places"] = Answer(status=Status.ANSWERED, value=["paper"])
    after = navigation.Walk(pack, answers)
    assert after.shown("crm_trained") is None
    following = after.next_question("data_places")
    assert following is not None and following.id == "contact_export"


def test_after_the_last_question_next_goes_to_what_is_still_open(pack: Pack) -> None:
    answers = answers_with(pack, contact_export=Status.NOT_APPLICABLE)
    following = navigation.next_question(pack, answers, "contact_export")
    assert following is not None and following.id == "audience"


def test_progress_counts_sections_answers_and_minutes(pack: Pack) -> None:
    answers = answers_with(pack, audience="b2b", written_plan=False)
    current = pack.question("employees")
    assert current is not None
    progress = navigation.progress(pack, answers, current)
    visible = navigation.visible_questions(pack, answers)
    remaining = [q for q in visible if q.id not in ("audience", "written_plan")]
    assert (progress.section_index, progress.section_count) == (1, 2)
    assert progress.section.id == "company"
    assert (progress.answered, progress.total) == (2, len(visible))
    assert progress.minutes_left == math.ceil(sum(q.seconds for q in remaining) / 60)


def test_review_groups_answers_by_section(pack: Pack) -> None:
    answers = answers_with(pack, audience="b2b", employees="many")
    sections = navigation.review(pack, answers)
    assert [s.section.id for s in sections] == ["company", "data"]
    company = {item.question.id: item for item in sections[0].items}
    assert company["audience"].done
    assert not company["employees"].done  # an invalid value is not done
    assert company["written_plan"].answer is None
    assert sections[0].done == 1


def test_orphans_are_answers_the_pack_does_not_have(pack: Pack) -> None:
    answers = answers_with(pack, audience="b2b", budget=1000)
    assert navigation.orphan_ids(pack, answers) == ["budget"]


def test_a_skipped_question_is_still_to_answer(pack: Pack) -> None:
    answers = answers_with(pack, audience=Status.SKIPPED, written_plan=True)
    first = navigation.first_unanswered(pack, answers)
    assert first is not None and first.id == "audience"
