"""`audit run` wiring through typer's CliRunner: refusals, exit codes, the file check."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.cli import app

runner = CliRunner()

COMPLETE_QUICK = (
    "pack: mini\n"
    "pack_version: '1.0'\n"
    "mode: quick\n"
    "client: {name: Acme}\n"
    "answers:\n"
    "  audience: {status: answered, value: b2b}\n"
    "  written_plan: {status: answered, value: true}\n"
    "  data_places: {status: answered, value: [paper]}\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, ["run", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_without_a_terminal_run_refuses_instead_of_waiting(
    mini_pack_dir: Path, tmp_path: Path
) -> None:
    code, output = run("--pack", mini_pack_dir, "--client", "Acme", "--answers", tmp_path / "a")
    assert code == 2
    assert "needs a terminal" in output and "--non-interactive" in output
    assert not (tmp_path / "a").exists()


def test_non_interactive_needs_an_answers_file(mini_pack_dir: Path) -> None:
    code, output = run("--pack", mini_pack_dir, "--non-interactive")
    assert code == 2
    assert "--answers FILE" in output


def test_unknown_language_is_a_usage_error(mini_pack_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE_QUICK)
    code, output = run(
        "--pack", mini_pack_dir, "--answers", path, "--non-interactive", "--lang", "de"
    )
    assert code == 2
    assert "unknown language 'de'" in output


def test_check_of_a_complete_file_passes(mini_pack_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE_QUICK)
    code, output = run("--pack", mini_pack_dir, "--answers", path, "--non-interactive")
    assert code == 0, output
    assert "3/3" in output


def test_check_lists_unanswered_questions_by_id(mini_pack_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE_QUICK)
    code, output = run(
        "--pack", mini_pack_dir, "--answers", path, "--non-interactive", "--full", "--lang", "en"
    )
    assert code == 0, output
    assert "Unanswered questions" in output
    for qid in ("employees", "contact_export"):
        assert qid in output
    assert "crm_trained" not in output  # hidden: no CRM among data_places
    assert "consumer_note" not in output  # hidden: the audience is b2b


def test_check_reports_invalid_answers_with_their_line(mini_pack_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE_QUICK.replace("value: b2b", "value: martians"))
    code, output = run("--pack", mini_pack_dir, "--answers", path, "--non-interactive")
    assert code == 1
    assert f"{path}:6" in output.replace("\n", "")
    assert "audience" in output and "martians" in output


def test_a_corrupt_file_gives_its_line_and_is_not_touched(
    mini_pack_dir: Path, tmp_path: Path
) -> None:
    broken = COMPLETE_QUICK.replace("client: {name: Acme}", "client: {name: Acme")
    path = write(tmp_path, broken)
    code, output = run("--pack", mini_pack_dir, "--answers", path, "--non-interactive")
    assert code == 1
    assert f"{path}:" in output.replace("\n", "")
    assert "Traceback" not in output
    assert path.read_text(encoding="utf-8") == broken


def test_orphan_answers_are_reported_not_dropped(mini_pack_dir: Path, tmp_path: Path) -> None:
    text = COMPLETE_QUICK + "  budget: {status: answered, value: 5000}\n"
    path = write(tmp_path, text)
    code, output = run(
        "--pack", mini_pack_dir, "--answers", path, "--non-interactive", "--lang", "en"
    )
    assert code == 0
    assert "budget" in output and f"{path}:9" in output.replace("\n", "")
    assert path.read_text(encoding="utf-8") == text


def test_the_answers_file_names_its_pack(mini_pack_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE_QUICK)
    code, output = run("--answers", path, "--non-interactive")
    # `mini` is not a shipped pack: the error says which pack and how to name it.
    assert code == 1
    assert "no questionnaire pack 'mini'" in output


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_check_speaks_the_requested_language(
    mini_pack_dir: Path, tmp_path: Path, lang: str
) -> None:
    path = write(tmp_path, COMPLETE_QUICK)
    code, output = run(
        "--pack", mini_pack_dir, "--answers", path, "--non-interactive", "--full", "--lang", lang
    )
    assert code == 0
    expected = {"fr": "Questions sans réponse", "en": "Unanswered questions"}[lang]
    assert expected in output
