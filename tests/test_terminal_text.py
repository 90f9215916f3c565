"""Text is text in the terminal: data never acts as markup, emoji or escape sequences."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from rich.text import Text

from audit.cli import main

CLIENTS = Path(__file__).parent / "clients"
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07"


def _run(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["audit", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out, err


def _no_escape_from_data(output: str) -> None:
    # rich styles are CSI sequences ending in `m`; nothing else may reach the terminal.
    leftover = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert "\x1b" not in leftover and "\x07" not in leftover


def test_an_error_message_is_printed_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "a.yaml"
    original = (CLIENTS / "industrial_subcontractor.yaml").read_text("utf-8")
    answers.write_text(original.replace("pack: engagement", "pack: '[/oops]'"), "utf-8")
    code, _, err = _run(["diagnose", str(answers)], monkeypatch, capsys)
    assert code == 1
    assert "^[a-z][a-z0-9_]*$" in err  # the pattern in pydantic's message, not eaten
    assert "Traceback" not in err and "Internal error" not in err


def test_markup_and_links_in_an_error_are_shown_not_interpreted() -> None:
    from audit.ui.console import TerminalConsole, data

    out = TerminalConsole(record=True, width=200, force_terminal=True, file=io.StringIO())
    text = "[/oops] [link=https://evil.example]click[/link] :smile: " + HOSTILE
    out.print(f"Error: {data(text)}")
    rendered = out.export_text(styles=True)
    assert ":smile:" in rendered
    assert "[/oops]" in rendered and "[link=https://evil.example]click[/link]" in rendered
    assert "\x1b]8;" not in rendered  # no hyperlink escape
    assert "␛]0;pwned␇" in rendered


def test_the_console_shows_control_characters_left_in_any_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from audit.ui.console import TerminalConsole, visible

    out = TerminalConsole(force_terminal=True, width=80)
    out.print(f"client {HOSTILE}", markup=False)
    out.print(Text(f"name {HOSTILE} \x85 \u202e"))
    printed = capsys.readouterr().out
    _no_escape_from_data(printed)
    assert "␛]0;pwned␇" in printed and "\ufffd" in printed
    assert visible("a\nb", single_line=True) == "a␤b"


def test_contacts_shows_hostile_cells_and_headers_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "list.csv"
    export.write_text(
        f'"email{HOSTILE}";consent [/oops]\n'
        f"contact@acme.fr;oui\n"
        f'"[link=https://evil.example]x{HOSTILE}@acme.fr";non\n'
        f"[/oops]@example.com;oui\n"
        f"thumbs:thumbs_up:@acme.fr;oui\n"
        + "".join(f"person{i}@acme.fr;oui\n" for i in range(300)),
        # Enough ordinary rows that the file reads as text (a few control bytes in a
        # real export), not as a binary file.
        encoding="utf-8",
    )
    code, out, err = _run(["contacts", str(export), "--column", "1"], monkeypatch, capsys)
    assert code == 0, err
    _no_escape_from_data(out)
    assert "␛]0;pwned␇" in out
    assert "[/oops]" in out
    assert "thumbs:thumbs_up:@acme.fr" in out  # a sample address, not an emoji


def test_diagnose_shows_a_hostile_client_name_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "a.yaml"
    original = (CLIENTS / "industrial_subcontractor.yaml").read_text("utf-8")
    name = "Usinage [/oops] \\e]0;pwned\\a [link=https://evil.example]x[/link]"
    hostile = original.replace("name: Usinage Vallée de l'Arve", f'name: "{name}"')
    answers.write_text(hostile, "utf-8")
    code, out, err = _run(["diagnose", str(answers)], monkeypatch, capsys)
    assert code == 0, err
    _no_escape_from_data(out)
    assert "Usinage [/oops] ␛]0;pwned␇ [link=https://evil.example]x[/link]" in out


def test_rich_does_not_break_a_line_at_a_non_breaking_space() -> None:
    from audit.ui.console import TerminalConsole

    out = TerminalConsole(width=20, record=True, file=io.StringIO())
    out.language = "fr"
    out.print("aaaa bbbb cccc dddd ? suite")
    out.print(Text("aaaa bbbb cccc dddd : suite"))
    lines = out.export_text().splitlines()
    assert not any(line.lstrip().startswith(("?", ":")) for line in lines), lines


def test_run_check_shows_markup_in_answers_and_versions_as_text(
    mini_pack_dir: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from audit.cli import app

    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "pack: mini\n"
        "pack_version: '[/oops]'\n"
        "mode: quick\n"
        "client: {name: '[/oops] Acme'}\n"
        "answers:\n"
        '  audience: {status: answered, value: "[/oops] \\e]0;pwned\\a"}\n'
        "  written_plan: {status: answered, value: true}\n",
        encoding="utf-8",
    )
    args = ["run", "--pack", str(mini_pack_dir), "--answers", str(answers), "--non-interactive"]
    result = CliRunner().invoke(app, args)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    assert result.exit_code == 1
    _no_escape_from_data(result.output)
    assert "[/oops]" in result.output  # the version and the answer, as typed
    assert "␛]0;pwned␇" in result.output
