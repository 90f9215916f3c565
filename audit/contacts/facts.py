"""Contact-list facts: the measured numbers conditions may read, by symbol name.

The analysis stored under `answers.facts["contacts"]` (a `ContactAnalysis.to_dict()`)
gives counts, and shares as fractions 0-1. This module only names and reads them; the
diagnosis (`audit.diagnosis.facts`) makes condition symbols of them, so the contact
analysis never loads the condition machinery.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


def fact_values(facts: Mapping[str, Any] | None) -> dict[str, float | None]:
    """Every contact fact as a number, or None where it was not measured.

    `facts` is the stored analysis, or the whole `answers.facts` mapping (its
    "contacts" entry is then used), or None. A fact is None when no list was analysed or
    when the analysis could not measure it (a null share: no consent column...).
    """
    analysis: Any = facts
    if isinstance(facts, Mapping) and isinstance(facts.get("contacts"), Mapping):
        analysis = facts["contacts"]
    values: dict[str, float | None] = {}
    for name, key in FACT_KEYS.items():
        value = analysis.get(key) if isinstance(analysis, Mapping) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[name] = float(value)
        else:
            values[name] = None
    return values
