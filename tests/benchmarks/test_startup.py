"""Benchmark: what a consultant waits for before a command answers, against typer alone.

Whole processes, as a consultant starts them, each as a ratio to `python -c "import typer"`
measured in the same run (commands taken in turns, medians of RUNS):
- `audit --help` (target at most 1.6x);
- `audit diagnose --json` on the craft example (target at most 3x, and under 0.25 s);
- `audit contacts` on a two-line file (target at most 2.5x);
and, for reference, a two-command typer app running a command with an argument and two
options: the floor of every command below but --help.
- the first screen of `audit run` in a pseudo-terminal (target under 0.4 s).
The pack cache lives in a temporary folder, warmed by one unmeasured round: the figures
are those of every run after the first. Printed, not asserted: a slow or busy machine must
not fail the suite. Run with `make bench`.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from processes import (
    AUDIT,
    TYPER_ALONE,
    benchmark_env,
    interleaved_medians,
    ratio_line,
    run_seconds,
)

from audit.resources import questionnaires_dir

RUNS = 9
TYPER_APP = """
from pathlib import Path
from typing import Annotated, Optional
import typer
app = typer.Typer()
@app.command()
def contacts(
    path: Path, lang: Annotated[Optional[str], typer.Option()] = None, json: bool = False
) -> None:
    print(path, lang, json)
@app.command()
def other() -> None:
    pass
app()
"""
EXAMPLES = questionnaires_dir() / "engagement" / "examples"


@pytest.mark.benchmark
def test_start_up_against_typer_alone(tmp_path: Path) -> None:
    env = benchmark_env(tmp_path / "cache")
    contacts = tmp_path / "two-lines.csv"
    contacts.write_text("email\ncontact@acme.fr\n", encoding="utf-8")
    commands = {
        "typer": TYPER_ALONE,
        # What typer itself costs to parse an argument and options and run a command.
        "typer_running": [sys.executable, "-c", TYPER_APP, "contacts", str(contacts)],
        "help": [AUDIT, "--help"],
        "diagnose": [AUDIT, "diagnose", str(EXAMPLES / "craft.yaml"), "--json"],
        "contacts": [AUDIT, "contacts", str(contacts)],
    }
    run_seconds([sys.executable, "-c", "pass"], env)  # the interpreter in the file cache
    medians = interleaved_medians(
        {name: (lambda c=command: run_seconds(c, env)) for name, command in commands.items()},
        RUNS,
    )
    typer = medians["typer"]
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    print(f"\nstart-up, whole processes, median of {RUNS} taken in turns (load {load}):")
    print(f"  python -c 'import typer'           {typer * 1000:7.0f} ms")
    floor = ratio_line("(typer running a command)", medians["typer_running"], typer, "typer", "-")
    print(floor)
    print(ratio_line("audit --help", medians["help"], typer, "typer", "<= 1.6x"))
    print(ratio_line("audit diagnose craft --json", medians["diagnose"], typer, "typer", "<= 3x"))
    print(f"  {'':34} (target under 250 ms)")
    contacts_line = ratio_line(
        "audit contacts (2-line file)", medians["contacts"], typer, "typer", "<= 2.5x"
    )
    print(contacts_line)


def _first_screen_seconds(answers: Path, env: dict[str, str], cwd: Path) -> float:
    """Seconds from starting `audit run --answers FILE` in an 80x24 pseudo-terminal to its
    first screen (resuming a session: the welcome screen's "press any key")."""
    import pexpect

    shutil.copyfile(EXAMPLES / "craft.yaml", answers)
    start = time.perf_counter()
    child = pexpect.spawn(
        AUDIT,
        ["run", "--answers", str(answers), "--lang", "en"],
        cwd=str(cwd),
        env={**env, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"},
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=60,
    )
    try:
        child.expect_exact("Press any key")
        return time.perf_counter() - start
    finally:
        child.terminate(force=True)
        child.close()


@pytest.mark.benchmark
def test_first_screen_of_a_workshop(tmp_path: Path) -> None:
    pytest.importorskip("pexpect")
    env = benchmark_env(tmp_path / "cache")
    answers = tmp_path / "craft-answers.yaml"
    medians = interleaved_medians(
        {
            "typer": lambda: run_seconds(TYPER_ALONE, env),
            "run": lambda: _first_screen_seconds(answers, env, tmp_path),
        },
        RUNS,
    )
    seconds, typer = medians["run"], medians["typer"]
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    print(f"\n`audit run` resuming the craft example, median of {RUNS} (load {load}):")
    print(
        f"  first screen                       {seconds * 1000:7.0f} ms  (target under 400 ms;"
        f" typer alone {typer * 1000:.0f} ms, ratio {seconds / typer:.2f}x)"
    )
