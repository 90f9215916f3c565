"""Conditions: compiled once by rule-engine, then evaluated as plain data exactly as it would.

- every type check `audit validate` relied on still fails at compile time, with its message;
- the plain-data evaluator gives rule-engine's own result (and reads the same symbols) for
  every condition of the shipped pack and a catalogue of operators, on random values of
  the right type, the wrong type, null and unknown (hypothesis);
- a compiled condition goes through JSON and back unchanged, without rule-engine.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.diagnosis.findings import load_findings
from audit.prescription.rules import load_rules, rule_types
from audit.questionnaire.compiler import fallback
from audit.questionnaire.conditions import (
    ABSENT,
    UNKNOWN,
    Condition,
    ConditionError,
    DataType,
    Expression,
    Outcome,
    Symbol,
)
from audit.questionnaire.loader import load_pack

TYPES: dict[str, DataType] = {
    "size": DataType.STRING,
    "channels": DataType.STRING_ARRAY,
    "has_site": DataType.BOOLEAN,
    "budget": DataType.FLOAT,
    "habits": DataType.FLOAT,
    "note": DataType.STRING,
    "broken": DataType.UNDEFINED,
}

# Expressions a pack may write, each operator the plain tree has a form for.
EXPRESSIONS = [
    "size == 'small'",
    "size != 'small'",
    "'small' == size",
    "size in ['small', 'medium']",
    "size not in ['small', 'medium']",
    "'email' in channels",
    "not 'email' in channels",
    "channels == ['email', 'phone']",
    "channels != []",
    "channels < ['phone']",
    "has_site",
    "not has_site",
    "has_site == true",
    "has_site and budget >= 1000",
    "has_site or budget > 1000.5",
    "not (has_site or size == 'small')",
    "budget < 0.3 and habits <= 3",
    "budget <= habits",
    "habits > budget",
    "budget > -2",
    "-budget < 2",
    "budget == null",
    "budget != null and budget >= 0.5",
    "habits >= 3 or size == 'large' and has_site",
    "note == ''",
    "'urgent' in note",
    "note < 'm'",
    "broken == 'x'",
    "broken == 1",
    "broken != 1",
    "broken",
    "null == size",
    "true",
    "1 < 2",
]

# Type errors and unknown ids `audit validate` reports today, with the words it uses.
REFUSED = [
    ("sise == 'small'", "unknown id 'sise'"),
    ("size == ", "syntax error"),
    ("size > 3", "invalid condition"),
    ("budget == 'high'", None),  # compiles: equality across types is allowed, and false
    ("has_site < budget", "invalid condition"),
    ("'email' in budget", "invalid condition"),
    ("channels > 2", "invalid condition"),
    ("size + 1", "invalid condition"),
    ("size in 3", "invalid condition"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_type_checks_at_compile_time_are_those_of_rule_engine(
    text: str, message: str | None
) -> None:
    if message is None:
        Expression(text, TYPES)
        return
    with pytest.raises(ConditionError) as caught:
        Expression(text, TYPES)
    assert message in str(caught.value)
    assert text.strip() in str(caught.value)


def test_condition_trees_are_checked_too() -> None:
    with pytest.raises(ConditionError, match="unknown condition operator 'either'"):
        Condition({"either": ["has_site"]}, TYPES)
    with pytest.raises(ConditionError, match="non-empty list"):
        Condition({"all": []}, TYPES)
    with pytest.raises(ConditionError, match="not a bare true/false"):
        Condition(True, TYPES)
    with pytest.raises(ConditionError, match="unknown id 'nope'"):
        Condition({"any": ["has_site", {"not": "nope"}]}, TYPES)


def _value(kind: DataType) -> st.SearchStrategy[Any]:
    words = st.sampled_from(["small", "medium", "large", "email", "phone", "", "m", "urgent x"])
    right = {
        DataType.STRING: words,
        DataType.STRING_ARRAY: st.lists(words, max_size=3).map(tuple),
        DataType.BOOLEAN: st.booleans(),
        DataType.FLOAT: st.one_of(
            st.integers(-5, 5000).map(float),
            st.sampled_from([0.3, 0.5, 0.1 + 0.2, 1000.5, -2.0, 3]),
        ),
        DataType.UNDEFINED: st.one_of(words, st.booleans(), st.just(1.0)),
    }[kind]
    wrong = st.sampled_from(["small", 2.0, True, ("a",), ("a", None)])
    return st.one_of(right, right, st.none(), wrong)


def _symbol(kind: DataType) -> st.SearchStrategy[Symbol]:
    return st.one_of(
        _value(kind).map(Symbol),
        _value(kind).map(Symbol),
        st.just(UNKNOWN),
        st.just(ABSENT),
    )


_environments = st.fixed_dictionaries({name: _symbol(kind) for name, kind in TYPES.items()})


_ENGINE: dict[str, Any] = {}


def _by_rule_engine(text: str, types: Mapping[str, DataType], env: Mapping[str, Symbol]) -> Any:
    """What the engine itself says: the reference the plain tree must match."""
    if text not in _ENGINE:
        _ENGINE[text] = fallback(text, types)
    result, reads, error = _ENGINE[text](env)
    read = set(reads)
    unknown = {name for name in read if not env.get(name, UNKNOWN).known}
    if unknown:
        return Outcome(None, read, unknown)
    return Outcome(False if error else bool(result), read, set())


COMPILED = [Expression(text, TYPES) for text in EXPRESSIONS]


def test_every_catalogue_expression_has_a_plain_tree() -> None:
    assert all(expression.tree is not None for expression in COMPILED)


@settings(max_examples=300, deadline=None)
@given(env=_environments)
def test_the_plain_tree_evaluates_as_rule_engine_does(env: dict[str, Symbol]) -> None:
    for expression in COMPILED:
        assert expression.evaluate(env) == _by_rule_engine(expression.text, TYPES, env), (
            expression.text
        )


def _shipped() -> tuple[list[Expression], dict[str, list[Symbol]]]:
    """Every expression of the shipped pack, and for each symbol the values worth trying:
    its choices (or sets of them), the numbers the conditions compare with, wrong types,
    null and unknown."""
    pack = load_pack("engagement")
    catalogue = load_findings(pack)
    book = load_rules(pack, catalogue)
    assert book is not None
    conditions = [f.condition for f in catalogue.findings]
    conditions += [rule.condition for s in book.solutions.values() for rule in s.rules()]
    types = rule_types(pack, catalogue)
    expressions = [e for c in conditions for e in c.expressions()]
    expressions += [Expression(q.when, types) for q in pack.questions if q.when]
    numbers = {0.0, 1.0, 3.0, 0.1 + 0.2, 10_000.0}
    numbers |= {n for e in expressions for n in _numbers(e.tree)}
    wrong = [Symbol("x"), Symbol(2.0), Symbol(True), Symbol(("a",)), UNKNOWN, ABSENT]
    pools: dict[str, list[Symbol]] = {}
    for name, kind in types.items():
        question = pack.question(name)
        choices = [c.id for c in question.choices] if question else []
        if kind == DataType.STRING:
            values: list[Any] = choices or ["", "text"]
        elif kind == DataType.STRING_ARRAY:
            values = [(), tuple(choices[:1]), tuple(choices[1:3]), tuple(choices)]
        elif kind == DataType.BOOLEAN:
            values = [True, False]
        else:
            values = sorted(numbers) + [n + 0.01 for n in numbers] + [n - 0.01 for n in numbers]
        pools[name] = [Symbol(v) for v in values] * 3 + wrong
    return expressions, pools


def _numbers(tree: Any) -> set[float]:
    if isinstance(tree, list):
        if tree[:1] == ["value"] and isinstance(tree[1], float):
            return {tree[1]}
        return set().union(*(_numbers(part) for part in tree))
    return set()


def test_the_shipped_conditions_evaluate_as_rule_engine_does() -> None:
    expressions, pools = _shipped()
    assert len(expressions) > 100
    assert all(expression.tree is not None for expression in expressions)
    rng = random.Random(20261130)
    types = {name: kind for e in expressions for name, kind in e.types.items()}
    for _ in range(300):
        env = {name: rng.choice(pool) for name, pool in pools.items()}
        for expression in expressions:
            reference = _by_rule_engine(expression.text, types, env)
            assert expression.evaluate(env) == reference, (expression.text, env)


def test_what_the_tree_has_no_form_for_is_evaluated_by_rule_engine() -> None:
    expression = Expression("note =~ 'ur.ent' and budget + 1 > 2", TYPES)
    assert expression.tree is None
    env = {"note": Symbol("urgent"), "budget": Symbol(5.0)}
    assert expression.evaluate(env).result is True
    stored = Expression.from_data(json.loads(json.dumps(expression.to_data())))
    assert stored.evaluate(env).result is True
    assert stored.evaluate({**env, "budget": UNKNOWN}).result is None


def test_a_compiled_condition_goes_through_json_unchanged() -> None:
    spec = {"any": ["has_site", {"all": ["budget >= 1000", {"not": "size == 'small'"}]}]}
    condition = Condition(spec, TYPES)
    stored = Condition.from_data(json.loads(json.dumps(condition.to_data())))
    assert stored.spec == spec and stored.symbols == condition.symbols
    assert [e.literals() for e in stored.expressions()] == [
        e.literals() for e in condition.expressions()
    ]
    env = {"has_site": Symbol(False), "budget": Symbol(2000.0), "size": UNKNOWN}
    assert stored.evaluate(env) == condition.evaluate(env)
    assert stored.evaluate(env).result is None


def test_evaluating_a_stored_condition_does_not_import_rule_engine() -> None:
    condition = Condition({"all": ["has_site", "budget > 10"]}, TYPES)
    code = f"""
import json, sys
from audit.questionnaire.conditions import Condition, Symbol
condition = Condition.from_data(json.loads({json.dumps(json.dumps(condition.to_data()))}))
outcome = condition.evaluate({{"has_site": Symbol(True), "budget": Symbol(12.0)}})
print(outcome.result, "rule_engine" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]
