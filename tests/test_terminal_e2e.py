"""The real `audit run` in a pseudo-terminal, typed at as a consultant would (pexpect)."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from audit.session.answers import Status
from audit.session.store import load_answers

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.slow

AUDIT = Path(sys.executable).with_name("audit")
DOWN, ENTER, CTRL_C, CTRL_D, CTRL_U = "\x1b[B", "\r", "\x03", "\x04", "\x15"


class Terminal:
    """`audit run` on an 80x24 pseudo-terminal."""

    def __init__(self, *args: str | Path, cwd: Path) -> None:
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": "80",
            "LINES": "24",
            # No terminal answers prompt_toolkit's cursor-position requests here.
            "PROMPT_TOOLKIT_NO_CPR": "1",
        }
        self.child = pexpect.spawn(
            str(AUDIT),
            ["run", *map(str, args)],
            cwd=str(cwd),
            env=env,
            dimensions=(24, 80),
            encoding="utf-8",
            timeout=60,  # generous: a loaded CI machine is slow, never a reason to fail
        )

    def expect(self, text: str) -> None:
        self.child.expect_exact(text)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.child.send(key)

    def exit_code(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        status: int = self.child.exitstatus
        return status


@pytest.fixture
def contacts(tmp_path: Path) -> Path:
    export = tmp_path / "contacts.csv"
    export.write_text("email\ncontact@acme.fr\njane.doe@acme.fr\n", encoding="utf-8")
    return export


def test_a_whole_session_with_back_note_interrupt_resume_review(
    mini_pack_dir: Path, tmp_path: Path, contacts: Path
) -> None:
    answers = tmp_path / "acme.yaml"
    common = ("--pack", mini_pack_dir, "--answers", answers, "--lang", "en")

    term = Terminal(*common, "--client", "Acme", cwd=tmp_path)
    term.expect("The client's sector")
    term.keys(ENTER)  # skipped
    term.expect("Consultant running the session")
    term.keys(ENTER)
    term.expect("Participants")
    term.keys("Jane Roe (director)", ENTER)
    term.expect("Jane Roe — director")  # what was understood, before going on
    term.expect("Is that right?")
    term.keys(ENTER)  # yes
    term.expect("Press any key")
    term.keys(ENTER)
    term.expect("Who are your customers?")
    term.keys("2", ENTER)  # Consumers
    term.expect("written marketing plan?")
    term.keys("a", ENTER)  # Add a note
    term.expect("Note (")
    term.keys("Only in the director's head", ENTER)
    term.expect("Only in the director's head")  # the note is shown above the question
    term.keys("y", ENTER)
    term.expect("How many employees?")
    term.keys("12", ENTER)
    term.expect("Where is your customer data?")
    term.keys(" ", ENTER)  # tick "A CRM"
    term.expect("trained on the CRM?")
    term.keys("b", ENTER)  # back to the previous question...
    term.expect("Where is your customer data?")
    term.keys(DOWN, " ", ENTER)  # ...and add spreadsheets
    term.expect("trained on the CRM?")
    term.keys("2", ENTER)  # Partly
    term.expect("consumer customers?")
    term.keys(CTRL_C)
    term.expect("To resume:")
    term.expect(f"audit run --answers {answers}")
    assert term.exit_code() == 130

    saved = load_answers(answers)
    assert saved.respondents[0].name == "Jane Roe" and saved.respondents[0].role == "director"
    assert saved.answers["audience"].value == "b2c"
    assert saved.answers["written_plan"].value is True
    assert saved.answers["written_plan"].note == "Only in the director's head"
    assert saved.answers["employees"].value == 12
    assert saved.answers["data_places"].value == ["crm", "spreadsheets"]
    assert saved.answers["crm_trained"].value == "partly"
    assert "consumer_note" not in saved.answers

    term = Terminal(*common, cwd=tmp_path)
    term.expect("Resuming")
    term.expect("5/7 answered")
    term.keys(ENTER)
    term.expect("consumer customers?")  # straight to the first unanswered question
    term.keys(ENTER)  # an empty line opens the other options
    term.expect("More options")
    term.keys("d", ENTER)  # don't know
    term.expect("contact-list export")
    term.keys("nowhere.csv", ENTER)
    term.expect("No such file")
    term.keys(CTRL_U, str(contacts), ENTER)
    term.expect("Review")
    term.expect("to verify")
    term.expect("pick a section")
    term.keys("1", ENTER)  # the first section, "The company"
    term.expect("Which answer to change?")
    term.keys("3", ENTER)  # How many employees?
    term.expect("Enter on an empty line")  # the question's own screen
    term.expect("How many employees?")
    term.keys(CTRL_U, "40", ENTER)
    term.expect("40 employees")  # back on the section's page, with the new answer
    term.keys("b", ENTER)  # back to the review
    term.expect("pick a section")
    term.keys("f", ENTER)  # Finish
    term.expect("Session complete")
    assert term.exit_code() == 0

    final = load_answers(answers)
    assert final.answers["employees"].value == 40
    assert final.answers["consumer_note"].status == Status.UNKNOWN
    assert final.answers["contact_export"].value == contacts.name  # from the answers' folder
    assert final.answers["written_plan"].note == "Only in the director's head"


def test_kill_9_loses_nothing_already_answered(mini_pack_dir: Path, tmp_path: Path) -> None:
    answers = tmp_path / "acme.yaml"
    common = ("--pack", mini_pack_dir, "--answers", answers)

    term = Terminal(*common, "--client", "Acme", cwd=tmp_path)  # French by default
    term.expect("Secteur d'activité du client")
    term.keys(ENTER)
    term.expect("Consultant qui mène l'entretien")
    term.keys(ENTER)
    term.expect("Participants")
    term.keys(ENTER)
    term.expect("Appuyez sur une touche")
    term.keys(ENTER)
    term.expect("Qui sont vos clients\u202f?")  # French spacing: the ? never wraps alone
    term.keys("1", ENTER)
    term.expect("plan marketing écrit\u202f?")
    term.keys("n", ENTER)  # Non
    term.expect("Combien de salariés\u202f?")
    term.keys("25")  # typed, not confirmed: this one may be lost
    os.kill(term.child.pid, signal.SIGKILL)
    term.child.expect(pexpect.EOF)
    term.child.close()
    assert term.child.signalstatus == signal.SIGKILL

    saved = load_answers(answers)
    assert saved.answers["audience"].value == "b2b"
    assert saved.answers["written_plan"].value is False
    assert not list(tmp_path.glob(".acme.yaml.*.tmp"))  # no temporary file left behind

    term = Terminal(*common, cwd=tmp_path)
    term.expect("Reprise")
    term.expect("2/6")  # b2b hides the question on consumers
    term.keys(ENTER)
    term.expect("Combien de salariés\u202f?")
    term.keys(CTRL_D)  # end of input: saved and stopped like Ctrl-C
    term.expect("Pour reprendre")
    assert term.exit_code() == 130
    assert load_answers(answers).answers.keys() == {"audience", "written_plan"}
