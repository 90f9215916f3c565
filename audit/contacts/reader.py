"""Reading the contact lists clients really export, one row at a time.

CSV with `,` `;` tab or `|` (sniffed), in UTF-8 with or without a byte-order mark,
UTF-16 (Excel's "Unicode text") or UTF-32, with or without a mark, or Windows-1252
(French Excel); and `.xlsx` workbooks (first sheet, read-only). The e-mail column is
found by its header in French or English, or by its content; the consent and
last-activity columns by their headers, checked against their values.

Rows are numbered as a spreadsheet shows them: the header is row 1, blank lines count,
a quoted field spanning several lines is one row. A row that cannot be trusted (wrong
number of fields, bytes that decode in no supported encoding, broken quoting, a quote
left open that takes in the rows after it, a field over csv's 128 KB limit) is handed on
with its problem instead of its cells; it never stops the reading.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import sys
import warnings
import zipfile
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from pathlib import Path
from typing import Any

from audit.contacts.layout import Column, find_layout
from audit.errors import ContactsError, Location
from audit.regular_file import check_regular_file

SAMPLE_BYTES = 1 << 20
SAMPLE_ROWS = 1000
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
EXPECTED_FILE = "a contact-list export: CSV (comma, semicolon or tab) or an .xlsx workbook"

# A row: its number, its cells, and the problem that makes it unusable (None when fine).
RowRecord = tuple[int, Sequence[Any], str | None]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SURROGATE = re.compile("[\udc80-\udcff]")
# Every byte but the control characters a text file does not hold (tab to CR are text).
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))
_CONTROL_CHAR = re.compile("[\x00-\x08\x0e-\x1f]")
_DECLARED_SEPARATOR = re.compile(r"sep=(.)\r?\n")


# How many undecodable byte runs were met, so rows are only checked once there has been
# one. A one-item list: the per-row test is then one subscript.
_DECODE_ERRORS = [0]


_escape = codecs.lookup_error("surrogateescape")


def _escape_and_count(exc: UnicodeError) -> tuple[str | bytes, int]:
    _DECODE_ERRORS[0] += 1
    return _escape(exc)


codecs.register_error("audit-contacts", _escape_and_count)


@dataclass
class ContactList:
    """An open contact list: its layout, the columns found, and its data rows."""

    path: Path
    format: str  # "csv" or "xlsx"
    encoding: str | None
    delimiter: str | None
    header: list[str] | None
    width: int
    email: Column
    consent: Column | None
    activity: Column | None
    records: Iterator[RowRecord] = field(repr=False)
    counters: dict[str, int] = field(default_factory=dict, repr=False)

    def rows(self) -> Iterator[RowRecord]:
        """The data rows (after the header), each with its row number and its problem."""
        return self.records

    @property
    def recoded_rows(self) -> int:
        """Rows read so far as Windows-1252 in a UTF-8 file (lists merged from several exports)."""
        return self.counters.get("recoded", 0)


def _error(path: Path, message: str, expected: str = EXPECTED_FILE, **where: Any) -> ContactsError:
    return ContactsError(message, Location(file=path, **where), expected=expected)


def _read_head(path: Path) -> bytes:
    check_regular_file(path, ContactsError)  # a loop, a folder, a pipe, a device
    if not path.exists():
        raise _error(path, "file not found")
    try:
        with path.open("rb") as handle:
            return handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise _error(path, f"cannot read the file ({exc.strerror or exc})") from None


def _wide_encoding(sample: bytes) -> str | None:
    """UTF-32 or UTF-16 without a byte-order mark, told by where the zero bytes fall.

    A contact list is mostly ASCII (addresses, separators): in UTF-16 little-endian every
    other byte is zero, in UTF-32 three bytes in four. The guess is kept only if the
    sample then decodes as text without control characters.
    """
    for unit, names in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        usable = sample[: len(sample) - len(sample) % unit]
        if len(usable) < 2 * unit:
            continue
        zeros = [usable[i::unit].count(0) / (len(usable) // unit) for i in range(unit)]
        # Little-endian: the first byte of each unit carries the character, the others are
        # zero; big-endian: the last byte carries it.
        for name, text_byte in ((names[0], 0), (names[1], unit - 1)):
            others = [z for i, z in enumerate(zeros) if i != text_byte]
            if zeros[text_byte] < 0.05 and min(others) > 0.6:
                try:
                    # Incremental: a character cut by the end of the sample is no error.
                    text = codecs.getincrementaldecoder(name)().decode(usable, final=False)
                except UnicodeDecodeError:
                    return None
                controls = len(_CONTROL_CHAR.findall(text))
                return name if controls <= len(text) // 100 else None
    return None


def _text_encoding(path: Path, head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # The UTF-32 little-endian mark begins with the UTF-16 one: test it first.
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head[:65536]:
        wide = _wide_encoding(head[:65536])
        if wide is not None:
            return wide
    controls = len(head[:65536].translate(None, _NOT_CONTROL))
    if b"\x00" in head or controls > len(head[:65536]) // 100:
        raise _error(path, "this looks like a binary file, not a text export")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        # Valid UTF-8 accents next to invalid bytes: a UTF-8 file with some rows pasted from
        # a Windows-1252 export; those rows are re-read one by one (see _repairer). Dropping
        # the invalid bytes leaves non-ASCII text only if there are valid accents.
        if not head.decode("utf-8", errors="ignore").isascii():
            return "utf-8"
        return "cp1252"
    return "utf-8"


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the sample into the most consistent rows of several fields."""
    best, best_score = ",", (False, 0.0, 0)
    for delimiter in DELIMITERS:
        widths: dict[int, int] = {}
        rows = 0
        try:
            for cells in csv.reader(io.StringIO(text), delimiter=delimiter):
                if not cells:
                    continue
                widths[len(cells)] = widths.get(len(cells), 0) + 1
                rows += 1
                if rows >= 200:
                    break
        except csv.Error:
            # A quote left open runs into the field limit: judge on the rows before it.
            pass
        if not rows:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (width > 1, count / rows, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _CsvRecords:
    """The records of a CSV file, read in runs over one csv reader: the sample the layout
    is found from, then the rest, checked against the layout's widths as they are read.

    `lines_before` lines were read before the reader started (a `sep=` line).
    """

    def __init__(
        self,
        handle: io.TextIOBase,
        delimiter: str,
        repair: Callable[[list[str]], str | None],
        lines_before: int = 0,
    ) -> None:
        self._reader = csv.reader(handle, delimiter=delimiter)
        self._delimiter = delimiter
        self._repair = repair
        self._lines_before = lines_before
        self._seen = _DECODE_ERRORS[0]
        self._number = 0  # records read so far
        # The reader's lines beyond one per record so far: record n ends on line n + skew,
        # unless it spans several lines (a quoted field with line breaks, or an open quote).
        self._skew = 0

    def records(self, least: int = 0, most: int = sys.maxsize) -> Generator[RowRecord, None, None]:
        """The next records. A row of fewer than `least` or more than `most` fields (more
        only if the extra ones hold something) comes with its problem; a blank one is
        dropped unless `least` is 0. Closing the iterator keeps the place for the next run.
        """
        reader, number, skew, errors, seen = (
            self._reader, self._number, self._skew, _DECODE_ERRORS, self._seen
        )  # fmt: skip
        try:
            while True:
                try:
                    start = number + 1
                    for number, cells in enumerate(reader, start):
                        if reader.line_num != number + skew:
                            # A record over several lines: a quoted field with line breaks,
                            # or a quote left open that took in the rows after it.
                            first, skew = number + skew, reader.line_num - number
                            if _swallowed_rows(cells, self._delimiter):
                                yield number, (), self._unclosed_quote(first, reader.line_num)
                                continue
                        if errors[0] != seen and _SURROGATE.search("\x1f".join(cells)):
                            problem = self._repair(cells)
                            if problem:
                                yield number, (), problem
                                continue
                        if not least <= len(cells) <= most:
                            if not cells:
                                continue
                            problem = _width_problem(cells, least, most)
                            if problem:
                                yield number, (), problem
                                continue
                        yield number, cells, None
                    return
                except csv.Error as exc:
                    number += 1
                    first, skew = number + skew, reader.line_num - number
                    if "field limit" not in str(exc):
                        yield number, (), f"broken CSV quoting ({exc})"
                    elif reader.line_num > first:
                        # The field grew over several lines up to the limit: an open quote.
                        yield number, (), self._unclosed_quote(first, reader.line_num)
                    else:
                        yield number, (), f"a field longer than {FIELD_LIMIT_KB} KB"
        finally:
            self._number, self._skew = number, skew

    def _unclosed_quote(self, first: int, last: int) -> str:
        """The problem of a record from the reader's line `first` to `last`."""
        return _unclosed_quote(first + self._lines_before, last + self._lines_before)


# csv's own limit on one field (131,072 characters): a field that long is no contact.
FIELD_LIMIT_KB = csv.field_size_limit() // 1024


_ADDRESS_LIKE = re.compile(r"[^\s@\"]+@[^\s@\"]+")


def _swallowed_rows(cells: Sequence[str], delimiter: str) -> bool:
    """Whether a multi-line field holds what looks like further rows: a line that splits
    on the delimiter into fields, one of them an address on its own. A note that merely
    mentions an address ("écrire à paul@acme.fr; urgent") is not a row."""
    for cell in cells:
        if "\n" in cell or "\r" in cell:
            for line in cell.splitlines()[1:]:
                if delimiter in line and "@" in line:
                    fields = (field.strip() for field in line.split(delimiter))
                    if any(_ADDRESS_LIKE.fullmatch(field) for field in fields):
                        return True
    return False


def _unclosed_quote(first: int, last: int) -> str:
    taken = last - first
    plural = "s" if taken > 1 else ""
    return (
        f"a quote opened in this row is never closed: it takes in the {taken} line{plural}"
        f" after it (lines {first + 1} to {last} of the file)"
    )


def _xlsx_records(path: Path, stack: ExitStack) -> Iterator[RowRecord]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_inflated_size(path)
    try:
        with warnings.catch_warnings():
            # Workbooks from other tools often lack a default style; that changes nothing here.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise _error(path, f"this is not a readable .xlsx workbook ({exc})") from None
    stack.callback(workbook.close)
    sheet = workbook.active if workbook.active is not None else workbook.worksheets[0]
    # The declared dimension (`A1:XFD1048576` in a hostile file) would pad every row to
    # 16,384 cells: forget it, so each row is as wide as the cells it really has.
    with contextlib.suppress(AttributeError):
        sheet.reset_dimensions()
    return _sheet_rows(path, sheet)


# What a workbook may inflate to: a part (a sheet's XML) and all of it. A million contacts
# with a few columns is a few hundred MB of XML; shared strings are held in memory whole.
XLSX_PART_MAX = 1024 * 1024 * 1024
XLSX_STRINGS_MAX = 256 * 1024 * 1024


def _check_inflated_size(path: Path) -> None:
    """Refuse a workbook whose parts would inflate beyond the limits (a zip bomb); zipfile
    never inflates a part beyond the size its header declares, so checking that bounds it."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _error(path, f"this is not a readable .xlsx workbook ({exc})") from None
    for part in parts:
        limit = XLSX_STRINGS_MAX if part.filename.endswith("sharedStrings.xml") else XLSX_PART_MAX
        if part.file_size > limit:
            raise _error(
                path,
                f"the workbook part {part.filename} inflates to {part.file_size // 2**20} MB",
                expected=f"a workbook whose parts hold at most {limit // 2**20} MB once unpacked",
            )


def _sheet_rows(path: Path, sheet: Any) -> Iterator[RowRecord]:
    number = 0
    try:
        for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, row, None
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError) as exc:
        # A damaged workbook part: nothing after this point can be read. (XML parse errors
        # are SyntaxError subclasses.)
        raise _error(
            path, f"the workbook is damaged after row {number} ({exc})", row=number + 1
        ) from None


def _width_problem(cells: Sequence[Any], least: int, most: int) -> str | None:
    """The problem of a row outside `least` to `most` fields; None when it only has more
    fields than the header and the extra ones are empty.

    `most` is the header's width; `least` ignores its empty trailing cells, which some
    tools write for the header and not for every row."""
    count = len(cells)
    if count < least or any(cells[most:]):
        expected = str(most) if least == most else f"{least} to {most}"
        plural = "s" if count > 1 else ""
        return f"{count} field{plural} where the header has {expected}"
    return None


def _rows_of_width(records: Iterator[RowRecord], least: int, most: int) -> Iterator[RowRecord]:
    """Hand on rows of `least` to `most` fields (see `_width_problem`); others become
    problems. Blank lines are dropped."""
    for number, cells, problem in records:
        count = len(cells)
        if problem is None and (count < least or count > most):
            if not cells:
                continue
            problem = _width_problem(cells, least, most)
            if problem:
                cells = ()
        yield number, cells, problem


@contextmanager
def open_contact_list(
    path: Path | str, column: str | None = None, today: date | None = None
) -> Iterator[ContactList]:
    """Open a contact list for streaming; the file is closed when the block ends.

    Raises ContactsError (with the file, and what was expected) when the file is
    missing, empty, binary, an unsupported workbook, has no e-mail column, or when
    `column` names no column of the file.
    """
    path = Path(path)
    today = today or date.today()
    head = _read_head(path)
    if not head.strip():
        raise _error(path, "the file is empty", expected="a header row, then one contact per row")
    with ExitStack() as stack:
        encoding: str | None = None
        delimiter: str | None = None
        holder: dict[str, int] = {"recoded": 0}
        source: _CsvRecords | None = None
        if head.startswith(_OLE2_MAGIC):
            raise _error(
                path,
                "this is an old Excel .xls (or another legacy Office) file",
                expected="CSV or .xlsx: open it in Excel and save it as .xlsx or CSV",
            )
        if head.startswith(_ZIP_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
            kind = "xlsx"
            records = _xlsx_records(path, stack)
        else:
            kind = "csv"
            encoding = _text_encoding(path, head)
            text = head.decode(encoding, errors="replace")
            if len(head) == SAMPLE_BYTES and "\n" in text:
                text = text[: text.rindex("\n") + 1]
            # Excel reads (and some tools write) a first line "sep=;" naming the delimiter.
            declared = _DECLARED_SEPARATOR.match(text.lstrip("\ufeff"))
            delimiter = declared[1] if declared else _sniff_delimiter(text)
            repair = _repairer(encoding, holder)
            try:
                handle = stack.enter_context(
                    path.open(encoding=encoding, errors="audit-contacts", newline="")
                )
                if declared:
                    handle.readline()
            except OSError as exc:
                raise _error(path, f"cannot read the file ({exc.strerror or exc})") from None
            source = _CsvRecords(handle, delimiter, repair, 1 if declared else 0)
            records = sampling = source.records()

        sample = list(islice(records, SAMPLE_ROWS))
        found = find_layout(
            path, [cells for _, cells, problem in sample if problem is None], column, today, kind
        )
        # Replay the sample, then the rest; skip everything up to and including the header.
        if found.header_row is not None:
            sample = _after_header(sample, found.header_row)
        width = found.width
        rest: Iterator[RowRecord]
        if source is not None:
            sampling.close()  # the rest is read by a run that checks widths as it reads
            full_width = found.full_width
            rest = chain(
                _rows_of_width(iter(sample), width, full_width),
                source.records(width, full_width),
            )
        else:
            rest = _padded(chain(sample, records), width)
        contacts = ContactList(
            path=path,
            format=kind,
            encoding=encoding,
            delimiter=delimiter,
            header=found.header,
            width=width,
            email=found.email,
            consent=found.consent,
            activity=found.activity,
            records=rest,
            counters=holder,
        )
        yield contacts


def _padded(records: Iterator[RowRecord], width: int) -> Iterator[RowRecord]:
    for number, cells, problem in records:
        if len(cells) < width and problem is None:
            cells = (*cells, *([None] * (width - len(cells))))
        yield number, cells, problem


def _after_header(sample: list[RowRecord], header_row: Sequence[Any]) -> list[RowRecord]:
    """The records after the header row, which `find_layout` took from the sample."""
    for i, record in enumerate(sample):
        if record[1] is header_row:
            return sample[i + 1 :]
    return sample


def _repairer(encoding: str, holder: dict[str, int]) -> Callable[[list[str]], str | None]:
    """Re-read, as Windows-1252, cells of a UTF-8 file that are not UTF-8 (in place)."""

    def repair(cells: list[str]) -> str | None:
        if encoding.startswith("utf-8"):
            try:
                for i, cell in enumerate(cells):
                    if _SURROGATE.search(cell):
                        cells[i] = cell.encode("utf-8", "surrogateescape").decode("cp1252")
            except UnicodeDecodeError:
                pass
            else:
                holder["recoded"] += 1
                return None
        return f"bytes that are not valid {encoding.upper()} or Windows-1252 text"

    return repair
