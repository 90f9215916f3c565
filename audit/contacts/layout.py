"""Finding the columns of a contact list: its header, the e-mail, consent and activity columns.

Works on a sample of the first rows. The e-mail column is found by its header (an exact
name first, then a name containing a known fragment), or by its content (the column where
most values contain '@'); `--column` overrides. The consent and last-activity columns are
found by their headers and kept only if most of their values read as consent or dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from audit.contacts.columns import Vocabulary, consent_value, normalise, parse_date, vocabulary
from audit.errors import ContactsError, Location


@dataclass(frozen=True)
class Column:
    """A column of the list: its 0-based index and the name a user knows it by."""

    index: int
    name: str


@dataclass(frozen=True)
class Layout:
    """What the sample says about the file: its header and the columns that matter."""

    header: list[str] | None
    header_row: Sequence[Any] | None  # the header's cells as read, to skip it when streaming
    width: int  # fields a row must have (the header without empty trailing cells)
    full_width: int  # fields a row may have
    email: Column
    consent: Column | None
    activity: Column | None


def _error(path: Path, message: str, expected: str, **where: Any) -> ContactsError:
    return ContactsError(message, Location(file=path, **where), expected=expected)


def is_blank(cells: Sequence[Any]) -> bool:
    """Whether a row holds nothing but empty cells."""
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _has_header(first: Sequence[Any], sample: Sequence[Sequence[Any]]) -> bool:
    texts = [str(cell) for cell in first if cell is not None]
    if any("@" in text for text in texts) or not texts:
        return False
    words = vocabulary()
    if any(
        words.email.match(t) or words.consent.match(t) or words.activity.match(t) for t in texts
    ):
        return True
    # No known name and no address in the first row: a header if addresses follow.
    return any(isinstance(c, str) and "@" in c for row in sample for c in row)


def _column_values(sample: Sequence[Sequence[Any]], index: int) -> list[Any]:
    values = []
    for row in sample:
        if index < len(row):
            cell = row[index]
            if cell is not None and not (isinstance(cell, str) and not cell.strip()):
                values.append(cell)
    return values


def _at_count(sample: Sequence[Sequence[Any]], index: int) -> tuple[int, int]:
    values = _column_values(sample, index)
    return sum(1 for v in values if isinstance(v, str) and "@" in v), len(values)


def _named_columns(header: Sequence[str] | None, vocab: Vocabulary, level: int) -> list[int]:
    if header is None:
        return []
    return [i for i, name in enumerate(header) if vocab.match(name) == level]


def _find_email(
    path: Path, header: list[str] | None, sample: list[Sequence[Any]], width: int
) -> int:
    counts = [_at_count(sample, i) for i in range(width)]
    majority = [i for i, (at, filled) in enumerate(counts) if filled and at / filled >= 0.5]
    for level in (2, 1):
        named = _named_columns(header, vocabulary().email, level)
        with_at = [i for i in named if counts[i][0]]
        if with_at:
            return max(with_at, key=lambda i: counts[i][0])
        if level == 2 and named and not majority:
            return named[0]
    if majority:
        return max(majority, key=lambda i: counts[i][0])
    raise _error(
        path,
        "no e-mail column found",
        expected=(
            "a header such as email, e-mail, courriel or adresse e-mail, or a column whose "
            "values contain '@'; name the column with --column"
        ),
    )


def _resolve_column(path: Path, spec: str, header: list[str] | None, width: int) -> int:
    wanted = normalise(spec)
    if header is not None:
        for i, name in enumerate(header):
            if name.strip().casefold() == spec.strip().casefold():
                return i
        for i, name in enumerate(header):
            if wanted and normalise(name) == wanted:
                return i
    if spec.strip().isdigit() and 1 <= int(spec) <= width:
        return int(spec) - 1
    if re.fullmatch(r"[A-Za-z]{1,2}", spec.strip()):
        index = 0
        for letter in spec.strip().upper():
            index = index * 26 + ord(letter) - ord("A") + 1
        if index <= width:
            return index - 1
    names = ", ".join(f"'{n}'" for n in header) if header else "none (the file has no header)"
    raise _error(
        path,
        f"no column '{spec}' in this file",
        expected=f"a column name (the file's columns: {names}), a number 1-{width} or a letter",
        field=spec,
    )


def _find_checked(
    header: list[str] | None,
    sample: list[Sequence[Any]],
    vocab: Vocabulary,
    taken: int,
    readable: Callable[[Any], bool],
) -> int | None:
    """A column named like `vocab` whose values are mostly readable (or empty, if named exactly)."""
    for level in (2, 1):
        for index in _named_columns(header, vocab, level):
            if index == taken:
                continue
            values = _column_values(sample, index)
            if not values:
                if level == 2:
                    return index
                continue
            if sum(1 for v in values if readable(v)) / len(values) >= 0.6:
                return index
    return None


def _column(index: int, header: list[str] | None) -> Column:
    name = header[index].strip() if header and index < len(header) else ""
    return Column(index, name or f"column {index + 1}")


def find_layout(
    path: Path, sample: list[Sequence[Any]], column: str | None, today: date, kind: str
) -> Layout:
    """The header and columns of a file from its first rows (malformed rows left out).

    Raises ContactsError when there is no row, no e-mail column, or `column` names none.
    """
    good = [cells for cells in sample if not is_blank(cells)]
    if not good:
        raise _error(
            path, "the file holds no rows", expected="a header row, then one contact per row"
        )
    first = good[0]
    header: list[str] | None = None
    if _has_header(first, good[1:]):
        header = ["" if cell is None else str(cell).strip() for cell in first]
        good = good[1:]
    if header is not None:
        full_width = width = len(header)
        while width > 1 and not header[width - 1]:
            width -= 1  # spreadsheets often carry empty trailing header cells
    else:
        widths: dict[int, int] = {}
        for cells in good:
            widths[len(cells)] = widths.get(len(cells), 0) + 1
        width = max(widths.items(), key=lambda item: (item[1], item[0]))[0]
        full_width = width
    if kind == "xlsx":
        width = max([width, *(len(cells) for cells in good)])

    if column is not None:
        email = _resolve_column(path, column, header, width)
    else:
        email = _find_email(path, header, good, width)
    words = vocabulary()
    consent = _find_checked(
        header, good, words.consent, email, lambda v: consent_value(v) is not None
    )
    activity = _find_checked(
        header, good, words.activity, email, lambda v: parse_date(v, today) is not None
    )
    return Layout(
        header=header,
        header_row=first if header is not None else None,
        width=width,
        full_width=full_width,
        email=_column(email, header),
        consent=None if consent is None else _column(consent, header),
        activity=None if activity is None else _column(activity, header),
    )
