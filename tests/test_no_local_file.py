"""No local file in a client report (issue 11, item 4).

An answers file can come from anyone. The contact list it names must lie in its own folder
(or below); client-facing outputs carry counts, the list's name and dates, never sample
addresses nor absolute paths; a named list that cannot be read is an error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "questionnaires" / "engagement" / "examples"
SECRET = "hunter2-do-not-print"


def audit(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audit", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A client folder holding a copy of the craft example, and a secret beside it."""
    client = tmp_path / "client"
    client.mkdir()
    shutil.copy(EXAMPLES / "craft.yaml", client / "craft.yaml")
    shutil.copy(EXAMPLES / "craft-contacts.csv", client / "craft-contacts.csv")
    (tmp_path / "credentials.csv").write_text(
        f"email,password\nadmin@bank.example,{SECRET}\n", encoding="utf-8"
    )
    return client


def naming(folder: Path, value: str) -> Path:
    answers = folder / "craft.yaml"
    text = (EXAMPLES / "craft.yaml").read_text(encoding="utf-8")
    answers.write_text(
        text.replace("value: craft-contacts.csv", f"value: '{value}'"), encoding="utf-8"
    )
    return answers


@pytest.mark.parametrize("value", ["../credentials.csv", "{tmp}/credentials.csv"])
@pytest.mark.parametrize(
    "command",
    [["report", "--format", "json", "-o", "out.json"], ["diagnose", "--json"], ["diagnose"]],
)
def test_a_list_outside_the_answers_folder_is_refused_and_never_read(
    folder: Path, value: str, command: list[str]
) -> None:
    answers = naming(folder, value.format(tmp=folder.parent))
    if "-o" in command:
        command = [*command[:-1], str(folder / "out.json")]
    result = audit(command[0], answers, *command[1:])
    assert result.returncode == 1, result.stdout
    assert "not in the answers file's folder" in result.stderr
    assert f"{answers}:" in result.stderr  # the line of the answer
    assert SECRET not in result.stdout + result.stderr
    assert "admin@bank.example" not in result.stdout + result.stderr
    assert not (folder / "out.json").exists()


def test_the_refusal_does_not_tell_whether_a_file_exists(folder: Path) -> None:
    there = audit("diagnose", naming(folder, "../credentials.csv"), "--json").stderr
    absent = audit("diagnose", naming(folder, "../nothing-here.csv"), "--json").stderr
    assert there.replace("credentials", "X") == absent.replace("nothing-here", "X")


def test_a_symlink_inside_the_folder_pointing_out_is_refused(folder: Path) -> None:
    (folder / "contacts.csv").symlink_to(folder.parent / "credentials.csv")
    result = audit("report", naming(folder, "contacts.csv"), "--format", "json")
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr


def test_a_missing_named_list_is_an_error_not_silently_ignored(folder: Path) -> None:
    (folder / "craft-contacts.csv").unlink()
    answers = folder / "craft.yaml"
    for command in (["diagnose", answers, "--json"], ["report", answers, "--format", "md"]):
        result = audit(*command)
        assert result.returncode == 1, result.stdout
        assert "craft-contacts.csv" in result.stderr and "does not exist" in result.stderr
    check = audit("run", "--answers", answers, "--non-interactive")
    assert check.returncode == 1
    assert "craft-contacts.csv" in check.stdout and "does not exist" in check.stdout
    assert "complete and valid" not in check.stdout and "complète" not in check.stdout


def test_a_list_in_a_subfolder_is_read(folder: Path) -> None:
    (folder / "exports").mkdir()
    shutil.move(folder / "craft-contacts.csv", folder / "exports" / "list.csv")
    result = audit("diagnose", naming(folder, "exports/list.csv"), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["contacts"]["source"]["file"] == "list.csv"


def stored_with_samples(folder: Path) -> Path:
    """The answers with an analysis stored as the questionnaire stores it (samples, paths)."""
    from audit.contacts.analysis import analyse_file
    from audit.session.store import load_answers, save_answers

    answers = folder / "craft.yaml"
    data = load_answers(answers)
    analysis = analyse_file(folder / "craft-contacts.csv").to_dict()
    analysis["samples"]["invalid"] = [{"row": 3, "email": "not@an@address", "reason": "x"}]
    analysis["samples"]["generic"] = [{"row": 4, "email": "contact@private.example"}]
    analysis["source"]["path"] = "/home/camille/clients/craft-contacts.csv"
    analysis["source"]["file"] = "/home/camille/clients/craft-contacts.csv"
    analysis["smuggled"] = "extra key"
    data.facts["contacts"] = analysis
    data.answers["contact_export"].value = "/home/camille/clients/craft-contacts.csv"
    save_answers(answers, data)
    return answers


@pytest.mark.parametrize(
    "command",
    [
        ["diagnose", "--json"],
        ["report", "--format", "json", "-o", "-"],
        ["report", "--format", "md", "-o", "-"],
        ["report", "--format", "html", "-o", "-"],
    ],
)
def test_client_facing_outputs_carry_no_sample_address_nor_local_path(
    folder: Path, command: list[str]
) -> None:
    answers = stored_with_samples(folder)
    if command[-1] == "-":
        target = folder / f"out.{command[2]}"
        command = [*command[:-1], str(target)]
    result = audit(command[0], answers, *command[1:])
    assert result.returncode == 0, result.stderr
    text = result.stdout if command[0] == "diagnose" else Path(command[-1]).read_text("utf-8")
    for leak in ("not@an@address", "contact@private.example", "/home/camille", "smuggled"):
        assert leak not in text, leak
    assert "craft-contacts.csv" in text  # the list's name is kept
    if command[0] == "diagnose":
        contacts = json.loads(text)["contacts"]
        assert contacts["source"]["file"] == "craft-contacts.csv"
        assert contacts["rows"] > 0 and "samples" not in contacts


def test_the_terminal_analysis_keeps_its_samples(folder: Path) -> None:
    result = audit("contacts", folder / "craft-contacts.csv", "--json")
    assert result.returncode == 0
    assert "samples" in json.loads(result.stdout)
