"""`audit --help` must start fast: no PDF engine, no prompt toolkit, no YAML or model stack."""

from __future__ import annotations

import subprocess
import sys

# Imported only by the commands that need them, never to print help.
HEAVY = ["weasyprint", "questionary", "prompt_toolkit", "pydantic", "ruamel", "rule_engine"]


def _imported_modules(*argv: str) -> set[str]:
    """Top-level modules a fresh interpreter imports to run `audit ARGV` (`-X importtime`)."""
    code = f"import sys; sys.argv = ['audit', *{list(argv)!r}]; from audit.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Usage" in result.stdout
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def test_help_imports_nothing_heavy() -> None:
    imported = _imported_modules("--help")
    assert "audit" in imported  # the measurement sees our own imports
    assert imported.isdisjoint(HEAVY), sorted(imported & set(HEAVY))


def test_run_help_does_not_load_the_terminal_ui_or_the_pdf_engine() -> None:
    # (typer itself imports pydantic to describe a command's options when it is installed.)
    imported = _imported_modules("run", "--help")
    assert imported.isdisjoint(["weasyprint", "questionary", "prompt_toolkit"])


def test_version_is_printed_by_both_entry_points() -> None:
    from pathlib import Path

    from audit import __version__

    script = str(Path(sys.executable).with_name("audit"))
    for argv in ([sys.executable, "-m", "audit", "--version"], [script, "--version"]):
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0
        assert result.stdout.strip() == f"audit {__version__}"
