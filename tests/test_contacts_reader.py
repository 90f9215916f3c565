"""Reading contact-list exports: encodings, delimiters, quoting, xlsx, columns, bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from contact_lists import CONTACTS, HEADER, TODAY, rows, write_csv, write_xlsx

from audit.contacts.analysis import analyse_file
from audit.contacts.reader import open_contact_list
from audit.errors import ContactsError

ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16"]
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def _read(path: Path, column: str | None = None) -> tuple[dict[str, object], list[tuple]]:
    with open_contact_list(path, column, TODAY) as contacts:
        layout = {
            "encoding": contacts.encoding,
            "delimiter": contacts.delimiter,
            "header": contacts.header,
            "email": contacts.email.name,
            "consent": contacts.consent.name if contacts.consent else None,
            "activity": contacts.activity.name if contacts.activity else None,
            "recoded": 0,
        }
        records = list(contacts.rows())
        layout["recoded"] = contacts.recoded_rows
    return layout, records


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", list(DELIMITERS))
def test_every_encoding_and_delimiter_reads_the_same_rows(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = write_csv(tmp_path / "list.csv", rows(), encoding, delimiter)
    layout, records = _read(path)
    assert layout["delimiter"] == delimiter
    assert layout["header"] == HEADER
    assert (layout["email"], layout["consent"], layout["activity"]) == (
        "Adresse e-mail",
        "Consentement",
        "Dernière activité",
    )
    # Accented names survive whatever the encoding; rows are numbered from 2 (header is 1).
    assert [list(cells) for _, cells, _ in records] == rows()[1:]
    assert [number for number, _, _ in records] == list(range(2, len(CONTACTS) + 2))
    assert all(problem is None for _, _, problem in records)


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16")],
)
def test_the_encoding_is_recognised(tmp_path: Path, encoding: str, detected: str) -> None:
    layout, _ = _read(write_csv(tmp_path / "list.csv", rows(), encoding))
    assert layout["encoding"] == detected


def test_quoted_fields_with_delimiters_quotes_and_newlines_keep_rows_whole(tmp_path: Path) -> None:
    data = [
        ["Société", "Email", "Notes"],
        ["Durand; Fils & Cie", "p.durand@durand-fils.fr", 'dit "le patron"\nrappeler lundi'],
        ["Martin", "l.martin@martin.fr", "ok"],
    ]
    path = write_csv(tmp_path / "quoted.csv", data, "utf-8", ";")
    assert "\n" in path.read_bytes().decode().split("\r\n")[1]  # the field spans lines
    layout, records = _read(path)
    assert layout["delimiter"] == ";"
    assert [(n, list(c)) for n, c, _ in records] == [(2, data[1]), (3, data[2])]


def test_xlsx_is_read_with_its_dates(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", rows())
    layout, records = _read(path)
    assert layout["header"] == HEADER
    assert layout["activity"] == "Dernière activité"
    emails = [cells[2] for _, cells, _ in records]
    assert emails == [c.email or None for c in CONTACTS]
    analysis = analyse_file(path, today=TODAY).to_dict()
    assert analysis["layout"]["format"] == "xlsx"
    assert analysis["dated"] == sum(1 for c in CONTACTS if c.stale is not None)


@pytest.mark.parametrize(
    "header",
    ["Email", "E-mail", "e-mail", "MAIL", "Courriel", "Adresse e-mail", "Adresse mail",
     "Adresse électronique", "Email Address", "E-mail professionnel", "Adresse Courriel"],
)  # fmt: skip
def test_the_email_column_is_found_by_its_header(tmp_path: Path, header: str) -> None:
    data = [
        ["Nom", "Téléphone", header, "Ville"],
        ["Dupont", "0102030405", "jean.dupont@acme.fr", "Lyon"],
        ["Martin", "0607080910", "", "Paris"],
    ]
    layout, _ = _read(write_csv(tmp_path / "list.csv", data))
    assert layout["email"] == header


def test_an_exactly_named_column_wins_over_a_merely_similar_one(tmp_path: Path) -> None:
    data = [
        ["Mail envoyé le", "Email", "Mail du commercial"],
        ["2024-01-01", "a.b@acme.fr", "vendeur@agence.fr"],
    ]
    layout, _ = _read(write_csv(tmp_path / "list.csv", data))
    assert layout["email"] == "Email"


def test_without_a_header_the_column_holding_addresses_is_used(tmp_path: Path) -> None:
    data = [
        ["Dupont", "Jean", "jean.dupont@acme.fr", "oui"],
        ["Martin", "Zoé", "zoe.martin@bati.fr", "non"],
        ["Leroy", "Paul", "pas-d-adresse", "oui"],
    ]
    layout, records = _read(write_csv(tmp_path / "list.csv", data))
    assert layout["header"] is None
    assert layout["email"] == "column 3"
    assert [n for n, _, _ in records] == [1, 2, 3]


def test_a_header_with_unknown_names_is_still_a_header(tmp_path: Path) -> None:
    data = [["Raison sociale", "Contact"], ["Acme", "jean@acme.fr"], ["Bati", "zoe@bati.fr"]]
    layout, records = _read(write_csv(tmp_path / "list.csv", data))
    assert layout["header"] == data[0]
    assert layout["email"] == "Contact"
    assert len(records) == 2


@pytest.mark.parametrize("spec", ["Contact secondaire", "contact secondaire", "3", "C"])
def test_column_overrides_detection(tmp_path: Path, spec: str) -> None:
    data = [
        ["Nom", "Email", "Contact secondaire"],
        ["Dupont", "jean.dupont@acme.fr", "assistante@acme.fr"],
    ]
    layout, _ = _read(write_csv(tmp_path / "list.csv", data), column=spec)
    assert layout["email"] == "Contact secondaire"


def test_an_unknown_column_names_the_columns_there_are(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", rows())
    with pytest.raises(ContactsError) as caught:
        _read(path, column="Mél")
    error = caught.value
    assert error.location.file == path and error.location.field == "Mél"
    assert "Adresse e-mail" in (error.expected or "")


def test_malformed_rows_are_reported_with_their_numbers_and_reading_goes_on(
    tmp_path: Path,
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(
        b"Nom;Email;Ville\r\n"
        b"Dupont;jean@acme.fr;Orl\xc3\xa9ans\r\n"  # UTF-8
        b"Martin;zoe@bati.fr\r\n"  # row 3: a field is missing
        b"Leroy;paul@leroy.fr;Caen;en trop\r\n"  # row 4: one field too many
        b"Simon;remi@simon.fr;N\xeemes\r\n"  # row 5: Windows-1252 inside a UTF-8 file
        b"Garcia;ines@garcia.fr;Pau\x81\r\n"  # row 6: 0x81 is neither UTF-8 nor Windows-1252
        b"Michel;lea@michel.fr;Metz;\r\n"  # row 7: an empty trailing field is harmless
    )
    layout, records = _read(path)
    assert layout["encoding"] == "utf-8"
    problems = {n: p for n, _, p in records if p}
    assert sorted(problems) == [3, 4, 6]
    assert "2 fields" in problems[3] and "3" in problems[3]
    assert "4 fields" in problems[4]
    assert "UTF-8" in problems[6]
    good = {n: list(c) for n, c, p in records if not p}
    assert good[5] == ["Simon", "remi@simon.fr", "Nîmes"]
    assert layout["recoded"] == 1
    analysis = analyse_file(path).to_dict()
    assert analysis["malformed_count"] == 3
    assert [m["row"] for m in analysis["malformed_rows"]] == [3, 4, 6]
    assert analysis["valid"] == 3


def test_a_declared_separator_line_is_obeyed_and_not_counted(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b'sep=,\r\nNom,Email\r\n"Dupont; Jean",jean@acme.fr\r\n')
    layout, records = _read(path)
    assert layout["delimiter"] == "," and layout["header"] == ["Nom", "Email"]
    assert [(n, list(c)) for n, c, _ in records] == [(2, ["Dupont; Jean", "jean@acme.fr"])]


def test_empty_trailing_header_cells_do_not_make_rows_malformed(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "Nom;Email;;\nDupont;jean@acme.fr\nMartin;zoe@bati.fr;;\nLeroy;paul@leroy.fr;note;\n",
        encoding="utf-8",
    )
    _, records = _read(path)
    assert [(n, p) for n, _, p in records] == [(2, None), (3, None), (4, None)]
    assert records[2][1][2] == "note"  # an unnamed column may hold data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
        (b"PK\x03\x04 not really a workbook", ".xlsx"),
        (b"Nom;Ville\r\nDupont;Lyon\r\n", "no e-mail column"),
        (b";;;\r\n;;;\r\n", "no rows"),
    ],
)
def test_unreadable_files_are_errors_naming_the_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    with pytest.raises(ContactsError) as caught:
        analyse_file(path)
    assert caught.value.location.file == path
    assert message in str(caught.value)
    assert caught.value.expected


def test_a_missing_file_or_a_folder_is_an_error(tmp_path: Path) -> None:
    for path, message in ((tmp_path / "absent.csv", "not found"), (tmp_path, "folder")):
        with pytest.raises(ContactsError) as caught:
            analyse_file(path)
        assert caught.value.location.file == path
        assert message in str(caught.value)


def test_a_header_only_file_is_an_empty_list_not_an_error(tmp_path: Path) -> None:
    analysis = analyse_file(write_csv(tmp_path / "list.csv", [HEADER])).to_dict()
    assert analysis["rows"] == 0 and analysis["unique_valid"] == 0
    assert analysis["generic_share"] is None
    assert "empty_list" in [o["id"] for o in analysis["observations"]]


def test_a_zip_that_is_not_a_workbook_is_an_error(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "jean@acme.fr")
    with pytest.raises(ContactsError) as caught:
        analyse_file(path)
    assert caught.value.location.file == path
    assert ".xlsx" in str(caught.value)
