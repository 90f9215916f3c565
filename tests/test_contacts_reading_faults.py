"""Contact lists that go wrong: wide encodings without a mark, open quotes, huge fields,
and invalid addresses explained in the session's language."""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path

import email_validator.syntax
import email_validator.validate_email
import pytest
from contact_lists import CONTACTS, HEADER, TODAY, rows, write_csv

from audit.cli import main
from audit.contacts.analysis import analyse_file
from audit.contacts.classify import Classifier
from audit.contacts.reader import open_contact_list
from audit.contacts.reasons import known_reason, translate_reason


def _records(path: Path) -> tuple[str | None, list[tuple]]:
    with open_contact_list(path, None, TODAY) as contacts:
        return contacts.encoding, list(contacts.rows())


def _csv_text(delimiter: str = ";") -> str:
    lines = (delimiter.join(cells) for cells in rows())
    return "\r\n".join(lines) + "\r\n"


# ---------------------------------------------------------------- wide encodings


@pytest.mark.parametrize(
    ("codec", "detected"),
    [
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-32-le", "utf-32-le"),
        ("utf-32-be", "utf-32-be"),
        ("utf-32", "utf-32"),  # with its byte-order mark
    ],
)
def test_wide_encodings_are_read_with_or_without_a_mark(
    tmp_path: Path, codec: str, detected: str
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(_csv_text().encode(codec))
    encoding, records = _records(path)
    assert encoding == detected
    assert [list(cells) for _, cells, _ in records] == rows()[1:]
    assert all(problem is None for _, _, problem in records)
    assert analyse_file(path).to_dict()["valid"] == sum(
        1 for c in CONTACTS if c.kind not in ("invalid", "no_address")
    )


def test_a_binary_file_with_zero_bytes_is_still_refused(tmp_path: Path) -> None:
    from audit.errors import ContactsError

    path = tmp_path / "list.csv"
    path.write_bytes(bytes([65, 0, 1, 0, 2, 0, 3, 0, 200, 0, 7, 0]) * 500)
    with pytest.raises(ContactsError, match="binary"):
        analyse_file(path)


# ---------------------------------------------------------------- open quotes, long fields


def _lines(count: int, start: int = 0) -> str:
    return "".join(f"Nom{i};n{i}@acme.fr;Lyon\r\n" for i in range(start, start + count))


def test_an_open_quote_to_the_end_of_the_file_is_reported_at_its_row(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    text = "Nom;Email;Ville\r\n" + _lines(2) + '"Martin;zoe@bati.fr;Caen\r\n' + _lines(5, 10)
    path.write_text(text, encoding="utf-8")
    _, records = _records(path)
    problems = {number: problem for number, _, problem in records if problem}
    # Row 4 opens the quote; the five rows after it (file lines 5-9) are swallowed.
    assert list(problems) == [4]
    assert "quote opened in this row is never closed" in problems[4]
    assert "5 lines after it (lines 5 to 9 of the file)" in problems[4]
    assert analyse_file(path).to_dict()["malformed_rows"] == [{"row": 4, "reason": problems[4]}]


def test_an_open_quote_closed_by_a_later_row_is_reported_not_merged(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    text = (
        "Nom;Email;Ville\r\n"
        + _lines(1)
        + '"Martin;zoe@bati.fr;Caen\r\n'
        + _lines(2, 10)
        + 'Petit;"l.petit@acme.fr";Metz\r\n'
        + _lines(2, 20)
    )
    path.write_text(text, encoding="utf-8")
    _, records = _records(path)
    problems = {number: problem for number, _, problem in records if problem}
    assert list(problems) == [3]
    assert "never closed" in problems[3]
    # The rows after the record the stray quote closed are read again.
    good = [cells[1] for _, cells, problem in records if not problem]
    assert good[-2:] == ["n20@acme.fr", "n21@acme.fr"]


def test_a_multiline_note_is_not_mistaken_for_an_open_quote(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    text = (
        'Nom;Email;Notes\r\nDupont;j@acme.fr;"appeler lundi\r\nvoir devis; urgent"\r\n'
        'Petit;l@acme.fr;"relancer\r\nécrire à paul@acme.fr; copie direction"\r\n'
    )
    path.write_text(text + _lines(2), encoding="utf-8")
    _, records = _records(path)
    assert all(problem is None for _, _, problem in records)


def test_an_open_quote_past_128_kb_is_reported_and_reading_resumes(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    text = "Nom;Email;Ville\r\n" + _lines(1) + '"Martin;zoe@bati.fr;Caen\r\n' + _lines(8000, 100)
    path.write_text(text, encoding="utf-8")
    _, records = _records(path)
    problems = {number: problem for number, _, problem in records if problem}
    assert list(problems) == [3]
    assert "never closed" in problems[3] and "(lines 4 to " in problems[3]
    # Everything after the line where the field passed the limit is read normally.
    assert records[-1][1][1] == "n8099@acme.fr"


def test_a_field_over_128_kb_says_so(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    text = "Nom;Email;Ville\r\n" + _lines(1) + "Martin;zoe@bati.fr;" + "x" * 140_000 + "\r\n"
    path.write_text(text + _lines(1, 5), encoding="utf-8")
    _, records = _records(path)
    problems = {number: problem for number, _, problem in records if problem}
    assert problems == {3: "a field longer than 128 KB"}
    assert records[-1][1][1] == "n5@acme.fr"


# ---------------------------------------------------------------- reasons in French


def _raised_messages() -> list[str]:
    """Every message email-validator can raise, with its variable parts filled in."""
    messages = []
    descriptions = {}
    for module in (email_validator.syntax, email_validator.validate_email):
        tree = ast.parse(inspect.getsource(module))
        for node in ast.walk(tree):
            # check_dot_atom(label, 'cannot start with a {}.', 'cannot end with a {}.', ...)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "check_dot_atom":
                for arg in node.args[1:3]:
                    if isinstance(arg, ast.Constant):
                        for thing in ("period", "hyphen"):
                            descriptions.setdefault("d", []).append(arg.value.format(thing))
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = getattr(node.exc.func, "id", "")
                if name == "EmailSyntaxError" and node.exc.args:
                    messages.append(_fill(node.exc.args[0]))
    messages = [m for m in messages if m is not None] + descriptions["d"]
    return messages


def _fill(node: ast.expr) -> str | None:
    """The message an expression builds, its computed parts replaced by samples."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                name = ast.unparse(value.value)
                parts.append("(2 characters too many)" if name == "reason" else "2")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _fill(node.left), _fill(node.right)
        if left is None:
            return None
        return left + (right if right is not None else "'é', 'ç'")
    if isinstance(node, ast.Call):  # end_descr.format(...), handled via check_dot_atom
        return None
    return "'é'"


def test_every_message_email_validator_raises_has_a_french_wording() -> None:
    messages = _raised_messages()
    assert len(messages) >= 45
    missing = [m for m in messages if not known_reason(m)]
    assert missing == []
    for message in messages:
        french = translate_reason(message, "fr")
        assert french != message
        assert "@-sign" not in french and "email address" not in french, french


@pytest.mark.parametrize(
    ("address", "french"),
    [
        ("pas une adresse", "L'adresse n'a pas de signe @."),
        ("remi.simon@", "Il manque la partie après le @."),
        ("jean..dupont@acme.fr", "L'adresse contient deux points à la suite."),
        ("jean@acme", "Le domaine (après le @) n'est pas valide : il lui manque un point."),
        ("jean@test.local", "nom réservé"),
        ("b.petit@" + "b" * 70 + ".fr", "une partie entre deux points est trop longue"),
    ],
)
def test_real_reasons_read_in_french(address: str, french: str) -> None:
    reason = Classifier().classify(address).reason
    assert reason and french in translate_reason(reason, "fr")
    assert translate_reason(reason, "en") == reason


def test_reader_problems_read_in_french() -> None:
    assert translate_reason("1 field where the header has 3", "fr") == (
        "1 champ(s) alors que l'en-tête en a 3"
    )
    assert translate_reason("a field longer than 128 KB", "fr") == "un champ de plus de 128 Ko"
    assert "jamais refermé" in translate_reason(
        "a quote opened in this row is never closed: it takes in the 5 lines after it"
        " (lines 5 to 9 of the file)",
        "fr",
    )
    # An English text the table does not know is kept, never lost.
    assert translate_reason("something new", "fr") == "something new"


def test_a_french_session_shows_french_reasons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "clients.csv", [HEADER, *rows()[1:]], "utf-8", ";")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("Martin;Zoé\r\n")
    monkeypatch.setattr(sys, "argv", ["audit", "contacts", str(path), "--lang", "fr"])
    with pytest.raises(SystemExit):
        main()
    out = capsys.readouterr().out
    assert "L'adresse n'a pas de signe @." in out or "L’adresse n’a pas de signe @." in out
    assert "must have an @-sign" not in out
    assert "alors que l'en-tête en a" in out or "alors que l’en-tête en a" in out
    assert "where the header has" not in out


# ---------------------------------------------------------------- faults anywhere in the file

# Each fault a list can hold, one after the other: read the same wherever they fall.
_FAULTS = (
    b"Martin;zoe@bati.fr\r\n"  # a field missing
    b"Leroy;paul@leroy.fr;Caen;en trop\r\n"  # one field too many
    b"Michel;lea@michel.fr;Metz;\r\n"  # an empty trailing field: harmless
    b"\r\n"  # a blank line: skipped, but counted
    b'Petit;p@acme.fr;"appeler lundi\r\nvoir devis"\r\n'  # a note over two lines
    b'"Martin;zoe@bati.fr;Caen\r\nNom1;n1@acme.fr;Lyon\r\nPetit;"l.petit@acme.fr";Metz\r\n'
    b"Simon;remi@simon.fr;N\xeemes\r\n"  # Windows-1252 inside a UTF-8 file
    b"Garcia;ines@garcia.fr;Pau\x81\r\n"  # neither UTF-8 nor Windows-1252
    b"Dupont;jean@acme.fr;Metz\r\n"
)


def _filler(count: int, start: int) -> bytes:
    return _lines(count, start).encode()


@pytest.mark.parametrize("before", [0, 994, 997, 998, 999, 1000, 1500])
def test_faults_read_the_same_before_at_and_after_the_sampled_rows(
    tmp_path: Path, before: int
) -> None:
    path = tmp_path / "list.csv"
    head = "Nom;Email;Ville\r\nDupont;jean@acme.fr;Orléans\r\n".encode()
    path.write_bytes(head + _filler(before, 100) + _FAULTS + _filler(3, 5000))
    _, records = _records(path)
    shift = 2 + before  # rows before the faults
    problems = {number - shift: problem for number, _, problem in records if problem}
    assert problems == {
        1: "2 fields where the header has 3",
        2: "4 fields where the header has 3",
        6: "a quote opened in this row is never closed: it takes in the 2 lines after it"
        f" (lines {shift + 8} to {shift + 9} of the file)",
        8: "bytes that are not valid UTF-8 or Windows-1252 text",
    }
    good = [(number - shift, list(cells)) for number, cells, problem in records if not problem]
    assert good[-7:] == [
        (3, ["Michel", "lea@michel.fr", "Metz", ""]),
        (5, ["Petit", "p@acme.fr", "appeler lundi\r\nvoir devis"]),
        (7, ["Simon", "remi@simon.fr", "Nîmes"]),
        (9, ["Dupont", "jean@acme.fr", "Metz"]),
        (10, ["Nom5000", "n5000@acme.fr", "Lyon"]),
        (11, ["Nom5001", "n5001@acme.fr", "Lyon"]),
        (12, ["Nom5002", "n5002@acme.fr", "Lyon"]),
    ]
    assert len(records) == 1 + before + 11
