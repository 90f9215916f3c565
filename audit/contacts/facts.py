"""Contact-list facts as conditions see them: typed symbols, unknown when not measured.

The analysis stored under `answers.facts["contacts"]` (a `ContactAnalysis.to_dict()`)
becomes FLOAT symbols for findings and rules: counts, and shares as fractions 0-1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from audit.questionnaire.conditions import UNKNOWN, DataType, Symbol

# Symbol name -> key of the stored analysis.
FACT_KEYS: dict[str, str] = {
    "contacts_rows": "rows",
    "contacts_unique_valid": "unique_valid",
    "contacts_generic_share": "generic_share",
    "contacts_webmail_share": "webmail_share",
    "contacts_named_share": "named_share",
    "contacts_invalid_share": "invalid_share",
    "contacts_duplicate_share": "duplicate_share",
    "contacts_disposable_share": "disposable_share",
    "contacts_consent_share": "consent_share",
    "contacts_stale_share": "stale_share",
}

FACT_TYPES: dict[str, Any] = dict.fromkeys(FACT_KEYS, DataType.FLOAT)


def fact_symbols(facts: Mapping[str, Any] | None) -> dict[str, Symbol]:
    """The contact facts as condition symbols.

    `facts` is the stored analysis, or the whole `answers.facts` mapping (its
    "contacts" entry is then used), or None. A fact is unknown when no list was analysed
    or when the analysis could not measure it (a null share: no consent column...).
    """
    analysis: Any = facts
    if isinstance(facts, Mapping) and isinstance(facts.get("contacts"), Mapping):
        analysis = facts["contacts"]
    symbols: dict[str, Symbol] = {}
    for name, key in FACT_KEYS.items():
        value = analysis.get(key) if isinstance(analysis, Mapping) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            symbols[name] = Symbol(float(value))
        else:
            symbols[name] = UNKNOWN
    return symbols
