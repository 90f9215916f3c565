"""Verdict rules (`rules.yaml`): for each solution, contraindications, prerequisites and fit.

```yaml
prerequisites:            # the catalogue, shared by all solutions (the roadmap merges them)
  - id: data_owner
    title: {fr: ..., en: ...}
    owner: {fr: ..., en: ...}     # the role that carries it
    horizon: now                  # now | 3_months | 6_months
    after: []                     # prerequisites to do before this one
solutions:
  crm:
    name: {fr: CRM, en: CRM}
    contraindications:            # any true -> not_recommended, with its reason
      - {id: crm_solo_seller, when: "...", reason: {fr: ..., en: ...}}
    prerequisites:                # met false -> not_yet (reason defaults to the title)
      - {id: data_owner, met: "...", reason: {fr: ..., en: ...}}
    fit:                          # true -> adopt (reason); false -> not_recommended (misfit)
      when: "..."
      reason: {fr: ..., en: ...}
      misfit: {fr: ..., en: ...}
```

Conditions read questions, measured facts and findings (as booleans). They are compiled
when the rules load, so a missing finding or question id is an error with file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import Field

from audit import yamlio
from audit.diagnosis.facts import fact_types
from audit.diagnosis.findings import Catalogue, compile_condition
from audit.errors import AuditError, Location, RulesError
from audit.questionnaire.conditions import Condition, DataType
from audit.questionnaire.lint import condition_types
from audit.questionnaire.loader import Problem, validate_at
from audit.questionnaire.model import Identifier, Pack, Strict, Text

RULES_FILE = "rules.yaml"


class Solution(StrEnum):
    MARKETING_AUTOMATION = "marketing_automation"
    EMAILING = "emailing"
    CRM = "crm"
    E_COMMERCE = "e_commerce"
    CHATBOT = "chatbot"
    SOCIAL_MEDIA = "social_media"


class Horizon(StrEnum):
    NOW = "now"
    THREE_MONTHS = "3_months"
    SIX_MONTHS = "6_months"


HORIZON_RANK = {Horizon.NOW: 0, Horizon.THREE_MONTHS: 1, Horizon.SIX_MONTHS: 2}

ConditionSpec = str | dict[str, Any]


class Prerequisite(Strict):
    id: Identifier
    title: Text
    owner: Text
    horizon: Horizon
    after: list[Identifier] = Field(default_factory=list)


class Contraindication(Strict):
    id: Identifier
    when: ConditionSpec
    reason: Text


class PrerequisiteUse(Strict):
    id: Identifier
    met: ConditionSpec
    reason: Text | None = None


class Fit(Strict):
    when: ConditionSpec
    reason: Text
    misfit: Text


class SolutionRules(Strict):
    name: Text
    contraindications: list[Contraindication] = Field(default_factory=list)
    prerequisites: list[PrerequisiteUse] = Field(default_factory=list)
    fit: Fit


class RulesFile(Strict):
    prerequisites: list[Prerequisite] = Field(default_factory=list)
    solutions: dict[Solution, SolutionRules]


class RuleKind(StrEnum):
    CONTRAINDICATION = "contraindication"
    PREREQUISITE = "prerequisite"
    FIT = "fit"


@dataclass(frozen=True)
class CompiledRule:
    """One condition of a solution's rules, compiled, with the text it gives."""

    kind: RuleKind
    id: str
    condition: Condition
    reason: Text | None
    location: Location
    misfit: Text | None = None


@dataclass
class CompiledSolution:
    solution: Solution
    name: Text
    contraindications: list[CompiledRule] = field(default_factory=list)
    prerequisites: list[CompiledRule] = field(default_factory=list)
    fit: CompiledRule | None = None

    def rules(self) -> list[CompiledRule]:
        fit = [self.fit] if self.fit is not None else []
        return self.contraindications + self.prerequisites + fit


@dataclass
class RuleBook:
    """A pack's rules, compiled: the prerequisite catalogue and each solution's rules."""

    prerequisites: dict[str, Prerequisite] = field(default_factory=dict)
    prerequisite_locations: dict[str, Location] = field(default_factory=dict)
    solutions: dict[Solution, CompiledSolution] = field(default_factory=dict)
    path: Path | None = None
    # Prerequisite ids the solutions cite, even where a condition failed to compile.
    cited: set[str] = field(default_factory=set)


def rule_types(pack: Pack, catalogue: Catalogue) -> dict[str, Any]:
    """The symbols rule conditions may read: questions, facts, and findings as booleans."""
    findings = {finding_id: DataType.BOOLEAN for finding_id in catalogue.declared}
    return {**condition_types(pack), **fact_types(), **findings}


def read_rules(pack: Pack, catalogue: Catalogue) -> tuple[RuleBook | None, list[Problem]]:
    """Load and compile a pack's rules.yaml, collecting every problem; None if absent."""
    path = Path(pack.path) / RULES_FILE
    if not path.is_file():
        return None, []
    try:
        doc = yamlio.load(path)
    except AuditError as exc:
        return RuleBook(path=path), [Problem(exc.location, exc.message)]
    parsed, problems = validate_at(RulesFile, doc.data, doc, [])
    if parsed is None:
        return RuleBook(path=path), problems
    book = RuleBook(path=path)
    for index, prerequisite in enumerate(parsed.prerequisites):
        where = doc.location(["prerequisites", index], field=prerequisite.id)
        if prerequisite.id in book.prerequisites:
            problems.append(Problem(where, f"duplicate prerequisite id '{prerequisite.id}'"))
            continue
        book.prerequisites[prerequisite.id] = prerequisite
        book.prerequisite_locations[prerequisite.id] = where
    types = rule_types(pack, catalogue)
    rule_ids: set[str] = set()
    for solution, rules in parsed.solutions.items():
        base: list[str | int] = ["solutions", solution.value]
        compiled = CompiledSolution(solution, rules.name)
        for index, contra in enumerate(rules.contraindications):
            where = doc.location([*base, "contraindications", index, "when"], field=contra.id)
            if contra.id in rule_ids or contra.id in book.prerequisites:
                problems.append(Problem(where, f"duplicate rule id '{contra.id}'"))
            rule_ids.add(contra.id)
            condition, errors = compile_condition(contra.when, types, pack, where, "'when'")
            problems += errors
            if condition is not None:
                compiled.contraindications.append(
                    CompiledRule(
                        RuleKind.CONTRAINDICATION, contra.id, condition, contra.reason, where
                    )
                )
        used: set[str] = set()
        for index, use in enumerate(rules.prerequisites):
            where = doc.location([*base, "prerequisites", index, "met"], field=use.id)
            if use.id not in book.prerequisites:
                known = ", ".join(book.prerequisites) or "none declared"
                problems.append(
                    Problem(where, f"unknown prerequisite '{use.id}' (prerequisites: {known})")
                )
            if use.id in used:
                problems.append(Problem(where, f"prerequisite '{use.id}' cited twice"))
            used.add(use.id)
            book.cited.add(use.id)
            condition, errors = compile_condition(use.met, types, pack, where, "'met'")
            problems += errors
            if condition is not None:
                compiled.prerequisites.append(
                    CompiledRule(RuleKind.PREREQUISITE, use.id, condition, use.reason, where)
                )
        where = doc.location([*base, "fit", "when"], field=f"{solution.value}.fit")
        condition, errors = compile_condition(rules.fit.when, types, pack, where, "'fit'")
        problems += errors
        if condition is not None:
            compiled.fit = CompiledRule(
                RuleKind.FIT, "fit", condition, rules.fit.reason, where, rules.fit.misfit
            )
        book.solutions[solution] = compiled
    return book, problems


def load_rules(pack: Pack, catalogue: Catalogue) -> RuleBook | None:
    """The pack's compiled rules (None without rules.yaml); raise RulesError on a problem.

    A rule book without a problem is kept in the pack cache (`audit.cache`).
    """
    from audit import cache
    from audit.prescription.stored_rules import book_from_data, book_to_data
    from audit.questionnaire.stored import signature

    return cache.through(
        "rules",
        Path(pack.path),
        lambda: _checked_rules(pack, catalogue),
        book_to_data,
        lambda stored: book_from_data(stored, pack),
        signature(pack),
        ",".join(catalogue.declared),
    )


def _checked_rules(pack: Pack, catalogue: Catalogue) -> RuleBook | None:
    from audit.prescription.lint import structure_problems

    book, problems = read_rules(pack, catalogue)
    if book is not None and not problems:
        problems = structure_problems(pack, book)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise RulesError(first.message + more, first.location, expected="a valid rules.yaml")
    return book
