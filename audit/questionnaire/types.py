"""What conditions are made of, with no expression engine behind it: types and symbols.

A condition reads *symbols* (answers, measured facts, findings), each declared with a
type; an expression that does not fit the types is a `ConditionError` when it compiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class DataType(StrEnum):
    """The type of a symbol in conditions."""

    STRING = "string"
    STRING_ARRAY = "string_array"  # multiple choice: the ids of the choices made
    BOOLEAN = "boolean"
    FLOAT = "float"
    UNDEFINED = "undefined"  # any value (a question that failed the schema)


class ConditionError(ValueError):
    """A condition does not parse or does not type-check against the known symbols."""


@dataclass(frozen=True)
class Symbol:
    """A value offered to conditions; `known=False` means "unknown, to verify"."""

    value: Any
    known: bool = True


UNKNOWN = Symbol(None, known=False)
ABSENT = Symbol(None, known=True)
