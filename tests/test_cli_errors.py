"""Every error names its file and exits with a consistent code; no `Internal error` for a
symlink loop, deep nesting, a full or closed stdout, an ASCII-only terminal, a folder that
cannot be entered, a pipe given as a file (issue 11, items 6 and 7)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "questionnaires" / "engagement" / "examples"


def audit(
    *args: str | Path, env: dict[str, str] | None = None, stdout: int | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audit", *map(str, args)],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def craft(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / "craft.yaml", tmp_path / "craft.yaml")
    shutil.copy(EXAMPLES / "craft-contacts.csv", tmp_path / "craft-contacts.csv")
    return tmp_path / "craft.yaml"


@pytest.mark.parametrize(
    "command",
    [["diagnose", "{f}"], ["run", "--answers", "{f}", "--non-interactive"], ["contacts", "{f}"]],
)
def test_a_symlink_loop_is_named_as_such(command: list[str], tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    result = audit(*[part.format(f=loop) for part in command])
    assert result.returncode == 1
    assert f"{loop}: this path is a loop of symbolic links" in result.stderr
    assert "not found" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [["diagnose", "{f}"], ["run", "--answers", "{f}", "--non-interactive"], ["contacts", "{f}"]],
)
def test_a_pipe_is_refused_as_not_a_regular_file(command: list[str], tmp_path: Path) -> None:
    fifo = tmp_path / "input.yaml"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    result = audit(*[part.format(f=fifo) for part in command])
    assert result.returncode == 1
    assert f"{fifo}: not a regular file" in result.stderr


def test_deep_nesting_is_an_error_naming_the_file(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("pack: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    result = audit("diagnose", deep)
    assert result.returncode == 1
    assert f"{deep}: cannot read YAML: nested too deeply" in result.stderr
    assert "Internal error" not in result.stderr


def test_a_full_stdout_is_an_error_not_a_crash(craft: Path) -> None:
    with Path("/dev/full").open("w") as full:
        for command in (["diagnose", craft, "--json"], ["diagnose", craft]):
            result = audit(*command, stdout=full.fileno())
            assert result.returncode == 1
            assert "cannot write the output: No space left on device" in result.stderr
            assert "Internal error" not in result.stderr and "Exception" not in result.stderr


def test_an_ascii_only_terminal_gets_the_output_with_replacements(craft: Path) -> None:
    result = audit("diagnose", craft, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "Atelier Terre d'Ocre" in result.stdout
    missing = audit("diagnose", craft.with_name("absent-é.yaml"), env={"PYTHONIOENCODING": "ascii"})
    assert missing.returncode == 1
    assert "absent-?.yaml: file not found" in missing.stderr


def test_a_folder_that_cannot_be_entered_names_the_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As root (CI containers) chmod 000 does not stop anything: raise what stat() raises.
    import audit.assessment
    from audit import cli

    def denied(*_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied", "/srv/clients/locked")

    monkeypatch.setattr(audit.assessment, "assess_file", denied)
    monkeypatch.setattr(sys, "argv", ["audit", "diagnose", "/srv/clients/locked/a.yaml"])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "/srv/clients/locked: cannot use this file or folder: Permission denied" in err
    assert "Internal error" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root enters every folder")
def test_a_real_folder_without_permission(craft: Path) -> None:
    locked = craft.parent / "locked"
    locked.mkdir()
    shutil.copy(craft, locked / "craft.yaml")
    locked.chmod(0)
    try:
        result = audit("diagnose", locked / "craft.yaml")
    finally:
        locked.chmod(0o755)
    assert result.returncode == 1
    assert str(locked) in result.stderr and "Internal error" not in result.stderr


BOMB = """\
pack: engagement
a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_an_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    from audit.errors import AnswersError, ReportError
    from audit.report.theme import load_theme
    from audit.session.store import load_answers

    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")  # 9**9 strings once expanded
    with pytest.raises(AnswersError, match="anchors and aliases") as caught:
        load_answers(bomb)
    assert caught.value.location.line == 2
    with pytest.raises(ReportError, match="anchors and aliases"):
        load_theme(bomb)


def test_oversized_files_and_fields_are_refused_with_a_message(tmp_path: Path) -> None:
    from audit.errors import AnswersError
    from audit.session.store import load_answers

    big = tmp_path / "big.yaml"
    lines = [f"  q{i}: {{status: unknown, value: null}}" for i in range(100_000)]
    big.write_text(
        "pack: engagement\npack_version: '1'\nclient: {name: A}\nanswers:\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(AnswersError, match="too large"):
        load_answers(big)
    many = tmp_path / "many.yaml"
    many.write_text(
        "pack: engagement\npack_version: '1'\nclient: {name: A}\nanswers:\n"
        + "\n".join(lines[:3000])
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(AnswersError, match="at most 2000"):
        load_answers(many)
    long_name = tmp_path / "name.yaml"
    long_name.write_text(
        f"pack: engagement\npack_version: '1'\nclient: {{name: {'A' * 5000}}}\n", encoding="utf-8"
    )
    with pytest.raises(AnswersError) as caught:
        load_answers(long_name)
    assert caught.value.location.field == "client.name" and "300" in caught.value.message


def _workbook(path: Path, rows: int = 3) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["email", "name"])
    for i in range(rows):
        sheet.append([f"person{i}@example.com", f"Person {i}"])
    book.save(path)
    return path


def test_an_xlsx_declaring_a_huge_dimension_is_read_row_by_row(tmp_path: Path) -> None:
    import zipfile
    from contextlib import ExitStack

    from audit.contacts.reader import _xlsx_records

    honest = _workbook(tmp_path / "honest.xlsx")
    liar = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(honest) as source, zipfile.ZipFile(liar, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
                assert b"XFD1048576" in data
            target.writestr(item, data)
    with ExitStack() as stack:
        widths = [len(cells) for _, cells, _ in _xlsx_records(liar, stack)]
    assert widths and max(widths) == 2  # not 16,384 cells per row


def test_an_xlsx_that_would_inflate_too_far_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit.contacts import reader
    from audit.contacts.analysis import analyse_file
    from audit.errors import ContactsError

    book = _workbook(tmp_path / "list.xlsx", rows=200)
    monkeypatch.setattr(reader, "XLSX_PART_MAX", 4096)  # a gigabyte, scaled down
    with pytest.raises(ContactsError, match="inflates to"):
        analyse_file(book)
