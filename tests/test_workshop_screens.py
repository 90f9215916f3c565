"""The workshop screens at 80x24, typed at as a consultant or a prospect would (pexpect)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_terminal_e2e import CTRL_C, ENTER, Terminal

from audit.session.answers import Status
from audit.session.store import load_answers

pytest.importorskip("pexpect")
pytestmark = pytest.mark.slow

INTRO_END = "unmistakably."  # the last word of a long introduction


@pytest.fixture
def pack(mini_pack_dir: Path, tmp_path: Path) -> Path:
    """The mini pack, its first section with an introduction three lines long."""
    copy = tmp_path / "pack"
    shutil.copytree(mini_pack_dir, copy)
    section = copy / "sections" / "company.yaml"
    intro = (
        "A few facts about the company: its customers, its plans and its size, which tell "
        "us what a tool would have to work with and who would have to run it, "
        "so the report can say which tools fit, and which do not, " + INTRO_END
    )
    text = section.read_text("utf-8").replace(
        "en: A few facts about the company.", f'en: "{intro}"', 1
    )
    section.write_text(text, "utf-8")
    return copy


def test_quick_mode_shows_the_title_then_asks_the_prospects_name_and_role(
    pack: Path, tmp_path: Path
) -> None:
    term = Terminal("--pack", pack, "--quick", "--lang", "en", cwd=tmp_path)
    term.expect("Mini test questionnaire")  # the title screen comes first...
    term.expect("questions, about")  # ...with its length...
    term.expect("Your company's name")  # ...then the one thing it cannot show yet
    term.keys("Acme", ENTER)
    term.expect("acme-answers.yaml")  # the file, on the title screen
    term.expect("Your sector")
    term.keys("industrial bakery", ENTER)
    term.expect("Your name and role")
    term.keys("Jane Roe, sales director", ENTER)
    term.expect("Recorded:")
    term.expect("Jane Roe — sales director")
    term.expect("Is that right?")
    term.keys(ENTER)
    term.expect("Press any key")
    before = term.child.before
    assert "Participants" not in before and "Consultant" not in before
    term.keys(ENTER)
    term.expect("Who are your customers?")
    term.keys(CTRL_C)
    assert term.exit_code() == 130
    saved = load_answers(tmp_path / "acme-answers.yaml")
    assert saved.mode == "quick"
    assert [(p.name, p.role) for p in saved.respondents] == [("Jane Roe", "sales director")]
    assert saved.client.sector == "industrial bakery"
    assert saved.consultant is None


def test_participants_with_commas_in_brackets_are_shown_and_can_be_corrected(
    pack: Path, tmp_path: Path
) -> None:
    answers = tmp_path / "martin.yaml"
    term = Terminal("--pack", pack, "--answers", answers, cwd=tmp_path)  # French
    term.expect("Mini questionnaire de test")
    term.expect("Nom du client")
    term.keys("Boulangerie Martin", ENTER)
    term.expect("Secteur d'activité du client")
    term.keys("boulangerie artisanale", ENTER)
    term.expect("Consultant qui mène l'entretien")
    term.keys("Claire Fontaine", ENTER)
    term.expect("Participants")
    term.keys("M. Martin (gérant, artisan boulanger), Mme Roy", ENTER)
    term.expect("Participants enregistrés")
    term.expect("M. Martin — gérant, artisan boulanger")
    term.expect("Mme Roy")
    term.keys("n", ENTER)  # not right: asked again, with the text kept to correct it
    term.expect("Participants")
    term.expect("Mme Roy")
    term.keys(" (vendeuse)", ENTER)
    term.expect("Mme Roy — vendeuse")
    term.keys("o", ENTER)
    term.expect("Appuyez sur une touche")
    term.keys(CTRL_C)
    assert term.exit_code() == 130
    saved = load_answers(answers)
    assert [(p.name, p.role) for p in saved.respondents] == [
        ("M. Martin", "gérant, artisan boulanger"),
        ("Mme Roy", "vendeuse"),
    ]
    assert saved.consultant == "Claire Fontaine"
    assert saved.client.sector == "boulangerie artisanale"


def test_intro_whole_current_answer_dont_know_on_multiple_and_what_is_left_at_the_end(
    pack: Path, tmp_path: Path
) -> None:
    answers = tmp_path / "acme.yaml"
    term = Terminal(
        "--pack", pack, "--answers", answers, "--lang", "en", "--client", "Acme", cwd=tmp_path
    )
    for _ in range(3):  # sector, consultant, participants: skipped
        term.expect("Enter to skip")
        term.keys(ENTER)
    term.expect("Press any key")
    term.keys(ENTER)
    term.expect(INTRO_END)  # the section's introduction, whole, on its first screen
    term.expect("Who are your customers?")
    term.keys("2", ENTER)  # Consumers
    term.expect("written marketing plan?")
    term.keys("b", ENTER)  # back: the answer given is said in words
    term.expect("Current answer")
    term.expect("Consumers")
    term.expect("Who are your customers?")
    term.keys(ENTER)  # keep it
    term.expect("written marketing plan?")
    term.keys("y", ENTER)
    term.expect("How many employees?")
    term.keys("12", ENTER)
    term.expect("Where is your customer data?")
    term.expect("d) Don't know (to verify)")  # offered as on every other screen
    term.keys("d", ENTER)  # points at it, then Enter confirms, as on other screens
    term.expect("trained on the CRM?")  # asked: whether there is a CRM is to verify
    term.keys("2", ENTER)
    term.expect("consumer customers?")
    term.keys("Mostly regulars", ENTER)
    term.expect("contact-list export")
    term.keys(ENTER)  # an empty line: the other options
    term.expect("More options")
    term.keys("x", ENTER)  # not applicable
    term.expect("pick a section")
    term.keys("f", ENTER)  # finish
    term.expect("Session complete")
    term.expect("To verify before the report (1):")  # the end screen repeats what is left
    term.expect("Where is your customer data?")
    assert term.exit_code() == 0
    saved = load_answers(answers)
    assert saved.answers["data_places"].status == Status.UNKNOWN
    assert saved.answers["written_plan"].value is True
    # `d` alone did not answer: the Enter after it did not spill onto the next question.
    assert saved.answers["consumer_note"].value == "Mostly regulars"
