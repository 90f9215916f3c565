"""Verdict rules (`rules.yaml`): for each solution, contraindications, prerequisites and fit.

```yaml
prerequisites:            # the catalogue, shared by all solutions (the roadmap merges them)
  - id: data_owner
    title: {fr: ..., en: ...}     # the step, as the roadmap says it ("Name one person...")
    unmet: {fr: ..., en: ...}     # what is true of a client who lacks it: a finding
    owner: {fr: ..., en: ...}     # the role that carries it
    horizon: now                  # now | 3_months | 6_months
    after: []                     # prerequisites to do before this one
solutions:
  marketing_automation:
    needs: [emailing]             # everything e-mailing needs, this solution needs too
    ...
  crm:
    name: {fr: CRM, en: CRM}
    contraindications:
      - id: crm_solo_seller
        when: "..."
        duration: lasting         # lasting -> not_recommended
        reason: {fr: ..., en: ...}
        reason_has: {fr: ..., en: ...}   # optional: said to a client who already has it
      - id: crm_reorganisation
        when: "..."
        duration: passing         # passing -> not_yet; the steps that end it go on the roadmap
        ends_with: [data_owner]
        reason: {fr: ..., en: ...}
    prerequisites:                # met false -> not_yet (reason defaults to the `unmet` text)
      - {id: data_owner, met: "...", reason: {fr: ..., en: ...}, reason_has: {...}}
    fit:                          # true -> adopt (reason); false -> not_recommended (misfit)
      when: "..."
      reason: {fr: ..., en: ...}
      misfit: {fr: ..., en: ...}
      reason_has: ...             # optional variants for a client who already has it
      misfit_has: ...
```

Conditions read questions, measured facts and findings (as booleans). They are compiled
when the rules load, so a missing finding or question id is an error with file and line.

`needs` makes a solution inherit another's rules, so it can never be judged better: the
needed solution's contraindications join its own, a prerequisite both cite is met only
when both conditions hold, one only the needed solution cites is added (with that
solution's reason), and the fit holds only when both fits hold (the needed solution's
misfit is said when only its fit fails). Reasons state what is true of the client (a
finding), never a step to take: the step is the prerequisite's title.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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


class Duration(StrEnum):
    LASTING = "lasting"
    PASSING = "passing"


class Prerequisite(Strict):
    id: Identifier
    title: Text
    unmet: Text
    owner: Text
    horizon: Horizon
    after: list[Identifier] = Field(default_factory=list)


class Contraindication(Strict):
    id: Identifier
    when: ConditionSpec
    duration: Duration
    ends_with: list[Identifier] = Field(default_factory=list)
    reason: Text
    reason_has: Text | None = None


class PrerequisiteUse(Strict):
    id: Identifier
    met: ConditionSpec
    reason: Text | None = None
    reason_has: Text | None = None


class Fit(Strict):
    when: ConditionSpec
    reason: Text
    misfit: Text
    reason_has: Text | None = None
    misfit_has: Text | None = None


class SolutionRules(Strict):
    name: Text
    needs: list[Solution] = Field(default_factory=list)
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
    """One condition of a solution's rules, compiled, with the text it gives.

    `reason_has` and `misfit_has` are said instead to a client who already has the
    solution; `inherited` names the needed solution a rule comes from (see `needs`).
    """

    kind: RuleKind
    id: str
    condition: Condition
    reason: Text | None
    location: Location
    misfit: Text | None = None
    reason_has: Text | None = None
    misfit_has: Text | None = None
    passing: bool = False
    ends_with: tuple[str, ...] = ()
    inherited: Solution | None = None
    spec: Any = None

    def text(self, has: bool, misfit: bool = False) -> Text | None:
        """What the rule says: its reason (or misfit), in the variant for a client who
        already has the solution when there is one."""
        if misfit:
            return (self.misfit_has if has else None) or self.misfit
        return (self.reason_has if has else None) or self.reason


@dataclass
class CompiledSolution:
    solution: Solution
    name: Text
    contraindications: list[CompiledRule] = field(default_factory=list)
    prerequisites: list[CompiledRule] = field(default_factory=list)
    fit: CompiledRule | None = None
    needs: list[Solution] = field(default_factory=list)
    # The needed solutions' fits, each true for this solution to fit (see `needs`).
    needed_fits: list[CompiledRule] = field(default_factory=list)

    def rules(self) -> list[CompiledRule]:
        fit = [self.fit] if self.fit is not None else []
        return self.contraindications + self.prerequisites + fit + self.needed_fits


@dataclass
class RuleBook:
    """A pack's rules, compiled: the prerequisite catalogue and each solution's rules."""

    prerequisites: dict[str, Prerequisite] = field(default_factory=dict)
    prerequisite_locations: dict[str, Location] = field(default_factory=dict)
    solutions: dict[Solution, CompiledSolution] = field(default_factory=dict)
    path: Path | None = None
    # Prerequisite ids the solutions cite, even where a condition failed to compile.
    cited: set[str] = field(default_factory=set)
    # Where each solution declares `needs`, for the linter.
    locations: dict[Solution, Location] = field(default_factory=dict)


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
            problems += _duration_problems(contra, book, where)
            book.cited.update(contra.ends_with)
            if condition is not None:
                compiled.contraindications.append(
                    CompiledRule(
                        RuleKind.CONTRAINDICATION,
                        contra.id,
                        condition,
                        contra.reason,
                        where,
                        reason_has=contra.reason_has,
                        passing=contra.duration == Duration.PASSING,
                        ends_with=tuple(contra.ends_with),
                        spec=contra.when,
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
                    CompiledRule(
                        RuleKind.PREREQUISITE,
                        use.id,
                        condition,
                        use.reason,
                        where,
                        reason_has=use.reason_has,
                        spec=use.met,
                    )
                )
        where = doc.location([*base, "fit", "when"], field=f"{solution.value}.fit")
        condition, errors = compile_condition(rules.fit.when, types, pack, where, "'fit'")
        problems += errors
        if condition is not None:
            compiled.fit = CompiledRule(
                RuleKind.FIT,
                "fit",
                condition,
                rules.fit.reason,
                where,
                rules.fit.misfit,
                reason_has=rules.fit.reason_has,
                misfit_has=rules.fit.misfit_has,
                spec=rules.fit.when,
            )
        compiled.needs = list(rules.needs)
        book.solutions[solution] = compiled
    book.locations = {
        solution: doc.location(["solutions", solution.value, "needs"], field="needs")
        for solution, rules in parsed.solutions.items()
        if rules.needs
    }
    if not problems:
        problems += inherit_needs(book, types, pack)
    return book, problems


def _duration_problems(contra: Contraindication, book: RuleBook, where: Location) -> list[Problem]:
    """A passing contraindication names the steps that end it; a lasting one has none."""
    if contra.duration == Duration.LASTING and contra.ends_with:
        return [Problem(where, f"'{contra.id}' lasts: nothing ends it, remove 'ends_with'")]
    if contra.duration == Duration.PASSING and not contra.ends_with:
        return [
            Problem(
                where,
                f"'{contra.id}' passes: list in 'ends_with' the prerequisites that end it",
            )
        ]
    known = ", ".join(book.prerequisites) or "none declared"
    return [
        Problem(where, f"'{contra.id}' ends with an unknown prerequisite '{pid}' ({known})")
        for pid in contra.ends_with
        if pid not in book.prerequisites
    ]


def inherit_needs(book: RuleBook, types: dict[str, Any], pack: Pack) -> list[Problem]:
    """Give each solution the rules of the solutions it needs (see the module docstring).

    Needed solutions are resolved first, so needs chain; an unknown, self or circular need
    is left to the linter (`needs_problems`) and inherits nothing.
    """
    from audit.prescription.needs import inheritance_order

    problems: list[Problem] = []
    for solution in inheritance_order(book):
        target = book.solutions[solution]
        for needed_id in target.needs:
            needed = book.solutions[needed_id]
            own = {r.id: i for i, r in enumerate(target.prerequisites)}
            for rule in needed.prerequisites:
                if rule.id not in own:
                    inherited = replace(rule, inherited=rule.inherited or needed_id)
                    target.prerequisites.append(inherited)
                    continue
                mine = target.prerequisites[own[rule.id]]
                spec = {"all": [mine.spec, rule.spec]}
                condition, errors = compile_condition(spec, types, pack, mine.location, "'met'")
                problems += errors
                if condition is not None:
                    target.prerequisites[own[rule.id]] = replace(
                        mine, condition=condition, spec=spec
                    )
            have = {r.id for r in target.contraindications}
            target.contraindications += [
                replace(rule, inherited=rule.inherited or needed_id)
                for rule in needed.contraindications
                if rule.id not in have
            ]
            fits = [needed.fit] if needed.fit is not None else []
            fitted = {r.inherited for r in target.needed_fits}
            target.needed_fits += [
                replace(rule, inherited=rule.inherited or needed_id)
                for rule in fits + needed.needed_fits
                if (rule.inherited or needed_id) not in fitted
            ]
    return problems


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
