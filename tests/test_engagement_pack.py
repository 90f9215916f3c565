"""The engagement pack's structure, beyond what `audit validate` can check.

The engine checks the schema, ids and conditions. These tests check the agency's method:
help a consultant can read aloud, dimensions fed by enough questions, a quick subset that
still covers everything, no question asked twice, and example clients that fit the pack.
"""

from __future__ import annotations

import difflib
import importlib.util
import itertools
import re
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest

from audit.questionnaire.conditions import Expression
from audit.questionnaire.lint import condition_types
from audit.questionnaire.loader import load_pack
from audit.questionnaire.model import Pack, Question, QuestionType
from audit.questionnaire.summary import validate_pack
from audit.session.answers import AnswersFile, Status
from audit.session.store import load_answers
from audit.session.values import check_value, environment

ROOT = Path(__file__).resolve().parent.parent
PACK_DIR = ROOT / "questionnaires" / "engagement"
EXAMPLES_DIR = PACK_DIR / "examples"
EXAMPLES = ("industrial", "craft", "digital")
SOLUTIONS = ("marketing_automation", "emailing", "crm", "e_commerce", "chatbot", "social_media")
OFFER_CHOICES = ["has", "offered", "considering", "none"]
OFFERS_SECTION = "offers"
CONTEXT_SECTION = "company"
LANGUAGES = ("fr", "en")
# Two question texts this similar, once normalised, are very likely the same question.
SAME_QUESTION_RATIO = 0.75


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(PACK_DIR)


def _normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def _sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text.strip()))


def _when_symbols(question: Question, pack: Pack) -> frozenset[str]:
    if question.when is None:
        return frozenset()
    return Expression(question.when, condition_types(pack)).symbols


def test_pack_validates_without_problems() -> None:
    report = validate_pack(PACK_DIR)
    assert [str(p) for p in report.problems] == []
    assert 50 <= report.questions <= 75


def test_every_section_has_help_in_both_languages(pack: Pack) -> None:
    for section in pack.sections:
        for lang in LANGUAGES:
            help_text = section.help.get(lang).strip()
            assert len(help_text) >= 60, f"{section.id}: {lang} help is too thin to read aloud"
            assert help_text.endswith((".", "!", "?")), f"{section.id}: {lang} help is unfinished"
        assert section.help.fr != section.help.en, f"{section.id}: help is not translated"


def test_every_question_has_help_in_both_languages(pack: Pack) -> None:
    for question in pack.questions:
        for lang in LANGUAGES:
            help_text = question.help.get(lang)
            # Why it is asked, plus what a good answer looks like: two or three sentences.
            assert len(help_text) >= 80, f"{question.id}: {lang} help says too little"
            assert 1 <= _sentences(help_text) <= 3, (
                f"{question.id}: {lang} help is not 1-3 sentences"
            )
        assert question.help.fr != question.help.en, f"{question.id}: help is not translated"
        assert question.text.fr != question.text.en, f"{question.id}: text is not translated"


def test_every_choice_is_labelled_distinctly_in_both_languages(pack: Pack) -> None:
    for question in pack.questions:
        for lang in LANGUAGES:
            labels = [_normalise(c.label.get(lang)) for c in question.choices]
            assert len(set(labels)) == len(labels), f"{question.id}: two {lang} labels alike"


def test_every_dimension_is_fed_by_at_least_four_questions(pack: Pack) -> None:
    assert 5 <= len(pack.dimensions) <= 7
    for dimension in pack.dimensions:
        feeding = [q.id for q in pack.questions if dimension.id in q.dimensions()]
        assert len(feeding) >= 4, f"{dimension.id} is fed only by {feeding}"


def test_context_is_not_scored(pack: Pack) -> None:
    """Business model and market stability are modifiers for the rules, not maturity."""
    context = pack.section(CONTEXT_SECTION)
    assert context is not None
    scored = [q.id for q in context.questions if q.dimensions()]
    assert scored == []
    offers = pack.section(OFFERS_SECTION)
    assert offers is not None
    assert [q.id for q in offers.questions if q.dimensions()] == []


def test_levels_are_named_and_described(pack: Pack) -> None:
    assert [level.level for level in pack.levels] == [1, 2, 3, 4, 5]
    for level in pack.levels:
        assert level.description is not None, f"level {level.level} has no description"


def test_offers_come_first_with_one_question_per_solution(pack: Pack) -> None:
    assert pack.sections[0].id == OFFERS_SECTION
    for solution in SOLUTIONS:
        question = pack.question(f"offer_{solution}")
        assert question is not None, f"no offer question for {solution}"
        assert question.section == OFFERS_SECTION
        assert question.type == QuestionType.SINGLE
        assert [c.id for c in question.choices] == OFFER_CHOICES
    offers = pack.section(OFFERS_SECTION)
    assert offers is not None
    assert any(q.type == QuestionType.TEXT for q in offers.questions), "no question on promises"


def test_contact_export_is_a_file_that_may_not_apply(pack: Pack) -> None:
    question = pack.question("contact_export")
    assert question is not None
    assert question.type == QuestionType.FILE
    assert question.allow_not_applicable


def test_quick_subset_covers_every_section_and_all_offers(pack: Pack) -> None:
    quick = pack.quick_questions()
    # Up to 25, of which five are asked only when they matter (a tool the client has, a
    # shop on the table or a business that sells made to measure).
    assert 12 <= len(quick) <= 25
    assert {q.section for q in quick} == {s.id for s in pack.sections}
    offers = pack.section(OFFERS_SECTION)
    assert offers is not None
    assert [q.id for q in offers.questions if not q.quick] == []


def test_quick_subset_scores_every_dimension(pack: Pack) -> None:
    # A prospect's one-page summary shows every dimension, not "not assessed".
    fed = {dimension for q in pack.quick_questions() for dimension in q.dimensions()}
    assert fed == {d.id for d in pack.dimensions}


def test_quick_subset_never_depends_on_a_question_outside_it(pack: Pack) -> None:
    quick_ids = {q.id for q in pack.quick_questions()}
    for question in pack.quick_questions():
        outside = _when_symbols(question, pack) - quick_ids
        assert not outside, f"quick question {question.id} depends on {sorted(outside)}"


def test_no_two_questions_ask_the_same_thing(pack: Pack) -> None:
    for lang in LANGUAGES:
        for a, b in itertools.combinations(pack.questions, 2):
            ratio = difflib.SequenceMatcher(
                None, _normalise(a.text.get(lang)), _normalise(b.text.get(lang))
            ).ratio()
            assert ratio < SAME_QUESTION_RATIO, f"{a.id} and {b.id} read alike in {lang}"
            assert a.help.get(lang) != b.help.get(lang), f"{a.id} and {b.id} share their help"


# The example clients.


def _example(name: str) -> AnswersFile:
    return load_answers(EXAMPLES_DIR / f"{name}.yaml")


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_fits_the_pack(name: str, pack: Pack) -> None:
    answers = _example(name)
    assert (answers.pack, answers.pack_version) == (pack.id, pack.version)
    for question_id, answer in answers.answers.items():
        question = pack.question(question_id)
        assert question is not None, f"{name}: answer to unknown question {question_id}"
        if answer.status == Status.ANSWERED:
            check_value(question, answer.value)
        if answer.status == Status.NOT_APPLICABLE:
            assert question.allow_not_applicable, f"{name}: {question_id} cannot be n/a"


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_is_complete_and_covers_every_section(name: str, pack: Pack) -> None:
    answers = _example(name)
    _, hidden = environment(pack, answers)
    shown = [q for q in pack.questions if q.id not in hidden]
    assert [q.id for q in shown if q.id not in answers.answers] == []
    assert sorted(hidden & set(answers.answers)) == [], f"{name} answers hidden questions"
    settled = {Status.ANSWERED, Status.NOT_APPLICABLE}
    assert {a.status for a in answers.answers.values()} <= settled
    answered_sections = {q.section for q in shown if answers.answers[q.id].status in settled}
    assert answered_sections == {s.id for s in pack.sections}


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_contact_export_is_shipped_next_to_it(name: str) -> None:
    answers = _example(name)
    export = answers.answers["contact_export"]
    assert export.status == Status.ANSWERED
    assert (EXAMPLES_DIR / str(export.value)).is_file()


def test_examples_contrast_on_what_the_rules_must_tell_apart() -> None:
    examples = [_example(name) for name in EXAMPLES]
    for question_id in ("offer_nature", "online_suitability", "written_objectives"):
        values = {a.answers[question_id].value for a in examples}
        assert len(values) == len(EXAMPLES), f"examples do not contrast on {question_id}"
    assert {a.language for a in examples} == set(LANGUAGES)


def _contacts_script() -> ModuleType:
    path = ROOT / "scripts" / "make_example_contacts.py"
    spec = importlib.util.spec_from_file_location("make_example_contacts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


def test_example_contact_lists_match_their_seeded_script(tmp_path: Path) -> None:
    script = _contacts_script()
    assert script.main(["--output", str(tmp_path)]) == 0
    for name in EXAMPLES:
        written = (tmp_path / f"{name}-contacts.csv").read_bytes()
        shipped = (EXAMPLES_DIR / f"{name}-contacts.csv").read_bytes()
        assert written == shipped, f"{name}-contacts.csv is out of date: rerun the script"


def test_example_contact_lists_tell_each_clients_story() -> None:
    from audit.contacts.analysis import analyse_file

    measured = {
        name: analyse_file(EXAMPLES_DIR / f"{name}-contacts.csv").to_dict() for name in EXAMPLES
    }
    for analysis in measured.values():
        assert analysis["invalid"] >= 1 and analysis["duplicates"] >= 1
    assert measured["industrial"]["generic_share"] > 0.5
    assert measured["craft"]["webmail_share"] > 0.5
    assert measured["digital"]["consent_share"] > 0.9
    assert measured["digital"]["generic_share"] < measured["industrial"]["generic_share"]
