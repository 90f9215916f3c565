"""Measured facts as condition symbols, as `audit.contacts.facts` provides them.

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

from audit.contacts.facts import FACT_TYPES, fact_symbols
from audit.questionnaire.conditions import ABSENT, UNKNOWN, DataType, Symbol

MEASURED = "contacts_measured"


def fact_types() -> dict[str, Any]:
    """The typed fact symbols conditions may read."""
    return {**FACT_TYPES, MEASURED: DataType.BOOLEAN}


def fact_env(facts: Mapping[str, Any]) -> dict[str, Symbol]:
    """The fact symbols for an answers file's `facts` (unknown when nothing was measured)."""
    symbols: dict[str, Symbol] = dict.fromkeys(FACT_TYPES, UNKNOWN)
    symbols.update(fact_symbols(facts))
    measured = bool(facts.get("contacts"))
    if measured:
        symbols = {name: ABSENT if not s.known else s for name, s in symbols.items()}
    symbols[MEASURED] = Symbol(measured)
    return symbols


def is_share(name: str) -> bool:
    """Whether a fact is a share (0-1), shown as a percentage."""
    return name.endswith("_share")
