"""`audit run` in a pseudo-terminal under stress: a second session on the same file, a
stop signal in the middle of a question, a client name that leads to another client's file
(issue 11, items 2, 7 and 10)."""

from __future__ import annotations

import os
import signal
import termios
from pathlib import Path

import pytest
from test_terminal_e2e import ENTER, Terminal

from audit.session.lock import holder_of
from audit.session.store import load_answers

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.slow


def _start(term: Terminal) -> None:
    """From the identity prompts of a new session to the first question (English)."""
    term.expect("The client's sector")
    term.keys(ENTER)  # skipped
    term.expect("Consultant running the session")
    term.keys(ENTER)
    term.expect("Participants")
    term.keys(ENTER)  # nobody named: nothing to confirm
    term.expect("Press any key")
    term.keys(ENTER)
    term.expect("Who are your customers?")


def test_a_second_session_on_the_same_file_is_refused(mini_pack_dir: Path, tmp_path: Path) -> None:
    answers = tmp_path / "acme.yaml"
    common = ("--pack", mini_pack_dir, "--answers", answers, "--lang", "en")
    first = Terminal(*common, "--client", "Acme", cwd=tmp_path)
    _start(first)
    first.keys("1", ENTER)  # Businesses
    first.expect("written marketing plan?")

    second = Terminal(*common, cwd=tmp_path)
    second.expect("another session has this answers file open")
    second.expect(f"process {first.child.pid}")
    assert second.exit_code() == 1

    # The first session goes on, and its answers are all there.
    first.keys("y", ENTER)
    first.expect("How many employees?")
    first.keys("\x03")
    assert first.exit_code() == 130
    saved = load_answers(answers)
    assert saved.answers["audience"].value == "b2b"
    assert saved.answers["written_plan"].value is True
    assert holder_of(answers) is None  # released on the way out


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_saves_restores_the_terminal_and_says_so(
    stop: signal.Signals, mini_pack_dir: Path, tmp_path: Path
) -> None:
    answers = tmp_path / "acme.yaml"
    term = Terminal(
        "--pack",
        mini_pack_dir,
        "--answers",
        answers,
        "--lang",
        "en",
        "--client",
        "Acme",
        cwd=tmp_path,
    )
    _start(term)
    term.keys("2", ENTER)  # Consumers
    term.expect("written marketing plan?")  # a prompt: the terminal is in raw mode here
    os.kill(term.child.pid, stop)
    term.expect(f"signal {stop.name}")
    term.expect("To resume:")
    # The terminal is given back as it was: echo and line editing on.
    attributes = termios.tcgetattr(term.child.child_fd)
    assert attributes[3] & termios.ECHO and attributes[3] & termios.ICANON
    assert term.exit_code() == 128 + stop
    assert load_answers(answers).answers["audience"].value == "b2c"
    assert holder_of(answers) is None


def test_a_client_name_leading_to_another_clients_file_asks_first(
    mini_pack_dir: Path, tmp_path: Path
) -> None:
    common = ("--pack", mini_pack_dir, "--lang", "en")
    first = Terminal(*common, "--client", "Café Dupont", cwd=tmp_path)
    _start(first)
    first.keys("1", ENTER)
    first.expect("written marketing plan?")
    first.keys("\x03")
    assert first.exit_code() == 130

    other = Terminal(*common, "--client", "CAFÉ-DUPONT", cwd=tmp_path)
    other.expect('belongs to the client "Café Dupont"')
    other.expect("New file for this client")
    other.keys(ENTER)  # the first option: a new file
    _start(other)
    other.keys("\x03")
    assert other.exit_code() == 130
    assert load_answers(tmp_path / "cafe-dupont-answers.yaml").client.name == "Café Dupont"
    fresh = load_answers(tmp_path / "cafe-dupont-answers-2.yaml")
    assert fresh.client.name == "CAFÉ-DUPONT" and fresh.answers == {}


def _resumed_at_welcome(mini_pack_dir: Path, tmp_path: Path) -> tuple[Terminal, Path]:
    """A resumed session of `audit run`, at its welcome screen ("Press any key")."""
    answers = tmp_path / "acme.yaml"
    common = ("--pack", mini_pack_dir, "--answers", answers, "--lang", "en")
    first = Terminal(*common, "--client", "Acme", cwd=tmp_path)
    _start(first)
    first.keys("1", ENTER)  # Businesses
    first.expect("written marketing plan?")
    first.keys("\x03")
    assert first.exit_code() == 130
    term = Terminal(*common, cwd=tmp_path)
    term.expect("Resuming the session")
    term.expect("Press any key to continue")
    return term, answers


@pytest.mark.parametrize("key", ["\x03", "\x04"])  # Ctrl-C, Ctrl-D
def test_ctrl_c_or_d_at_the_welcome_screen_saves_and_says_how_to_resume(
    key: str, mini_pack_dir: Path, tmp_path: Path
) -> None:
    # The welcome screen reads its key without prompt_toolkit (still loading then).
    term, answers = _resumed_at_welcome(mini_pack_dir, tmp_path)
    term.keys(key)
    term.expect("To resume:")
    attributes = termios.tcgetattr(term.child.child_fd)
    assert attributes[3] & termios.ECHO and attributes[3] & termios.ICANON
    assert term.exit_code() == 130
    assert load_answers(answers).answers["audience"].value == "b2b"
    assert holder_of(answers) is None


def test_a_stop_signal_at_the_welcome_screen_saves_and_restores_the_terminal(
    mini_pack_dir: Path, tmp_path: Path
) -> None:
    term, answers = _resumed_at_welcome(mini_pack_dir, tmp_path)
    os.kill(term.child.pid, signal.SIGTERM)
    term.expect("signal SIGTERM")
    attributes = termios.tcgetattr(term.child.child_fd)
    assert attributes[3] & termios.ECHO and attributes[3] & termios.ICANON
    assert term.exit_code() == 128 + signal.SIGTERM
    assert load_answers(answers).answers["audience"].value == "b2b"


def test_an_arrow_key_at_the_welcome_screen_goes_on_and_leaves_nothing_behind(
    mini_pack_dir: Path, tmp_path: Path
) -> None:
    term, answers = _resumed_at_welcome(mini_pack_dir, tmp_path)
    term.keys("\x1b[B")  # three bytes: all read by the welcome screen
    term.expect("written marketing plan?")
    term.keys("y", ENTER)  # the question got none of the arrow's bytes
    term.expect("How many employees?")
    term.keys("\x03")
    assert term.exit_code() == 130
    assert load_answers(answers).answers["written_plan"].value is True
