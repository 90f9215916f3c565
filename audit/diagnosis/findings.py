"""The findings catalogue (`findings.yaml`): named statements about a client, with evidence.

A finding has an id, a severity, a title and an explanation in French and English, and a
condition (`when`) over answers and measured facts. It fires when its condition is true;
when the condition is undetermined (it needs an answer that is "don't know" or a fact not
measured) it does not fire and its unknown questions join the list to verify.

Conditions are compiled against the pack's question types and the fact types when the
catalogue loads, so a misspelt id or a wrong choice id fails `audit validate`. Finding ids
must not collide with question or fact ids: rules read findings as boolean symbols.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import Field

from audit import yamlio
from audit.diagnosis.evidence import support
from audit.diagnosis.facts import fact_types
from audit.errors import AuditError, Location, RulesError
from audit.questionnaire.conditions import UNKNOWN, Condition, ConditionError, Outcome, Symbol
from audit.questionnaire.lint import check_literals, condition_types
from audit.questionnaire.loader import Problem, validate_at
from audit.questionnaire.model import Identifier, Pack, Strict, Text

FINDINGS_FILE = "findings.yaml"


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


class Finding(Strict):
    id: Identifier
    severity: Severity
    title: Text
    explanation: Text
    when: str | dict[str, Any]


class FindingsFile(Strict):
    findings: list[Finding] = Field(min_length=1)


@dataclass(frozen=True)
class CompiledFinding:
    finding: Finding
    condition: Condition
    location: Location


@dataclass
class Catalogue:
    """The findings of a pack, compiled; empty when the pack has no findings.yaml."""

    findings: list[CompiledFinding] = field(default_factory=list)
    path: Path | None = None
    # Every finding id the file declares, even those whose condition did not compile, so
    # rules citing them are not reported a second time.
    declared: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [f.finding.id for f in self.findings]

    def get(self, finding_id: str) -> CompiledFinding | None:
        return next((f for f in self.findings if f.finding.id == finding_id), None)


def compile_condition(
    spec: Any, types: Mapping[str, Any], pack: Pack, location: Location, what: str
) -> tuple[Condition | None, list[Problem]]:
    """Compile a condition tree; problems name `what` (e.g. "'when'") and its location."""
    try:
        condition = Condition(spec, types)
    except ConditionError as exc:
        return None, [Problem(location, f"{what}: {exc}")]
    problems = [
        Problem(location, f"{what}: {message}")
        for expression in condition.expressions()
        for message in check_literals(expression, pack)
    ]
    return condition, problems


def read_findings(pack: Pack) -> tuple[Catalogue, list[Problem]]:
    """Load and check a pack's findings.yaml, collecting every problem (file:line)."""
    path = Path(pack.path) / FINDINGS_FILE
    if not path.is_file():
        return Catalogue(), []
    try:
        doc = yamlio.load(path)
    except AuditError as exc:
        return Catalogue(path=path), [Problem(exc.location, exc.message)]
    parsed, problems = validate_at(FindingsFile, doc.data, doc, [])
    if parsed is None:
        return Catalogue(path=path), problems
    questions = condition_types(pack)
    facts = fact_types()
    types = {**questions, **facts}
    catalogue = Catalogue(path=path)
    seen: set[str] = set()
    for index, finding in enumerate(parsed.findings):
        where = doc.location(["findings", index, "when"], field=finding.id)
        if finding.id in seen:
            problems.append(Problem(where, f"duplicate finding id '{finding.id}'"))
        elif finding.id in questions or finding.id in facts:
            kind = "question" if finding.id in questions else "fact"
            problems.append(
                Problem(where, f"finding id '{finding.id}' is also a {kind} id: rename it")
            )
        seen.add(finding.id)
        catalogue.declared.append(finding.id)
        condition, errors = compile_condition(finding.when, types, pack, where, "'when'")
        problems += errors
        if condition is not None:
            catalogue.findings.append(CompiledFinding(finding, condition, where))
    return catalogue, problems


def load_findings(pack: Pack) -> Catalogue:
    """The pack's findings catalogue; raise RulesError at the first problem.

    A catalogue without a problem is kept in the pack cache (`audit.cache`).
    """
    from audit import cache
    from audit.diagnosis.stored_findings import catalogue_from_data, catalogue_to_data
    from audit.questionnaire.stored import signature

    return cache.through(
        "findings",
        Path(pack.path),
        lambda: _checked_findings(pack),
        catalogue_to_data,
        lambda stored: catalogue_from_data(stored, pack),
        signature(pack),
    )


def _checked_findings(pack: Pack) -> Catalogue:
    catalogue, problems = read_findings(pack)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise RulesError(first.message + more, first.location, expected="a valid findings.yaml")
    return catalogue


@dataclass(frozen=True)
class FindingResult:
    """One finding evaluated for one client."""

    compiled: CompiledFinding
    outcome: Outcome
    deciding: list[str]

    @property
    def finding(self) -> Finding:
        return self.compiled.finding

    @property
    def fired(self) -> bool:
        return self.outcome.result is True

    @property
    def symbol(self) -> Symbol:
        """The finding as rules read it: true, false or unknown."""
        if self.outcome.result is None:
            return UNKNOWN
        return Symbol(self.outcome.result)


def evaluate_findings(catalogue: Catalogue, env: Mapping[str, Symbol]) -> list[FindingResult]:
    """Every finding of the catalogue evaluated against `env`, in catalogue order."""
    results = []
    for compiled in catalogue.findings:
        outcome, deciding = support(compiled.condition, env)
        results.append(FindingResult(compiled, outcome, deciding))
    return results


def fired_in_order(results: list[FindingResult]) -> list[FindingResult]:
    """The fired findings, most severe first (catalogue order within a severity)."""
    fired = [r for r in results if r.fired]
    return sorted(fired, key=lambda r: SEVERITY_ORDER[r.finding.severity])
