"""What the columns of a contact-list export mean: header names, consent values, dates.

The vocabulary lives in `data/columns.yaml`; this module normalises headers and cell
values and parses the dates clients' tools write (ISO, French day-first, Excel serials).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib.resources import files
from typing import Any

from audit import shipped

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, accents removed, everything but letters and digits dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("", stripped.lower())


@dataclass(frozen=True)
class Vocabulary:
    """Header names that identify one kind of column."""

    exact: frozenset[str]
    contains: tuple[str, ...]

    def match(self, header: str) -> int:
        """2 for an exact name, 1 for a name containing a known fragment, 0 otherwise."""
        name = normalise(header)
        if not name:
            return 0
        if name in self.exact:
            return 2
        return 1 if any(fragment in name for fragment in self.contains) else 0


@dataclass(frozen=True)
class ColumnVocabulary:
    """The column names and consent values of `data/columns.yaml`."""

    email: Vocabulary
    consent: Vocabulary
    activity: Vocabulary
    consent_yes: frozenset[str]
    consent_no: frozenset[str]


def _vocabulary(data: dict[str, Any]) -> Vocabulary:
    return Vocabulary(
        exact=frozenset(normalise(str(n)) for n in data["exact"]),
        contains=tuple(normalise(str(n)) for n in data["contains"]),
    )


@cache
def vocabulary() -> ColumnVocabulary:
    """The shipped column vocabulary (read once)."""
    data = shipped.data(files("audit.contacts") / "data" / "columns.yaml")
    values = data["consent_values"]
    return ColumnVocabulary(
        email=_vocabulary(data["email"]),
        consent=_vocabulary(data["consent"]),
        activity=_vocabulary(data["activity"]),
        consent_yes=frozenset(normalise(str(v)) for v in values["yes"]),
        consent_no=frozenset(normalise(str(v)) for v in values["no"]),
    )


def consent_value(cell: Any) -> bool | None:
    """True (consent recorded), False (refused or not recorded: empty), None (unreadable)."""
    if cell is None:
        return False
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float):
        return True if cell == 1 else False if cell == 0 else None
    text = normalise(str(cell))
    if not text:
        return False
    words = vocabulary()
    if text in words.consent_yes:
        return True
    if text in words.consent_no:
        return False
    return None


# Day first, as French tools write dates; a year of two digits is 20yy (or 19yy if in the future).
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:[ T].*)?\Z")
_YEAR_FIRST = re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T].*)?\Z")
_EXCEL_EPOCH = date(1899, 12, 30)
# Excel serial numbers between 1990 and 2100: anything else in a date column is not a date.
_SERIAL_RANGE = (32874, 73051)


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(cell: Any, today: date) -> date | None:
    """A date from a cell: a date/datetime, an Excel serial number, or text.

    Text may be ISO (`2024-03-18`, with or without a time), day-first
    (`18/03/2024`, `18-03-24`, `18.03.2024`), or month-first when day-first is impossible.
    Returns None for anything else.
    """
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if _SERIAL_RANGE[0] <= cell <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + timedelta(days=int(cell))
        return None
    text = str(cell).strip()
    if not text:
        return None
    match = _YEAR_FIRST.match(text)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]))
    match = _DAY_FIRST.match(text)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if len(match[3]) == 2:
            year += 2000
            if year > today.year:
                year -= 100
        return _make_date(year, second, first) or _make_date(year, first, second)
    if text.isdigit():
        return parse_date(int(text), today)
    return None
