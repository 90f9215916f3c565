"""Reading a form export: CSV (as the form tool or French Excel writes it) or an .xlsx sheet.

One row per respondent, a header row naming the questions. The encoding and delimiter are
detected as for contact lists (`audit.contacts.reader`): UTF-8 with or without BOM, UTF-16,
Windows-1252 with `;` as French Excel saves it. Rows are numbered as a spreadsheet shows
them (the header is row 1); a row with the wrong number of fields is handed on with its
problem, never dropped silently, and never stops the others.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.contacts.reader import _sniff_delimiter, _text_encoding
from audit.errors import AuditError, Location

EXPECTED = "a form export: CSV (comma, semicolon or tab) or an .xlsx workbook, header first"


class ExportError(AuditError):
    """A form export, or its mapping, cannot be used at all."""


@dataclass
class ExportRow:
    """One respondent: the row number, the cells by column, or the problem that spoils it."""

    number: int
    cells: Sequence[Any] = ()
    problem: str | None = None


@dataclass
class FormExport:
    path: Path
    header: list[str]
    rows: list[ExportRow] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


def is_export(path: Path) -> bool:
    """Whether `path` is read as a form export (by its extension)."""
    return path.suffix.lower() in (".csv", ".xlsx", ".tsv", ".txt")


def _blank(cells: Sequence[Any]) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


def _csv_rows(path: Path) -> tuple[list[tuple[int, list[str]]], str, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"cannot read the file ({exc.strerror})", Location(file=path)) from None
    if not raw.strip():
        raise ExportError("the file is empty", Location(file=path), expected=EXPECTED)
    try:
        encoding = _text_encoding(path, raw[: 1 << 20])
    except AuditError as exc:
        raise ExportError(exc.message, Location(file=path), expected=EXPECTED) from None
    text = raw.decode(encoding, errors="replace")
    delimiter = _sniff_delimiter(text[: 1 << 20])
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for cells in reader:
            number += 1
            rows.append((number, cells))
    except csv.Error as exc:
        raise ExportError(
            f"broken CSV quoting ({exc})", Location(file=path, row=number + 1), expected=EXPECTED
        ) from None
    return rows, encoding, delimiter


def _xlsx_rows(path: Path) -> list[tuple[int, list[Any]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ExportError(
            f"this is not a readable .xlsx workbook ({exc})", Location(file=path), expected=EXPECTED
        ) from None
    try:
        sheet = workbook.active if workbook.active is not None else workbook.worksheets[0]
        return [(n, list(row)) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def read_export(path: Path) -> FormExport:
    """The header and the respondents' rows of a form export.

    Raises ExportError if the file is missing, empty, not a table, or has no header.
    """
    if not path.is_file():
        raise ExportError("file not found", Location(file=path), expected=EXPECTED)
    encoding = delimiter = None
    if path.suffix.lower() in (".xlsx", ".xlsm") or path.read_bytes()[:4] == b"PK\x03\x04":
        records = _xlsx_rows(path)
    else:
        records, encoding, delimiter = _csv_rows(path)
    records = [(n, cells) for n, cells in records if not _blank(cells)]
    if not records:
        raise ExportError("the file has no rows", Location(file=path), expected=EXPECTED)
    header_number, header_cells = records[0]
    header = [("" if c is None else str(c)).strip() for c in header_cells]
    while header and not header[-1]:
        header.pop()
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if name and name in seen:
            raise ExportError(
                f"column '{name}' appears twice (columns {seen[name] + 1} and {index + 1})",
                Location(file=path, row=header_number),
                expected="one column per question",
            )
        seen[name] = index
    export = FormExport(path, header, encoding=encoding, delimiter=delimiter)
    width = len(header)
    for number, cells in records[1:]:
        if len(cells) > width and _blank(cells[width:]):
            cells = cells[:width]
        if len(cells) != width and delimiter is not None:
            export.rows.append(
                ExportRow(number, problem=f"{len(cells)} fields where the header has {width}")
            )
            continue
        export.rows.append(ExportRow(number, list(cells) + [None] * (width - len(cells))))
    return export
