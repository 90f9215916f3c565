"""`audit contacts`: JSON output, terminal rendering in both languages, errors and exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from contact_lists import expected, rows, write_csv, write_xlsx

from audit.cli import main


def _run(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["audit", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out, err


@pytest.fixture
def contact_list(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "clients.csv", rows(), "cp1252", ";")


def test_json_prints_the_analysis(
    contact_list: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["contacts", str(contact_list), "--json"], monkeypatch, capsys)
    assert code == 0
    result = json.loads(out)
    counts = {k: v for k, v in expected().items() if not k.endswith("_share")}
    assert {k: result[k] for k in counts} == counts
    assert result["consent_share"] == pytest.approx(expected()["consent_share"])
    assert result["layout"] == {
        "format": "csv",
        "encoding": "cp1252",
        "delimiter": "semicolon",
        "header": True,
    }


def test_audience_and_column_options_reach_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = [["Email", "Autre"]] + [[f"p{i}@gmail.com", f"contact@s{i}.fr"] for i in range(5)]
    path = write_csv(tmp_path / "list.csv", data)
    args = ["contacts", str(path), "--json", "--column", "Autre", "--audience", "b2b"]
    code, out, _ = _run(args, monkeypatch, capsys)
    result = json.loads(out)
    assert code == 0
    assert result["email_column"] == "Autre" and result["generic"] == 5
    assert result["audience"] == "b2b" and result["audience_inferred"] is False


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ["Analyse de la liste de contacts", "adresses uniques valides", "ligne 15"]),
        ("en", ["Contact-list analysis", "unique valid addresses", "row 15"]),
    ],
)
def test_the_terminal_shows_counts_samples_and_readings(
    contact_list: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    words: list[str],
) -> None:
    code, out, _ = _run(["contacts", str(contact_list), "--lang", lang], monkeypatch, capsys)
    assert code == 0
    for word in words:
        assert word in out
    assert "acme-industrie.fr" in out  # top domains
    assert "pas une adresse" in out  # the invalid sample, with its row
    result = json.loads(_run(["contacts", str(contact_list), "--json"], monkeypatch, capsys)[1])
    for reading in result["observations"]:
        first_words = reading["text"][lang].split()[:3]
        assert " ".join(first_words) in " ".join(out.split())


def test_an_xlsx_list_is_analysed_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "clients.xlsx", rows())
    code, out, _ = _run(["contacts", str(path), "--json"], monkeypatch, capsys)
    assert code == 0 and json.loads(out)["unique_valid"] == expected()["unique_valid"]


def test_malformed_rows_are_summarised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Email;Ville\na@acme.fr;Lyon\nb@acme.fr\nc@acme.fr;Caen\n", encoding="utf-8")
    code, out, _ = _run(["contacts", str(path), "--lang", "en"], monkeypatch, capsys)
    assert code == 0
    assert "Unreadable rows (1)" in out
    assert "row 3: 1 field where the header has 2" in out


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["contacts", "{dir}/absent.csv"], 1, ["absent.csv", "file not found", "expected"]),
        (["contacts", "{dir}/list.csv", "--column", "Mél"], 1, ["list.csv", "Mél", "Email"]),
        (["contacts", "{dir}/list.csv", "--audience", "b2x"], 2, ["b2x", "b2b or b2c"]),
        (["contacts", "{dir}/list.csv", "--lang", "de"], 2, ["de", "--lang fr"]),
        (["contacts", "{dir}/empty.csv"], 1, ["empty.csv", "empty"]),
    ],
)
def test_errors_are_one_paragraph_with_the_right_exit_code(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    words: list[str],
) -> None:
    write_csv(tmp_path / "list.csv", [["Email"], ["a@acme.fr"]])
    (tmp_path / "empty.csv").write_bytes(b"")
    argv = [a.replace("{dir}", str(tmp_path)) for a in args]
    got, out, err = _run(argv, monkeypatch, capsys)
    assert got == code
    assert "Traceback" not in err
    message = " ".join(err.split())
    for word in words:
        assert word in message
