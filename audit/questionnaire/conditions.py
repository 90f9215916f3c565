"""Conditions: small expressions over answers, facts and findings, evaluated safely.

Expressions use the `rule-engine` language (never Python's `eval`). Every symbol is typed
when a pack loads, so a misspelt id or a comparison of the wrong type fails `audit validate`
rather than a workshop.

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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import rule_engine
import rule_engine.ast as ast

from audit.questionnaire.model import Question, QuestionType

DataType = rule_engine.DataType


def question_type(question: Question) -> Any:
    """The rule-engine data type a question's value has in conditions."""
    return {
        QuestionType.SINGLE: DataType.STRING,
        QuestionType.MULTIPLE: DataType.ARRAY(DataType.STRING),
        QuestionType.YES_NO: DataType.BOOLEAN,
        QuestionType.SCALE: DataType.FLOAT,
        QuestionType.NUMBER: DataType.FLOAT,
        QuestionType.TEXT: DataType.STRING,
        QuestionType.FILE: DataType.STRING,
    }[question.type]


class ConditionError(ValueError):
    """A condition does not parse or does not type-check against the known symbols."""


@dataclass(frozen=True)
class Symbol:
    """A value offered to conditions; `known=False` means "unknown, to verify"."""

    value: Any
    known: bool = True


UNKNOWN = Symbol(None, known=False)
ABSENT = Symbol(None, known=True)


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
    """One compiled rule-engine expression."""

    def __init__(self, text: str, types: Mapping[str, Any]) -> None:
        self.text = text
        self._types = dict(types)

        def resolve_type(name: str) -> Any:
            if name not in self._types:
                raise rule_engine.errors.SymbolResolutionError(name)
            return self._types[name]

        self._reads: list[str] = []

        def resolve_value(thing: Mapping[str, Symbol], name: str) -> Any:
            self._reads.append(name)
            return thing.get(name, UNKNOWN).value

        context = rule_engine.Context(type_resolver=resolve_type, resolver=resolve_value)
        try:
            self._rule = rule_engine.Rule(text, context=context)
        except rule_engine.errors.SymbolResolutionError as exc:
            name = exc.symbol_name
            raise ConditionError(f"unknown id '{name}' in condition \"{text}\"") from None
        except rule_engine.errors.RuleSyntaxError as exc:
            raise ConditionError(f'syntax error in condition "{text}": {exc.message}') from None
        except rule_engine.errors.EngineError as exc:
            message = getattr(exc, "message", str(exc))
            raise ConditionError(f'invalid condition "{text}": {message}') from None
        self.symbols: frozenset[str] = frozenset(context.symbols)

    def literals(self) -> list[Literal]:
        """Choice ids compared with symbols (`x == 'a'`, `'a' in x`, `x in ['a', 'b']`)."""
        found: list[Literal] = []
        _collect_literals(self._rule.statement.expression, found)
        return found

    def evaluate(self, env: Mapping[str, Symbol]) -> Outcome:
        self._reads = []
        error = False
        result: Any = False
        try:
            result = self._rule.evaluate(env)
        except (rule_engine.errors.EvaluationError, TypeError, AttributeError):
            # Comparing an absent (null) value with a number, or looking inside a null list.
            error = True
        read = set(self._reads)
        unknown = {name for name in read if not env.get(name, UNKNOWN).known}
        if unknown:
            return Outcome(None, read, unknown)
        if error:
            return Outcome(False, read, set())
        return Outcome(bool(result), read, set())


def _collect_literals(node: Any, found: list[Literal]) -> None:
    if isinstance(node, ast.ComparisonExpression) and node.type in ("eq", "ne"):
        for a, b in ((node.left, node.right), (node.right, node.left)):
            if isinstance(a, ast.SymbolExpression) and isinstance(b, ast.StringExpression):
                found.append(Literal(a.name, b.value))
    if isinstance(node, ast.ContainsExpression):
        container, member = node.container, node.member
        if isinstance(container, ast.SymbolExpression) and isinstance(member, ast.StringExpression):
            found.append(Literal(container.name, member.value))
        if isinstance(member, ast.SymbolExpression) and isinstance(container, ast.ArrayExpression):
            for item in container.value:
                if isinstance(item, ast.StringExpression):
                    found.append(Literal(member.name, item.value))
    for value in vars(node).values():
        children = value if isinstance(value, list | tuple) else [value]
        for child in children:
            if isinstance(child, ast.ExpressionBase):
                _collect_literals(child, found)


# A condition tree as written in YAML: an expression, or {all: [...]}, {any: [...]}, {not: x}.
ConditionSpec = str | dict[str, Any]


class Condition:
    """A compiled condition tree with three-valued (Kleene) `all`, `any` and `not`."""

    def __init__(self, spec: Any, types: Mapping[str, Any]) -> None:
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
