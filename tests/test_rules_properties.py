"""Properties of the rules, for any client (hypothesis).

- Every complete answers file gets a verdict for every solution, and never "to verify":
  the rules never hang on a fact that was not measured.
- Improving one prerequisite never makes a verdict worse. "Improving" means an answer
  change that turns that prerequisite's `met` from false or unknown to true and leaves
  every other condition of the solution as it was. The order is
  not_recommended < not_yet < to_verify < adopt (see audit.prescription.verdict).
- Replacing an answer by "don't know" yields `to_verify`, never `adopt`, exactly when one
  of the solution's conditions needed it (became undetermined).
- A solution is never judged better than one it `needs` (rules.yaml): marketing
  automation is never better than e-mailing for the same client.
- A local walk-in shop with no e-mail list never gets marketing automation, whatever else
  is true.
"""

from __future__ import annotations

from typing import Any

from diagnosis_helpers import ENGAGEMENT, answers_for, pack_at
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.assessment import compiled_content
from audit.diagnosis.facts import fact_env
from audit.diagnosis.findings import evaluate_findings
from audit.prescription.rules import Solution
from audit.prescription.verdict import VERDICT_RANK, Verdict, decide, judge
from audit.questionnaire.model import Question, QuestionType
from audit.session.answers import AnswersFile
from audit.session.values import environment

PACK = pack_at(ENGAGEMENT)
CATALOGUE, BOOK = compiled_content(PACK)
assert BOOK is not None
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def alternatives(question: Question) -> list[Any]:
    """Every value worth trying for a question (multiple choice: none, each one, all)."""
    ids = [c.id for c in question.choices]
    if question.type in (QuestionType.SINGLE, QuestionType.SCALE):
        return ids
    if question.type == QuestionType.MULTIPLE:
        return [[], *([i] for i in ids), ids]
    if question.type == QuestionType.YES_NO:
        return [True, False]
    if question.type == QuestionType.NUMBER:
        return [question.min or 0, question.max or 100]
    if question.type == QuestionType.FILE:
        return [None]
    return ["a note"]


def value_strategy(question: Question) -> st.SearchStrategy[Any]:
    if question.type == QuestionType.MULTIPLE:
        ids = [c.id for c in question.choices]
        return st.lists(st.sampled_from(ids), unique=True)
    return st.sampled_from(alternatives(question))


SHARE = st.floats(min_value=0, max_value=1)
CONTACTS = st.fixed_dictionaries(
    {
        "rows": st.integers(1, 5000),
        "unique_valid": st.integers(1, 5000),
        "generic_share": SHARE,
        "named_share": SHARE,
        "webmail_share": SHARE,
        "invalid_share": SHARE,
        "duplicate_share": SHARE,
        "disposable_share": SHARE,
        "consent_share": st.none() | SHARE,
        "stale_share": st.none() | SHARE,
    }
)


@st.composite
def complete_answers(draw: st.DrawFn) -> AnswersFile:
    """A complete answers file: every question shown by its `when` is answered."""
    values = {q.id: draw(value_strategy(q)) for q in PACK.questions}
    facts: dict[str, Any] = {}
    if draw(st.booleans()):
        facts["contacts"] = draw(CONTACTS)
    answers = answers_for(PACK, values, **facts)
    _, hidden = environment(PACK, answers)
    for qid in hidden:
        del answers.answers[qid]
    return answers


def evaluate(answers: AnswersFile) -> tuple[dict[str, Any], dict[Solution, Any]]:
    """Condition results of every rule, and the judgement, per solution."""
    env, _ = environment(PACK, answers)
    env = {**env, **fact_env(answers.facts)}
    results = evaluate_findings(CATALOGUE, env)
    findings = {r.finding.id: r for r in results}
    env.update({r.finding.id: r.symbol for r in results})
    assert BOOK is not None
    outcomes: dict[Solution, Any] = {}
    judgements: dict[Solution, Any] = {}
    for solution, rules in BOOK.solutions.items():
        outcomes[solution] = {
            (rule.kind, rule.id, rule.inherited): rule.condition.evaluate(env).result
            for rule in rules.rules()
        }
        judgements[solution] = judge(rules, env, findings, BOOK.prerequisites)
    return outcomes, judgements


@SETTINGS
@given(complete_answers())
def test_every_complete_answers_file_gets_a_verdict_for_every_solution(
    answers: AnswersFile,
) -> None:
    _, judgements = evaluate(answers)
    assert set(judgements) == set(Solution)
    for judgement in judgements.values():
        assert judgement.verdict in (Verdict.ADOPT, Verdict.NOT_YET, Verdict.NOT_RECOMMENDED)
        assert judgement.main is not None and judgement.deciding


def _with(answers: AnswersFile, qid: str, value: Any) -> AnswersFile:
    values = {k: (a.value if a.status == "answered" else None) for k, a in answers.answers.items()}
    values[qid] = value
    changed = answers_for(PACK, values, **answers.facts)
    _, hidden = environment(PACK, changed)
    for hidden_id in hidden:
        changed.answers.pop(hidden_id, None)
    return changed


def _symbols_behind(names: set[str]) -> set[str]:
    """Question ids read by conditions, through the findings they cite."""
    questions: set[str] = set()
    for name in names:
        compiled = CATALOGUE.get(name)
        if compiled is not None:
            questions |= _symbols_behind(set(compiled.condition.symbols))
        elif PACK.question(name) is not None:
            questions.add(name)
    return questions


@SETTINGS
@given(complete_answers(), st.data())
def test_improving_one_prerequisite_never_makes_a_verdict_worse(
    answers: AnswersFile, data: st.DataObject
) -> None:
    outcomes, judgements = evaluate(answers)
    solution = data.draw(st.sampled_from(list(Solution)))
    rules = BOOK.solutions[solution]
    unmet = [
        r
        for r in rules.prerequisites
        if outcomes[solution][(r.kind, r.id, r.inherited)] is not True
    ]
    if not unmet:
        return
    target = data.draw(st.sampled_from(unmet))
    before = judgements[solution].verdict
    for qid in sorted(_symbols_behind(set(target.condition.symbols))):
        question = PACK.question(qid)
        assert question is not None
        for value in alternatives(question):
            after_outcomes, after_judgements = evaluate(_with(answers, qid, value))
            changed = {
                key
                for key, result in after_outcomes[solution].items()
                if result != outcomes[solution][key]
            }
            if changed != {(target.kind, target.id, target.inherited)}:
                continue  # not an improvement of this prerequisite alone
            assert after_outcomes[solution][(target.kind, target.id, target.inherited)] is True
            after = after_judgements[solution].verdict
            assert VERDICT_RANK[after] >= VERDICT_RANK[before], (qid, value, before, after)


@SETTINGS
@given(complete_answers(), st.data())
def test_dont_know_on_a_needed_answer_never_gives_adopt(
    answers: AnswersFile, data: st.DataObject
) -> None:
    outcomes, judgements = evaluate(answers)
    adopted = [s for s, j in judgements.items() if j.verdict == Verdict.ADOPT]
    if not adopted:
        return
    solution = data.draw(st.sampled_from(adopted))
    read = _symbols_behind(
        {name for rule in BOOK.solutions[solution].rules() for name in rule.condition.symbols}
    )
    qid = data.draw(st.sampled_from(sorted(read & set(answers.answers))))
    after_outcomes, after_judgements = evaluate(_with(answers, qid, "?"))
    needed = None in after_outcomes[solution].values()
    verdict = after_judgements[solution].verdict
    if needed:
        assert verdict == Verdict.TO_VERIFY
        assert after_judgements[solution].unknown
    else:
        assert verdict == Verdict.ADOPT


RESULT = st.sampled_from([True, False, None])
BETTER_PREREQ = {False: [None, True], None: [True], True: []}
BETTER_CONTRA = {True: [None, False], None: [False], False: []}


@settings(max_examples=300)
@given(
    st.lists(st.tuples(RESULT, st.booleans()), max_size=3),
    st.lists(RESULT, min_size=1, max_size=4),
    RESULT,
    st.data(),
)
def test_decision_is_monotonic_in_every_condition(
    contras: list[tuple[bool | None, bool]],
    prereq: list[bool | None],
    fit: bool | None,
    data: st.DataObject,
) -> None:
    contra = [result for result, _ in contras]
    passing = [passes for _, passes in contras]
    before = VERDICT_RANK[decide(contra, prereq, fit, passing).verdict]
    index = data.draw(st.integers(0, len(prereq) - 1))
    for better in BETTER_PREREQ[prereq[index]]:
        improved = [*prereq[:index], better, *prereq[index + 1 :]]
        assert VERDICT_RANK[decide(contra, improved, fit, passing).verdict] >= before
    for better in BETTER_PREREQ[fit]:
        assert VERDICT_RANK[decide(contra, prereq, better, passing).verdict] >= before
    for i, value in enumerate(contra):
        for better in BETTER_CONTRA[value]:
            improved = [*contra[:i], better, *contra[i + 1 :]]
            assert VERDICT_RANK[decide(improved, prereq, fit, passing).verdict] >= before
        # A contraindication that passes is never worse than one that lasts.
        if not passing[i]:
            eased = [*passing[:i], True, *passing[i + 1 :]]
            assert VERDICT_RANK[decide(contra, prereq, fit, eased).verdict] >= before


@settings(max_examples=200)
@given(st.lists(st.tuples(RESULT, st.booleans()), max_size=3), st.lists(RESULT), RESULT)
def test_a_passing_contraindication_gives_not_yet_a_lasting_one_not_recommended(
    contras: list[tuple[bool | None, bool]], prereq: list[bool | None], fit: bool | None
) -> None:
    contra = [result for result, _ in contras]
    passing = [passes for _, passes in contras]
    verdict = decide(contra, prereq, fit, passing).verdict
    if any(r is True and not p for r, p in contras) or fit is False:
        assert verdict == Verdict.NOT_RECOMMENDED
    elif any(r is True for r in contra):
        assert verdict == Verdict.NOT_YET


@SETTINGS
@given(complete_answers())
def test_a_solution_is_never_better_than_one_it_needs(answers: AnswersFile) -> None:
    _, judgements = evaluate(answers)
    pairs = [(s, needed) for s, rules in BOOK.solutions.items() for needed in rules.needs]
    assert (Solution.MARKETING_AUTOMATION, Solution.EMAILING) in pairs
    for solution, needed in pairs:
        better = VERDICT_RANK[judgements[solution].verdict]
        assert better <= VERDICT_RANK[judgements[needed].verdict], (solution, needed)


WALK_IN_SHOP = {
    "customer_type": "b2c",
    "sales_cycle": "same_day",
    "preferred_channels": ["visit", "email"],
    "email_sending": "never",
    "data_locations": ["paper"],
}


@SETTINGS
@given(complete_answers())
def test_a_walk_in_shop_without_a_list_never_gets_automation(answers: AnswersFile) -> None:
    shop = answers
    for qid, value in WALK_IN_SHOP.items():
        shop = _with(shop, qid, value)
    _, judgements = evaluate(shop)
    judgement = judgements[Solution.MARKETING_AUTOMATION]
    assert judgement.verdict == Verdict.NOT_RECOMMENDED
    assert any(r.rule.id == "automation_walk_in_shop" for r in judgement.deciding)
