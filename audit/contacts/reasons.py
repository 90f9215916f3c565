"""Why an address is invalid or a row unusable, in the session's language.

The analysis keeps reasons in English, as email-validator and the reader write them (the
JSON output and stored analyses stay stable across languages). `translate_reason` gives
the French wording from `data/reasons.yaml`; an English text it does not know is kept as
it is, so a reason is never lost.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from audit import shipped

# A reason nested in another (a length inside "too long ...") is translated in turn, to
# this depth at most.
_MAX_DEPTH = 3


@cache
def _table() -> tuple[tuple[re.Pattern[str], str], ...]:
    entries = shipped.data(files("audit.contacts") / "data" / "reasons.yaml")["reasons"]
    return tuple((re.compile(entry["match"]), str(entry["fr"])) for entry in entries)


def translate_reason(reason: str, lang: str, _depth: int = 0) -> str:
    """`reason` in `lang` ("fr" or "en"); English, and unknown texts, are returned as is."""
    if lang != "fr" or _depth > _MAX_DEPTH:
        return reason
    for pattern, french in _table():
        found = pattern.fullmatch(reason)
        if found:
            parts = {
                name: translate_reason(value, lang, _depth + 1)
                for name, value in found.groupdict(default="").items()
            }
            return french.format(**parts)
    return reason


def known_reason(reason: str) -> bool:
    """Whether `reason` has a French wording (used by the tests over email-validator)."""
    return any(pattern.fullmatch(reason) for pattern, _ in _table())
