"""Evaluating a compiled condition tree: plain data in, the value rule-engine would give out.

A tree is what `audit.questionnaire.compiler` makes of rule-engine's syntax tree, as
nested lists (JSON-ready, so the pack cache can keep it):

    ["symbol", name, type]        a symbol and its declared type (a DataType value)
    ["value", v]                  a string, number, boolean or null
    ["array", [tree, ...]]        a list literal
    [op, left, right]             op: eq ne lt le gt ge and or
    ["in", member, container]
    ["not", tree], ["neg", tree]

Evaluation follows rule-engine's own rules, so a condition means the same whether it was
just compiled or read from the cache (tests/test_conditions.py checks the two against
each other on random values): numbers are compared as numbers whatever their Python
type; `==` between values of different types is false; ordering two values of different
types, or a value with null, is an error, and so is a symbol whose value does not have
its declared type; `and`/`or` stop at the first operand that decides. An error makes the
condition false (or undetermined when it read an unknown symbol: see `conditions`).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from audit.questionnaire.types import DataType

Tree = list[Any]


class EvaluationFailed(Exception):
    """The expression cannot be evaluated with these values (rule-engine's EvaluationError)."""


def _coerce(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_coerce(item) for item in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if value is None or isinstance(value, str | bool):
        return value
    raise EvaluationFailed(f"unsupported value {value!r}")


def _fits(value: Any, kind: str) -> bool:
    if value is None or kind == DataType.UNDEFINED:
        return True
    if kind == DataType.FLOAT:
        return isinstance(value, float)
    if kind == DataType.STRING:
        return isinstance(value, str)
    if kind == DataType.BOOLEAN:
        return isinstance(value, bool)
    if kind == DataType.STRING_ARRAY:
        return isinstance(value, tuple) and all(isinstance(item, str) for item in value)
    return False


_ORDER: dict[str, Callable[[Any, Any], Any]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def _ordered(op: Callable[[Any, Any], Any], left: Any, right: Any) -> Any:
    if left is None and right is None:
        return op in (operator.ge, operator.le)
    if isinstance(left, tuple) and isinstance(right, tuple):
        for a, b in zip(left, right, strict=False):
            if _ordered(operator.ne, a, b):
                return _ordered(op, a, b)
        if len(left) != len(right):
            return _ordered(op, float(len(left)), float(len(right)))
        return op in (operator.ge, operator.le)
    if type(left) is not type(right):
        raise EvaluationFailed("data type mismatch")
    return op(left, right)


class Evaluator:
    """Evaluates trees against one set of symbols, recording the symbols read."""

    def __init__(self, env: Mapping[str, Any]) -> None:
        self.env = env
        self.reads: list[str] = []

    def value(self, tree: Tree) -> Any:
        kind = tree[0]
        if kind == "symbol":
            name = tree[1]
            self.reads.append(name)
            symbol = self.env.get(name)
            value = _coerce(None if symbol is None else symbol.value)
            if not _fits(value, tree[2]):
                raise EvaluationFailed(f"'{name}' does not hold a {tree[2]}")
            return value
        if kind == "value":
            return tree[1]
        if kind == "array":
            return tuple(self.value(item) for item in tree[1])
        if kind == "and":
            return bool(self.value(tree[1]) and self.value(tree[2]))
        if kind == "or":
            return bool(self.value(tree[1]) or self.value(tree[2]))
        if kind == "not":
            return not self.value(tree[1])
        if kind == "neg":
            operand = self.value(tree[1])
            if not isinstance(operand, float):
                raise EvaluationFailed("data type mismatch (not a number)")
            return -operand
        if kind == "in":
            # rule-engine evaluates the container first, then the member.
            container = self.value(tree[2])
            member = self.value(tree[1])
            if isinstance(container, str) and not isinstance(member, str):
                raise EvaluationFailed("data type mismatch")
            if not isinstance(container, str | tuple):
                raise EvaluationFailed("data type mismatch (not a container)")
            return member in container
        left, right = self.value(tree[1]), self.value(tree[2])
        if kind == "eq":
            return type(left) is type(right) and left == right
        if kind == "ne":
            return type(left) is not type(right) or left != right
        return _ordered(_ORDER[kind], left, right)


def symbols_of(tree: Tree) -> set[str]:
    """Every symbol a tree may read."""
    if tree[0] == "symbol":
        return {tree[1]}
    if tree[0] == "value":
        return set()
    if tree[0] == "array":
        return set().union(*(symbols_of(item) for item in tree[1]))
    return set().union(*(symbols_of(part) for part in tree[1:]))
