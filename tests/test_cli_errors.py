"""Every error names its file and exits with a consistent code; no `Internal error` for a
symlink loop, deep nesting, a full or closed stdout, an ASCII-only terminal, a folder that
cannot be entered, a pipe given as a file (issue 11, items 6 and 7)."""

from __future__ import annotations

import os
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
