"""`audit --help` must start fast: no PDF engine, no prompt toolkit, no YAML or model stack."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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
    from audit import __version__

    script = str(Path(sys.executable).with_name("audit"))
    for argv in ([sys.executable, "-m", "audit", "--version"], [script, "--version"]):
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0
        assert result.stdout.strip() == f"audit {__version__}"


EXAMPLES = Path(__file__).parent.parent / "questionnaires" / "engagement" / "examples"


def _modules_of_a_run(*argv: str, env: dict[str, str] | None = None) -> set[str]:
    """Every module (full dotted name) that `audit ARGV` imports, the second time it runs
    (the first fills the pack cache, as any consultant's first run does)."""
    code = f"import sys; sys.argv = ['audit', *{list(argv)!r}]; from audit.cli import main; main()"
    command = [sys.executable, "-X", "importtime", "-c", code]
    env = {**os.environ, **(env or {})}
    subprocess.run(command, capture_output=True, text=True, timeout=60, check=True, env=env)
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=60, check=True, env=env
    )
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def _within(modules: set[str], prefixes: list[str]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_diagnose_loads_neither_the_terminal_ui_nor_the_report_nor_the_condition_parser(
    tmp_path: Path,
) -> None:
    answers = tmp_path / "craft.yaml"  # with its contact list, analysed on every run
    shutil.copyfile(EXAMPLES / "craft.yaml", answers)
    shutil.copyfile(EXAMPLES / "craft-contacts.csv", tmp_path / "craft-contacts.csv")
    imported = _modules_of_a_run("diagnose", str(answers), "--json")
    assert "audit.assessment" in imported
    unneeded = [
        *("weasyprint", "jinja2", "questionary", "prompt_toolkit", "rich", "ruamel"),
        # the condition parser (a cached pack), the session runner, pydantic's plugin scan
        *("rule_engine", "audit.questionnaire.compiler", "audit.prescription.lint"),
        *("audit.session.runner", "audit.ui", "audit.report.writer", "importlib.metadata"),
    ]
    assert not _within(imported, unneeded)


def test_contacts_loads_no_questionnaire_or_answers_model(tmp_path: Path) -> None:
    export = tmp_path / "two-lines.csv"
    export.write_text("email\ncontact@acme.fr\n", encoding="utf-8")
    imported = _modules_of_a_run("contacts", str(export))
    assert "audit.contacts.analysis" in imported
    unneeded = [
        *("audit.questionnaire", "audit.session", "audit.diagnosis", "audit.prescription"),
        *("audit.contacts.stored", "rule_engine", "ruamel", "importlib.metadata"),
        *("questionary", "prompt_toolkit", "jinja2", "weasyprint"),
        # its wording and vocabularies come from the content cache, and typer parses the
        # options itself: neither the YAML parser nor the model stack
        *("yaml", "audit.yamlio", "pydantic"),
    ]
    assert not _within(imported, unneeded)


def test_pydantic_plugins_turned_on_by_the_user_are_looked_for(tmp_path: Path) -> None:
    # audit turns pydantic's plugin scan off unless the variable says otherwise.
    answers = tmp_path / "craft.yaml"
    shutil.copyfile(EXAMPLES / "craft.yaml", answers)
    shutil.copyfile(EXAMPLES / "craft-contacts.csv", tmp_path / "craft-contacts.csv")
    argv = ("diagnose", str(answers), "--json")
    assert "importlib.metadata" not in _modules_of_a_run(*argv)
    turned_on = _modules_of_a_run(*argv, env={"PYDANTIC_DISABLE_PLUGINS": "0"})
    assert {"pydantic.plugin._loader", "importlib.metadata"} <= turned_on


def test_the_plugin_loader_stand_in_hands_over_when_plugins_are_turned_on() -> None:
    code = """
import os, sys
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "1"
from audit.cli import _no_plugin_loader
_no_plugin_loader()
from pydantic.plugin import _loader
assert tuple(_loader.get_plugins()) == () and "importlib.metadata" not in sys.modules
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "0"
assert tuple(_loader.get_plugins()) == ()  # none installed, but looked for
assert "importlib.metadata" in sys.modules
assert sys.modules["pydantic.plugin._loader"] is not _loader  # the real one, from now on
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_any_other_name_of_the_plugin_loader_comes_from_the_real_one() -> None:
    # A later pydantic may import more from its loader than get_plugins: the stand-in must
    # not turn that into an ImportError that would stop every command.
    code = """
import os, sys
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "1"
from audit.cli import _no_plugin_loader
_no_plugin_loader()
from pydantic.plugin._loader import _plugins  # a name only the real loader has
assert sys.modules["pydantic.plugin._loader"].__file__.endswith("_loader.py")
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_command_searches_for_cycles_less_often_and_a_server_goes_back_to_the_defaults() -> (
    None
):
    code = """
import gc, sys
from audit import launch
sys.argv = ["audit", "--version"]
try:
    launch.main()
except SystemExit:
    pass
assert gc.get_threshold() == launch.START_UP_THRESHOLDS, gc.get_threshold()
launch.default_collection()
assert gc.get_threshold() == launch.DEFAULT_THRESHOLDS
assert gc.get_freeze_count() > 0
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("audit ")


def test_the_installed_command_starts_through_the_launcher() -> None:
    script = Path(sys.executable).with_name("audit").read_text(encoding="utf-8")
    assert "from audit.launch import main" in script
