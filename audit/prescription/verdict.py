"""Verdicts: what each solution's rules say about one client, and why.

For each solution, in this order:

1. a contraindication whose condition is true gives `not_recommended`, with its reason;
2. a fit condition known to be false gives `not_recommended`, with the fit's "does not
   fit" reason. (Checked before prerequisites, a deliberate refinement of the plain
   order "prerequisites, then fit": a client must never be told "not yet, first do X"
   for a solution that will not fit once X is done; it would also put X on the roadmap
   for nothing, and doing X would then make the verdict worse.)
3. prerequisites whose `met` condition is false give `not_yet`, listing the unmet ones
   in dependency order (and the undetermined ones as questions to verify); the main
   reason is the first unmet one in the order the rules list them (by weight);
4. any contraindication, prerequisite or fit condition undetermined because an answer is
   "don't know" (or a fact was not measured) gives `to_verify`, with the questions to
   settle;
5. otherwise the fit is true: `adopt`, with the fit's reason.

Verdicts are ordered from worst to best for the client's readiness:
`not_recommended < not_yet < to_verify < adopt`. `to_verify` ranks above `not_yet`
because it means no known prerequisite is missing: settling the answers can only lead to
`not_yet`, `not_recommended` or `adopt`, whereas `not_yet` is certain work to do. With
the order above, the verdict is monotonic: making one condition better (a prerequisite
or the fit from false to unknown to true, a contraindication from true to unknown to
false) never makes the verdict worse; the property tests check it.

Every verdict names the rule that decided it and the symbols that decided each rule
(`Outcome.read`, narrowed by `support`), so the evidence chain reads rule -> findings ->
answers and facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from audit.diagnosis.evidence import support
from audit.diagnosis.findings import FindingResult
from audit.prescription.roadmap import dependency_order
from audit.prescription.rules import CompiledRule, CompiledSolution, Prerequisite, RuleKind
from audit.questionnaire.conditions import Outcome, Symbol


class Verdict(StrEnum):
    NOT_RECOMMENDED = "not_recommended"
    NOT_YET = "not_yet"
    TO_VERIFY = "to_verify"
    ADOPT = "adopt"


VERDICT_RANK = {
    Verdict.NOT_RECOMMENDED: 0,
    Verdict.NOT_YET: 1,
    Verdict.TO_VERIFY: 2,
    Verdict.ADOPT: 3,
}


@dataclass(frozen=True)
class Decision:
    """The verdict from the results of a solution's conditions, and what decided it.

    `deciding` holds indexes: of the true contraindications, of the unmet prerequisites,
    or `[0]` for the fit; empty for `to_verify`.
    """

    verdict: Verdict
    kind: RuleKind | None
    deciding: list[int]


def decide(
    contraindications: Sequence[bool | None],
    prerequisites: Sequence[bool | None],
    fit: bool | None,
) -> Decision:
    """The verdict from condition results (True, False, None for undetermined)."""
    true_contra = [i for i, r in enumerate(contraindications) if r is True]
    if true_contra:
        return Decision(Verdict.NOT_RECOMMENDED, RuleKind.CONTRAINDICATION, true_contra)
    if fit is False:
        return Decision(Verdict.NOT_RECOMMENDED, RuleKind.FIT, [0])
    unmet = [i for i, r in enumerate(prerequisites) if r is False]
    if unmet:
        return Decision(Verdict.NOT_YET, RuleKind.PREREQUISITE, unmet)
    if None in contraindications or None in prerequisites or fit is None:
        return Decision(Verdict.TO_VERIFY, None, [])
    return Decision(Verdict.ADOPT, RuleKind.FIT, [0])


@dataclass(frozen=True)
class RuleResult:
    rule: CompiledRule
    outcome: Outcome
    deciding: list[str]


@dataclass
class Judgement:
    """A solution's verdict for one client, with the rules and symbols behind it."""

    solution: CompiledSolution
    verdict: Verdict
    main: CompiledRule | None
    # The rules that decided the verdict, with the symbols that decided each.
    deciding: list[RuleResult] = field(default_factory=list)
    # Unmet prerequisites in dependency order (not_yet only).
    unmet: list[str] = field(default_factory=list)
    # Symbols whose unknown value left a condition undetermined (questions and facts,
    # findings already expanded), in no particular order; empty when not recommended,
    # since no answer can change that verdict.
    unknown: set[str] = field(default_factory=set)
    # Every prerequisite of the solution, evaluated (whatever the verdict).
    prerequisite_results: list[RuleResult] = field(default_factory=list)


def expand_unknown(names: set[str], findings: Mapping[str, FindingResult]) -> set[str]:
    """Replace unknown finding symbols by the unknown answers and facts behind them."""
    expanded: set[str] = set()
    for name in names:
        result = findings.get(name)
        expanded |= result.outcome.unknown if result is not None else {name}
    return expanded


def judge(
    solution: CompiledSolution,
    env: Mapping[str, Symbol],
    findings: Mapping[str, FindingResult],
    catalogue: Mapping[str, Prerequisite],
) -> Judgement:
    """Evaluate one solution's rules against `env` (which holds the findings' symbols)."""

    def run(rule: CompiledRule) -> RuleResult:
        outcome, deciding = support(rule.condition, env)
        return RuleResult(rule, outcome, deciding)

    contra = [run(rule) for rule in solution.contraindications]
    prereq = [run(rule) for rule in solution.prerequisites]
    fit = run(solution.fit) if solution.fit is not None else None
    decision = decide(
        [r.outcome.result for r in contra],
        [r.outcome.result for r in prereq],
        fit.outcome.result if fit is not None else None,
    )
    every = contra + prereq + ([fit] if fit is not None else [])
    # What could still change the verdict: nothing once it is not recommended.
    open_rules = [] if decision.verdict == Verdict.NOT_RECOMMENDED else every
    unknown = expand_unknown(
        set().union(*(r.outcome.unknown for r in open_rules if r.outcome.result is None)),
        findings,
    )
    judgement = Judgement(
        solution, decision.verdict, None, unknown=unknown, prerequisite_results=prereq
    )
    if decision.kind == RuleKind.CONTRAINDICATION:
        judgement.deciding = [contra[i] for i in decision.deciding]
    elif decision.kind == RuleKind.PREREQUISITE:
        # The main reason is the first unmet prerequisite as the rules list them (authors
        # list them by weight); the work is listed in the order to do it.
        judgement.deciding = [prereq[i] for i in decision.deciding]
        judgement.unmet = dependency_order([r.rule.id for r in judgement.deciding], catalogue)
    elif decision.verdict == Verdict.ADOPT and fit is not None:
        # Why it fits, that what it needs is there, and why nothing stands against it.
        judgement.deciding = [fit, *prereq, *contra]
    elif fit is not None and decision.kind == RuleKind.FIT:
        judgement.deciding = [fit]
    else:  # to_verify: what is known so far
        judgement.deciding = [r for r in every if r.outcome.result is None]
    if judgement.deciding and decision.verdict != Verdict.TO_VERIFY:
        judgement.main = judgement.deciding[0].rule
    return judgement
