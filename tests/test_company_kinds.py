"""Every kind of client can answer the engagement questionnaire truthfully.

`tests/data/company_kinds.yaml` writes down, for sixteen kinds of companies, which choice of
each question is the truth for each of them. A question where one kind has no true choice,
no "not applicable" and is not hidden by its own condition is a question that forces that
client to lie or to answer "don't know": it fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from audit.questionnaire.loader import load_pack
from audit.questionnaire.model import Pack, Question, QuestionType
from audit.session import navigation
from audit.session.answers import Answer, AnswersFile, Client, Status
from tests.conftest import ROOT, TESTS

PACK_DIR = ROOT / "questionnaires" / "engagement"
TABLE = TESTS / "data" / "company_kinds.yaml"
# Keys of a question's entry that are not choices.
SPECIAL = {"not_applicable", "hidden"}
FREE_TYPES = (QuestionType.TEXT, QuestionType.FILE, QuestionType.NUMBER)


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(PACK_DIR)


@pytest.fixture(scope="module")
def table() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    return loaded


def _choice_ids(question: Question) -> list[str]:
    if question.type == QuestionType.YES_NO:
        return ["yes", "no"]
    return [choice.id for choice in question.choices]


def _answers_of(kind: str, pack: Pack, table: dict[str, Any]) -> AnswersFile:
    """The answers file this kind's truthful answers make, as the table gives them."""
    answers: dict[str, Answer] = {}
    for question in pack.questions:
        entry = table["questions"].get(question.id, {})
        if kind in entry.get("not_applicable", []):
            answers[question.id] = Answer(status=Status.NOT_APPLICABLE)
            continue
        true = [c for c in _choice_ids(question) if kind in (entry.get(c) or [])]
        if not true:
            if question.type in FREE_TYPES and kind not in entry.get("hidden", []):
                answers[question.id] = Answer(status=Status.ANSWERED, value="x")
            continue
        value: Any
        if question.type == QuestionType.MULTIPLE:
            value = true
        elif question.type == QuestionType.YES_NO:
            value = true[0] == "yes"
        else:
            value = true[0]
        answers[question.id] = Answer(status=Status.ANSWERED, value=value)
    return AnswersFile(
        pack=pack.id, pack_version=pack.version, client=Client(name=kind), answers=answers
    )


def test_the_table_describes_at_least_twelve_kinds(table: dict[str, Any]) -> None:
    assert len(table["kinds"]) >= 12
    assert all(len(description) > 40 for description in table["kinds"].values())


def test_the_table_names_only_real_questions_choices_and_kinds(
    pack: Pack, table: dict[str, Any]
) -> None:
    kinds = set(table["kinds"])
    for qid, entry in table["questions"].items():
        question = pack.question(qid)
        assert question is not None, f"{qid}: not a question of the pack"
        unknown = set(entry) - set(_choice_ids(question)) - SPECIAL
        assert not unknown, f"{qid}: no such choice {sorted(unknown)}"
        for key, listed in entry.items():
            assert set(listed or []) <= kinds, f"{qid}.{key}: unknown kinds"
        if entry.get("not_applicable"):
            assert question.allow_not_applicable, f"{qid}: 'not applicable' is not offered"
        if question.type == QuestionType.SINGLE:
            for kind in kinds:
                where = [c for c in _choice_ids(question) if kind in (entry.get(c) or [])]
                assert len(where) <= 1, f"{qid}: {kind} under several choices {where}"


def test_every_question_with_choices_is_in_the_table(pack: Pack, table: dict[str, Any]) -> None:
    missing = [q.id for q in pack.questions if q.type not in FREE_TYPES]
    missing = [qid for qid in missing if qid not in table["questions"]]
    assert missing == []


def test_every_kind_has_a_true_answer_to_every_question_it_is_asked(
    pack: Pack, table: dict[str, Any]
) -> None:
    gaps: list[str] = []
    for kind in table["kinds"]:
        answers = _answers_of(kind, pack, table)
        shown = {q.id for q in navigation.visible_questions(pack, answers)}
        for question in pack.questions:
            entry = table["questions"].get(question.id, {})
            hidden = kind in entry.get("hidden", [])
            # The table says a question is hidden only if its condition really hides it,
            # and a shown question must have an answer that is true.
            if hidden:
                if question.id in shown:
                    gaps.append(f"{question.id}: shown to {kind}, whom the table says it skips")
                continue
            if question.id not in shown:
                gaps.append(f"{question.id}: hidden from {kind}; list it under 'hidden'")
                continue
            if question.type in FREE_TYPES:
                continue
            truthful = any(kind in (entry.get(c) or []) for c in _choice_ids(question))
            if not truthful and kind not in entry.get("not_applicable", []):
                gaps.append(f"{question.id}: no true choice for {kind}")
    assert gaps == []


def test_vendor_promises_are_asked_only_when_a_vendor_was_involved(pack: Pack) -> None:
    question = pack.question("vendor_promises")
    assert question is not None
    offers = [q.id for q in pack.questions if q.id.startswith("offer_")]

    def shown(values: dict[str, Any]) -> bool:
        answers = {qid: Answer(status=Status.ANSWERED, value="none") for qid in offers}
        answers.update({k: Answer(status=Status.ANSWERED, value=v) for k, v in values.items()})
        file = AnswersFile(pack=pack.id, pack_version=pack.version, client=Client(name="x"))
        file.answers = answers
        return "vendor_promises" in {q.id for q in navigation.visible_questions(pack, file)}

    assert not shown({})
    assert shown({"offer_crm": "offered"})
    # A tool the client set up alone holds no vendor's promise; one a vendor sold does.
    assert not shown({"offer_emailing": "has", "bought_from_vendor": False})
    assert shown({"offer_emailing": "has", "bought_from_vendor": True})


def test_a_made_to_measure_business_records_advice_and_delivery(
    pack: Pack, table: dict[str, Any]
) -> None:
    """Nothing of theirs sells online, yet advice and delivery are asked and recorded."""
    answers = _answers_of("bespoke", pack, table)
    assert answers.answers["online_suitability"].value == "none"
    shown = {q.id for q in navigation.visible_questions(pack, answers)}
    assert {"needs_advice", "logistics"} <= shown


def _quick(name: str) -> dict[str, Any]:
    """A test client's assessment from its quick-subset answers only."""
    from audit.assessment import assess
    from audit.session.answers import Mode
    from tests.diagnosis_helpers import client

    pack = load_pack(PACK_DIR)
    full = client(name)
    quick_ids = {q.id for q in pack.quick_questions()}
    answers = {qid: a for qid, a in full.answers.items() if qid in quick_ids}
    quick = full.model_copy(update={"answers": answers, "mode": Mode.QUICK})
    verdicts: dict[str, Any] = assess(pack, quick, "en")["verdicts"]
    return verdicts


@pytest.mark.parametrize(
    ("name", "verdict", "headline"),
    [
        # A maker of repeatable pieces without photos: not yet, because of the photos.
        ("maker_without_photos", "not_yet", "photos"),
        # An artist selling one-off pieces: not for them, because there is nothing to list.
        ("craft_workshop", "not_recommended", "One-off pieces"),
        # Made to specification: never without advice.
        ("industrial_subcontractor", "not_recommended", "advice"),
    ],
)
def test_the_quick_subset_decides_a_makers_online_shop(
    name: str, verdict: str, headline: str
) -> None:
    shop = _quick(name)["e_commerce"]
    assert (shop["verdict"], headline in shop["headline"]) == (verdict, True)


def test_where_the_quick_subset_cannot_decide_it_lists_exactly_what_to_verify(
    pack: Pack,
) -> None:
    shop = _quick("ready_b2c_brand")["e_commerce"]
    assert shop["verdict"] == "to_verify"
    listed = {item["question"] for item in shop["to_verify"]}
    quick_ids = {q.id for q in pack.quick_questions()}
    # Only questions outside the quick subset, each of which the shop's rule reads.
    assert listed == {
        "content_frequency",
        "product_descriptions",
        "public_prices",
        "online_payment",
    }
    assert not listed & quick_ids
