"""Conditions: small expressions over answers, facts and findings, evaluated safely.

Expressions use the `rule-engine` language (never Python's `eval`). Every symbol is typed
when a pack loads, so a misspelt id or a comparison of the wrong type fails `audit validate`
rather than a workshop. rule-engine parses and type-checks (`audit.questionnaire.compiler`,
the only module that imports it); the compiled expression is plain data that
`audit.questionnaire.evaluation` evaluates the way rule-engine would, and that the pack
cache keeps, so a run on an unchanged pack never imports rule-engine.

Types seen by conditions:
- single choice and free text: a string (the choice id, or the text);
- multiple choice: an array of choice ids (`'email' in channels`);
- yes/no: a boolean;
- scale: the step number, 1 for the first step (`digital_habits >= 3`);
- number: a float; file to analyse: the file name;
- facts (measured) and findings: as declared by the engine that provides them.

What an answer without a value means: a symbol is either *known* (answered, or known to
be absent: "not applicable", or a question hidden by its own `when`) or *unknown* ("don't
know", skipped, not asked yet, a fact not measured). Absent values are `null`: a
comparison with them is false. A condition that reads an unknown symbol is *undetermined*
(its result is `None`): a question whose `when` is undetermined is asked; a finding with
an undetermined condition does not fire and lists the questions to verify; a rule gives
`to_verify`. Combining conditions with `all`/`any`/`not` in YAML uses three-valued logic,
so `any: [a, b]` is true as soon as one side is true even if the other is unknown.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from audit.questionnaire.evaluation import EvaluationFailed, Evaluator, Tree
from audit.questionnaire.model import Pack, Question, QuestionType
from audit.questionnaire.types import ABSENT, UNKNOWN, ConditionError, DataType, Symbol

__all__ = [
    "ABSENT",
    "UNKNOWN",
    "Condition",
    "ConditionError",
    "DataType",
    "Expression",
    "Literal",
    "Outcome",
    "Symbol",
    "question_type",
    "remember_when",
    "when_conditions",
]


def question_type(question: Question) -> DataType:
    """The type a question's value has in conditions."""
    return {
        QuestionType.SINGLE: DataType.STRING,
        QuestionType.MULTIPLE: DataType.STRING_ARRAY,
        QuestionType.YES_NO: DataType.BOOLEAN,
        QuestionType.SCALE: DataType.FLOAT,
        QuestionType.NUMBER: DataType.FLOAT,
        QuestionType.TEXT: DataType.STRING,
        QuestionType.FILE: DataType.STRING,
    }[question.type]


@dataclass
class Outcome:
    """The result of evaluating a condition: True, False or None (undetermined)."""

    result: bool | None
    read: set[str] = field(default_factory=set)
    unknown: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Literal:
    """A choice literal compared with a symbol in an expression (for the linter)."""

    symbol: str
    value: str


class Expression:
    """One expression, compiled: checked against the symbols' types when it was made.

    `Expression(text, types)` compiles with rule-engine (imported then);
    `Expression.from_data(...)` rebuilds one from `to_data()` without it.
    """

    def __init__(self, text: str, types: Mapping[str, DataType]) -> None:
        from audit.questionnaire.compiler import compile_expression

        compiled = compile_expression(text, types)
        self._set(text, compiled.tree, compiled.types, compiled.literals)

    def _set(
        self,
        text: str,
        tree: Tree | None,
        types: Mapping[str, DataType],
        literals: list[tuple[str, str]],
    ) -> None:
        self.text = text
        self.tree = tree
        self.types = dict(types)
        self.symbols: frozenset[str] = frozenset(self.types)
        self._literals = literals
        self._engine: Callable[[Mapping[str, Symbol]], tuple[Any, list[str], bool]] | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Expression:
        """The expression `to_data()` described (raise KeyError/TypeError/ValueError if not)."""
        expression = cls.__new__(cls)
        literals = [(str(symbol), str(value)) for symbol, value in data["literals"]]
        types = {str(name): DataType(kind) for name, kind in data["types"].items()}
        expression._set(str(data["text"]), data["tree"], types, literals)
        return expression

    def to_data(self) -> dict[str, Any]:
        """Plain data (JSON-ready) from which `from_data` rebuilds this expression."""
        return {
            "text": self.text,
            "tree": self.tree,
            "types": {name: kind.value for name, kind in self.types.items()},
            "literals": [list(pair) for pair in self._literals],
        }

    def literals(self) -> list[Literal]:
        """Choice ids compared with symbols (`x == 'a'`, `'a' in x`, `x in ['a', 'b']`)."""
        return [Literal(symbol, value) for symbol, value in self._literals]

    def _value(self, env: Mapping[str, Symbol]) -> tuple[Any, list[str], bool]:
        if self.tree is None:
            if self._engine is None:
                from audit.questionnaire.compiler import fallback

                self._engine = fallback(self.text, self.types)
            return self._engine(env)
        evaluator = Evaluator(env)
        try:
            return evaluator.value(self.tree), evaluator.reads, False
        except (EvaluationFailed, TypeError, AttributeError):
            # Comparing an absent (null) value with a number, or looking inside a null list.
            return False, evaluator.reads, True

    def evaluate(self, env: Mapping[str, Symbol]) -> Outcome:
        result, reads, error = self._value(env)
        read = set(reads)
        unknown = {name for name in read if not env.get(name, UNKNOWN).known}
        if unknown:
            return Outcome(None, read, unknown)
        if error:
            return Outcome(False, read, set())
        return Outcome(bool(result), read, set())


# A condition tree as written in YAML: an expression, or {all: [...]}, {any: [...]}, {not: x}.
ConditionSpec = str | dict[str, Any]


class Condition:
    """A compiled condition tree with three-valued (Kleene) `all`, `any` and `not`."""

    def __init__(self, spec: Any, types: Mapping[str, DataType]) -> None:
        self.spec = spec
        self.expression: Expression | None = None
        self.operator: str | None = None
        self.children: list[Condition] = []
        if isinstance(spec, str):
            self.expression = Expression(spec, types)
            return
        if isinstance(spec, bool):
            raise ConditionError("a condition must be an expression, not a bare true/false")
        if not isinstance(spec, dict) or len(spec) != 1:
            raise ConditionError(
                "a condition must be an expression or one of {all: [...]}, {any: [...]}, {not: ...}"
            )
        (operator, operand), *_ = spec.items()
        if operator in ("all", "any"):
            if not isinstance(operand, list) or not operand:
                raise ConditionError(f"'{operator}' takes a non-empty list of conditions")
            self.children = [Condition(item, types) for item in operand]
        elif operator == "not":
            self.children = [Condition(operand, types)]
        else:
            raise ConditionError(f"unknown condition operator '{operator}' (use all, any or not)")
        self.operator = operator

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Condition:
        """The condition `to_data()` described (raise KeyError/TypeError/ValueError if not)."""
        condition = cls.__new__(cls)
        condition.spec = data["spec"]
        condition.expression = None
        condition.operator = data.get("operator")
        condition.children = [cls.from_data(child) for child in data.get("children", [])]
        if "expression" in data:
            condition.expression = Expression.from_data(data["expression"])
        elif condition.operator not in ("all", "any", "not") or not condition.children:
            raise ValueError("a stored condition needs an expression or an operator")
        return condition

    def to_data(self) -> dict[str, Any]:
        """Plain data (JSON-ready) from which `from_data` rebuilds this condition."""
        if self.expression is not None:
            return {"spec": self.spec, "expression": self.expression.to_data()}
        return {
            "spec": self.spec,
            "operator": self.operator,
            "children": [child.to_data() for child in self.children],
        }

    @property
    def symbols(self) -> frozenset[str]:
        if self.expression is not None:
            return self.expression.symbols
        return frozenset().union(*(child.symbols for child in self.children))

    def expressions(self) -> list[Expression]:
        if self.expression is not None:
            return [self.expression]
        return [e for child in self.children for e in child.expressions()]

    def evaluate(self, env: Mapping[str, Symbol]) -> Outcome:
        if self.expression is not None:
            return self.expression.evaluate(env)
        outcomes = [child.evaluate(env) for child in self.children]
        read = set().union(*(o.read for o in outcomes))
        unknown = set().union(*(o.unknown for o in outcomes))
        results = [o.result for o in outcomes]
        if self.operator == "not":
            inner = results[0]
            return Outcome(None if inner is None else not inner, read, unknown)
        if self.operator == "all":
            if False in results:
                return Outcome(False, read, set())
            return Outcome(None if None in results else True, read, unknown)
        if True in results:
            return Outcome(True, read, set())
        return Outcome(None if None in results else False, read, unknown)


# The compiled `when` of each question, per loaded pack object. A pack is immutable, so its
# conditions are compiled once (or come from the pack cache) and live as long as it does.
_WHEN: dict[int, tuple[weakref.ref[Pack], dict[str, Condition]]] = {}


def remember_when(pack: Pack, conditions: dict[str, Condition]) -> None:
    """Record the compiled `when` of `pack`'s questions (from the cache, or just compiled)."""
    ident = id(pack)
    _WHEN[ident] = (weakref.ref(pack, lambda _: _WHEN.pop(ident, None)), conditions)


def when_conditions(pack: Pack) -> dict[str, Condition]:
    """The compiled `when` of every question that has one, by question id.

    Raises ConditionError if one does not compile (a pack that passed `load_pack` never).
    """
    entry = _WHEN.get(id(pack))
    if entry is not None and entry[0]() is pack:
        return entry[1]
    types = {q.id: question_type(q) for q in pack.questions}
    compiled = {q.id: Condition(q.when, types) for q in pack.questions if q.when is not None}
    remember_when(pack, compiled)
    return compiled
