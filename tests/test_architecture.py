"""The flow reads one way: nothing upstream imports anything downstream.

questionnaire -> session -> (contacts) -> diagnosis -> prescription -> assessment -> report,
with the terminal (rich, questionary) confined to `audit/ui/` and WeasyPrint to the report.
Imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

AUDIT = Path(__file__).resolve().parent.parent / "audit"

DOWNSTREAM = [
    "session",
    "contacts",
    "diagnosis",
    "prescription",
    "assessment",
    "report",
    "ui",
    "cli",
]
FORBIDDEN: dict[str, set[str]] = {
    "questionnaire": set(DOWNSTREAM),
    "session": {"diagnosis", "prescription", "assessment", "report", "ui", "cli"},
    "contacts": {"session", "diagnosis", "prescription", "assessment", "report", "ui", "cli"},
    "diagnosis": {"prescription", "assessment", "report", "ui", "cli"},
    "prescription": {"assessment", "report", "ui", "cli"},
    "assessment": {"report", "ui", "cli"},
    "report": {"ui", "cli"},
    "ui": {"cli"},
    "compare": {"report", "ui", "cli", "batch"},
    "batch": {"ui", "cli"},
    "portfolio": {"report", "ui", "cli", "batch"},
}
TERMINAL = {"rich", "questionary", "prompt_toolkit"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _layer(path: Path) -> str:
    relative = path.relative_to(AUDIT)
    return relative.parts[0].removesuffix(".py")


MODULES = sorted(AUDIT.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(AUDIT)))
def test_no_module_imports_a_later_step(path: Path) -> None:
    forbidden = FORBIDDEN.get(_layer(path), set())
    wrong = sorted(
        name
        for name in _imports(path)
        if name.startswith("audit.") and name.split(".")[1] in forbidden
    )
    assert wrong == [], f"{path.name} imports a later step: {wrong}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(AUDIT)))
def test_terminal_and_pdf_libraries_stay_in_their_layer(path: Path) -> None:
    layer = _layer(path)
    roots = {name.split(".")[0] for name in _imports(path)}
    if layer != "ui":
        assert not roots & TERMINAL, f"{path.name} talks to the terminal outside audit/ui"
    if layer != "report":
        assert "weasyprint" not in roots, f"{path.name} imports WeasyPrint outside the report"


# The web layer is a peer of ui/ on top of the engine; the store sits beside the engine for
# the web (and batch/portfolio). Nothing below imports either; neither imports the terminal.
ENGINE = {"questionnaire", "session", "contacts", "diagnosis", "prescription", "assessment"}
PEER_RULES: dict[str, set[str]] = {
    **{layer: {"web", "store"} for layer in ENGINE | {"report"}},
    "ui": {"web"},
    "store": {"web", "ui", "cli", "report"},
    "web": {"ui", "cli"},
}

CONDITION_MACHINERY = {
    "rule_engine",
    "audit.questionnaire.conditions",
    "audit.questionnaire.compiler",
    "audit.questionnaire.evaluation",
    "audit.questionnaire.types",
}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(AUDIT)))
def test_the_web_and_its_store_stay_on_top(path: Path) -> None:
    forbidden = PEER_RULES.get(_layer(path), set())
    wrong = sorted(
        name
        for name in _imports(path)
        if name.startswith("audit.") and name.split(".")[1] in forbidden
    )
    assert wrong == [], f"{path.name} imports {wrong}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(AUDIT)))
def test_rule_engine_is_only_in_the_compiler_and_never_in_contacts(path: Path) -> None:
    # Importing rule-engine costs a third of a second: only compiling a condition pays it.
    roots = {name.split(".")[0] for name in _imports(path)}
    if path.relative_to(AUDIT) != Path("questionnaire/compiler.py"):
        assert "rule_engine" not in roots, f"{path.name} imports rule-engine"
    if _layer(path) == "contacts":
        used = {n for n in _imports(path) if any(n.startswith(m) for m in CONDITION_MACHINERY)}
        assert not used, f"{path.name} imports the condition machinery: {sorted(used)}"
