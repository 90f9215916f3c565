"""Compiling a condition expression with rule-engine: parse, type-check, then plain data.

This is the only module that imports `rule_engine`, and only code that compiles a
condition imports it: loading a pack whose compiled form is in the cache does not (the
import alone costs a third of a second: rule-engine builds its parser tables then).

rule-engine parses the expression and checks it against the typed symbols (unknown ids,
comparisons of the wrong type, ordering a list...). Its syntax tree is then written as
plain data (nested lists, see `audit.questionnaire.evaluation`), which the evaluator
walks and the pack cache stores. An expression using a part of the language the tree
has no form for (attributes, regular expressions, arithmetic...) keeps no tree: it is
evaluated by rule-engine itself, which is then imported when it is first evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import rule_engine
import rule_engine.ast as ast

from audit.questionnaire.evaluation import Tree
from audit.questionnaire.types import ConditionError, DataType


def engine_type(kind: DataType) -> Any:
    """rule-engine's data type for one of ours."""
    return {
        DataType.STRING: rule_engine.DataType.STRING,
        DataType.STRING_ARRAY: rule_engine.DataType.ARRAY(rule_engine.DataType.STRING),
        DataType.BOOLEAN: rule_engine.DataType.BOOLEAN,
        DataType.FLOAT: rule_engine.DataType.FLOAT,
        DataType.UNDEFINED: rule_engine.DataType.UNDEFINED,
    }[kind]


@dataclass(frozen=True)
class Compiled:
    """An expression compiled: its tree (None: rule-engine evaluates it), the symbols it
    reads with their types, and the (symbol, choice id) pairs it compares."""

    tree: Tree | None
    types: dict[str, DataType]
    literals: list[tuple[str, str]]


class _Reads:
    """Collects the symbols one rule-engine evaluation resolves."""

    def __init__(self) -> None:
        self.names: list[str] = []


def engine_rule(text: str, types: Mapping[str, DataType], reads: _Reads | None = None) -> Any:
    """The rule-engine Rule for `text`; raise ConditionError if it does not compile."""

    def resolve_type(name: str) -> Any:
        if name not in types:
            raise rule_engine.errors.SymbolResolutionError(name)
        return engine_type(types[name])

    def resolve_value(thing: Mapping[str, Any], name: str) -> Any:
        if reads is not None:
            reads.names.append(name)
        symbol = thing.get(name)
        return None if symbol is None else symbol.value

    context = rule_engine.Context(type_resolver=resolve_type, resolver=resolve_value)
    try:
        return rule_engine.Rule(text, context=context)
    except rule_engine.errors.SymbolResolutionError as exc:
        name = exc.symbol_name
        raise ConditionError(f"unknown id '{name}' in condition \"{text}\"") from None
    except rule_engine.errors.RuleSyntaxError as exc:
        raise ConditionError(f'syntax error in condition "{text}": {exc.message}') from None
    except rule_engine.errors.EngineError as exc:
        message = getattr(exc, "message", str(exc))
        raise ConditionError(f'invalid condition "{text}": {message}') from None


def compile_expression(text: str, types: Mapping[str, DataType]) -> Compiled:
    """Parse and type-check `text` against `types`; raise ConditionError."""
    rule = engine_rule(text, types)
    symbols = sorted(rule.context.symbols)
    literals: list[tuple[str, str]] = []
    _collect_literals(rule.statement.expression, literals)
    try:
        tree: Tree | None = _tree(rule.statement.expression, types)
    except _NoTree:
        tree = None
    return Compiled(tree, {name: types[name] for name in symbols}, literals)


class _NoTree(Exception):
    """A node the plain tree has no form for."""


_BINARY = {"eq", "ne", "lt", "le", "gt", "ge", "and", "or"}


def _tree(node: Any, types: Mapping[str, DataType]) -> Tree:
    if isinstance(node, ast.SymbolExpression):
        if node.scope is not None:
            raise _NoTree
        return ["symbol", node.name, types[node.name].value]
    if isinstance(node, ast.StringExpression | ast.BooleanExpression | ast.NullExpression):
        return ["value", node.value]
    if isinstance(node, ast.FloatExpression):
        return ["value", float(node.value)]
    if isinstance(node, ast.ArrayExpression):
        return ["array", [_tree(item, types) for item in node.value]]
    if type(node) in (ast.ComparisonExpression, ast.ArithmeticComparisonExpression) or isinstance(
        node, ast.LogicExpression
    ):
        if node.type not in _BINARY:
            raise _NoTree
        return [node.type, _tree(node.left, types), _tree(node.right, types)]
    if isinstance(node, ast.ContainsExpression):
        return ["in", _tree(node.member, types), _tree(node.container, types)]
    if isinstance(node, ast.UnaryExpression):
        operator = {"not": "not", "uminus": "neg"}.get(node.type)
        if operator is None:
            raise _NoTree
        return [operator, _tree(node.right, types)]
    raise _NoTree


def _collect_literals(node: Any, found: list[tuple[str, str]]) -> None:
    """Choice ids compared with symbols (`x == 'a'`, `'a' in x`, `x in ['a', 'b']`)."""
    if isinstance(node, ast.ComparisonExpression) and node.type in ("eq", "ne"):
        for a, b in ((node.left, node.right), (node.right, node.left)):
            if isinstance(a, ast.SymbolExpression) and isinstance(b, ast.StringExpression):
                found.append((a.name, b.value))
    if isinstance(node, ast.ContainsExpression):
        container, member = node.container, node.member
        if isinstance(container, ast.SymbolExpression) and isinstance(member, ast.StringExpression):
            found.append((container.name, member.value))
        if isinstance(member, ast.SymbolExpression) and isinstance(container, ast.ArrayExpression):
            for item in container.value:
                if isinstance(item, ast.StringExpression):
                    found.append((member.name, item.value))
    for value in vars(node).values():
        children = value if isinstance(value, list | tuple) else [value]
        for child in children:
            if isinstance(child, ast.ExpressionBase):
                _collect_literals(child, found)


def fallback(text: str, types: Mapping[str, DataType]) -> Any:
    """An evaluator for an expression without a tree: rule-engine's own."""
    reads = _Reads()
    rule = engine_rule(text, types, reads)

    def evaluate(env: Mapping[str, Any]) -> tuple[Any, list[str], bool]:
        reads.names = []
        try:
            return rule.evaluate(env), reads.names, False
        except (rule_engine.errors.EvaluationError, TypeError, AttributeError):
            # Comparing an absent (null) value with a number, or looking inside a null list.
            return False, reads.names, True

    return evaluate
