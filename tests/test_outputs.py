"""`-o` never destroys what it should not: not the input, not a device or a pipe, not a
symlink (it is written through), for every command that writes (issue 11, item 3)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audit.errors import AnswersError, ReportError, UsageError
from audit.outputs import output_target

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "questionnaires" / "engagement" / "examples" / "craft.yaml"


def audit(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audit", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    copy = tmp_path / "craft.yaml"
    shutil.copy(EXAMPLE, copy)
    shutil.copy(EXAMPLE.with_name("craft-contacts.csv"), tmp_path)
    return copy


def test_the_report_refuses_to_overwrite_its_answers_file(answers: Path) -> None:
    before = answers.read_bytes()
    result = audit("report", answers, "-o", answers, "--format", "md")
    assert result.returncode == 1
    assert "input file" in result.stderr and "Traceback" not in result.stderr
    assert answers.read_bytes() == before


def test_the_report_refuses_the_answers_file_through_a_symlink(
    answers: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(answers)
    before = answers.read_bytes()
    result = audit("report", answers, "-o", link, "--format", "md")
    assert result.returncode == 1, result.stderr
    assert answers.read_bytes() == before and link.is_symlink()


def test_the_report_refuses_its_theme_file(answers: Path, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "reports" / "themes" / "default", theme)
    before = (theme / "theme.yaml").read_bytes()
    result = audit("report", answers, "--theme", theme / "theme.yaml", "-o", theme / "theme.yaml")
    assert result.returncode == 1
    assert (theme / "theme.yaml").read_bytes() == before


def test_the_report_refuses_a_pipe_and_leaves_it_a_pipe(answers: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    result = audit("report", answers, "-o", fifo, "--format", "md")
    assert result.returncode == 1
    assert "not a regular file" in result.stderr
    assert fifo.is_fifo()


def test_a_device_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    # The check itself, on /dev/null: nothing is written, whoever runs the tests.
    with pytest.raises(ReportError, match="not a regular file"):
        output_target(Path("/dev/null"), error=ReportError)
    with pytest.raises(ReportError, match="folder"):
        output_target(tmp_path, error=ReportError)


def test_the_report_is_written_through_a_symlink(answers: Path, tmp_path: Path) -> None:
    real = tmp_path / "shared" / "report.md"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = audit("report", answers, "-o", link, "--format", "md")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("#")


def test_a_symlink_loop_says_so(answers: Path, tmp_path: Path) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    result = audit("report", answers, "-o", loop, "--format", "md")
    assert result.returncode == 1
    assert "loop" in result.stderr and "not found" not in result.stderr


def test_an_empty_output_name_is_a_usage_error(answers: Path) -> None:
    for command in (["report", answers], ["demo"]):
        result = audit(*command, "-o", "")
        assert result.returncode == 2, result.stderr
        assert "-o needs a file name" in result.stderr


def test_the_demo_refuses_to_overwrite_its_example(tmp_path: Path) -> None:
    from audit.report.writer import demo_answers

    result = audit("demo", "-o", demo_answers())
    assert result.returncode == 1
    assert "input file" in result.stderr


def test_answers_are_not_written_over_a_device() -> None:
    with pytest.raises(AnswersError, match="not a regular file"):
        output_target(Path("/dev/null"), error=AnswersError, option="--answers")
    with pytest.raises(UsageError):
        output_target(Path(), error=AnswersError, option="--answers")
