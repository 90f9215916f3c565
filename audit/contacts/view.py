"""What a client-facing output shows of a contact-list analysis: no raw address, no path.

Sample addresses (and the reasons given for them) stay in the answers file and in the
terminal's `audit contacts`; the source keeps the file's name (not its folder), size and
dates; malformed rows keep their row numbers and reasons. Keys a stored analysis does not
define (a hand edit, a newer analysis) are left out.

An analysis read from an answers file is checked first (`audit.contacts.stored`); one this
run has just made is already in that shape and goes straight to `view_of`, without the
model stack.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

# The fields of a stored analysis, in order (StoredContactAnalysis's: a test keeps them
# equal); the ones not listed in _EMPTY default to None.
FIELDS = (
    *("source", "layout", "email_column", "consent_column", "activity_column", "audience"),
    *("audience_inferred", "rows", "valid", "invalid", "duplicates", "unique_valid"),
    *("generic", "webmail", "disposable", "named", "no_address", "generic_share"),
    *("webmail_share", "named_share", "disposable_share", "invalid_share", "duplicate_share"),
    *("consent_share", "stale_share", "consent_known", "dated", "stale_months"),
    *("median_age_months", "malformed_count", "malformed_rows", "recoded_rows"),
    *("top_domains", "top_domains_exact", "samples", "observations"),
)
_EMPTY: dict[str, type] = {
    "malformed_rows": list,
    "top_domains": list,
    "samples": dict,
    "observations": list,
}
SOURCE_KEPT = ("size", "modified", "analysed")
WITHHELD = frozenset({"source", "samples", "malformed_rows"})


def _field(data: Mapping[str, Any], name: str) -> Any:
    if name in data:
        return copy.deepcopy(data[name])
    empty = _EMPTY.get(name)
    return empty() if empty is not None else None


def view_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """The client view of an analysis in the stored shape (`ContactAnalysis.to_dict()`,
    or a checked stored analysis)."""
    view = {name: _field(data, name) for name in FIELDS if name not in WITHHELD}
    source = data.get("source")
    if source is not None:
        name = PurePath(str(source["file"]).replace("\\", "/")).name
        view["source"] = {"file": name, **{k: source.get(k) for k in SOURCE_KEPT}}
    else:
        view["source"] = None
    malformed = data.get("malformed_rows") or []
    view["malformed_rows"] = [{"row": m["row"], "reason": m["reason"]} for m in malformed]
    return view
