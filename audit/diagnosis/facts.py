"""Measured facts as condition symbols, as `audit.contacts.facts` provides them.

Besides the contact-list facts, the diagnosis offers `contacts_measured`: a boolean that
is always known (true when a contact list was analysed), so content can say "if measured,
trust the measure; otherwise, trust the answer" without the whole condition becoming
undetermined when no list was given.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from audit.questionnaire.conditions import UNKNOWN, DataType, Symbol

MEASURED = "contacts_measured"


def _provider() -> tuple[dict[str, Any], Callable[[Mapping[str, Any]], dict[str, Symbol]]]:
    """FACT_TYPES and fact_symbols from the contact-list analysis (or unknowns until it lands)."""
    try:
        module: Any = importlib.import_module("audit.contacts.facts")
    except ImportError:
        names = (
            "contacts_rows",
            "contacts_unique_valid",
            "contacts_generic_share",
            "contacts_webmail_share",
            "contacts_named_share",
            "contacts_invalid_share",
            "contacts_duplicate_share",
            "contacts_disposable_share",
            "contacts_consent_share",
            "contacts_stale_share",
        )
        return {n: DataType.FLOAT for n in names}, lambda facts: {}
    return dict(module.FACT_TYPES), module.fact_symbols


_FACT_TYPES, _fact_symbols = _provider()


def fact_types() -> dict[str, Any]:
    """The typed fact symbols conditions may read."""
    return {**dict(_FACT_TYPES), MEASURED: DataType.BOOLEAN}


def fact_env(facts: Mapping[str, Any]) -> dict[str, Symbol]:
    """The fact symbols for an answers file's `facts` (unknown when nothing was measured)."""
    symbols: dict[str, Symbol] = {name: UNKNOWN for name in _FACT_TYPES}
    symbols.update(_fact_symbols(facts))
    measured = bool(facts.get("contacts"))
    symbols[MEASURED] = Symbol(measured)
    return symbols


def is_share(name: str) -> bool:
    """Whether a fact is a share (0-1), shown as a percentage."""
    return name.endswith("_share")
