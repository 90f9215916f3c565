"""Measured facts as condition symbols, from the numbers `audit.contacts.facts` reads.

Besides the contact-list facts, the diagnosis offers `contacts_measured`: a boolean that
is always known (true when a contact list was analysed), so content can say "if measured,
trust the measure; otherwise, trust the answer" without the whole condition becoming
undetermined when no list was given.

When a list was analysed but could not measure a fact (no consent column, no dates), the
fact is *absent* (a known null: comparisons are false) rather than unknown: re-asking the
client would not settle it, so the answers decide instead of leaving the rule to verify.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from audit.contacts.facts import FACT_KEYS, fact_values
from audit.questionnaire.types import ABSENT, UNKNOWN, DataType, Symbol

MEASURED = "contacts_measured"
# Contact facts are numbers: counts, and shares as fractions 0-1.
FACT_TYPES: dict[str, DataType] = dict.fromkeys(FACT_KEYS, DataType.FLOAT)


def fact_types() -> dict[str, DataType]:
    """The typed fact symbols conditions may read."""
    return {**FACT_TYPES, MEASURED: DataType.BOOLEAN}


def fact_symbols(facts: Mapping[str, Any] | None) -> dict[str, Symbol]:
    """The contact facts as symbols: unknown where nothing was measured."""
    return {
        name: UNKNOWN if value is None else Symbol(value)
        for name, value in fact_values(facts).items()
    }


def fact_env(facts: Mapping[str, Any]) -> dict[str, Symbol]:
    """The fact symbols for an answers file's `facts` (unknown when nothing was measured)."""
    symbols = fact_symbols(facts)
    measured = bool(facts.get("contacts"))
    if measured:
        symbols = {name: ABSENT if not s.known else s for name, s in symbols.items()}
    symbols[MEASURED] = Symbol(measured)
    return symbols


def is_share(name: str) -> bool:
    """Whether a fact is a share (0-1), shown as a percentage."""
    return name.endswith("_share")
