"""Verdicts: what each solution's rules say about one client, and why.

For each solution, in this order:

1. a lasting contraindication whose condition is true gives `not_recommended`;
2. a fit condition known to be false gives `not_recommended`, with the fit's "does not
   fit" reason. (Checked before prerequisites, a deliberate refinement of the plain
   order "prerequisites, then fit": a client must never be told "not yet, first do X"
   for a solution that will not fit once X is done; it would also put X on the roadmap
   for nothing, and doing X would then make the verdict worse.) A solution that `needs`
   another fits only when the other fits too;
3. a passing contraindication whose condition is true (a market in upheaval, a customer
   base out of date), or a prerequisite whose `met` condition is false, gives `not_yet`:
   the unmet prerequisites and the steps that end the passing contraindications go on the
   roadmap, in dependency order (the undetermined ones become questions to verify);
4. any condition undetermined because an answer is "don't know" (or a fact was not
   measured) gives `to_verify`, with the questions to settle;
5. otherwise the fit is true: `adopt`, with the fit's reason.

A `not_recommended` or `not_yet` verdict lists every blocking reason that holds (true
contraindications, a failed fit, unmet prerequisites), the strongest first: those resting
on a measured fact (the contact-list analysis) before those resting on declared answers,
the most severe finding first among the measured ones; then by the rules' weight (lasting
contraindication, misfit, passing contraindication, prerequisite; within a kind, the order
the rules list them). The first is the headline and the `main` rule.

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
from audit.diagnosis.facts import MEASURED, fact_types
from audit.diagnosis.findings import SEVERITY_ORDER, FindingResult, Severity
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

    `kind` is the kind of rule that set the verdict's level; `deciding` holds indexes:
    of the true contraindications (lasting for `not_recommended`, passing for
    `not_yet`), of the unmet prerequisites, or `[0]` for the fit; empty for `to_verify`.
    """

    verdict: Verdict
    kind: RuleKind | None
    deciding: list[int]


def decide(
    contraindications: Sequence[bool | None],
    prerequisites: Sequence[bool | None],
    fit: bool | None,
    passing: Sequence[bool] = (),
) -> Decision:
    """The verdict from condition results (True, False, None for undetermined).

    `passing[i]` says contraindication i passes (gives `not_yet`); by default all last.
    """

    def passes(index: int) -> bool:
        return index < len(passing) and passing[index]

    true_contra = [i for i, r in enumerate(contraindications) if r is True]
    lasting = [i for i in true_contra if not passes(i)]
    if lasting:
        return Decision(Verdict.NOT_RECOMMENDED, RuleKind.CONTRAINDICATION, lasting)
    if fit is False:
        return Decision(Verdict.NOT_RECOMMENDED, RuleKind.FIT, [0])
    if true_contra:
        return Decision(Verdict.NOT_YET, RuleKind.CONTRAINDICATION, true_contra)
    unmet = [i for i, r in enumerate(prerequisites) if r is False]
    if unmet:
        return Decision(Verdict.NOT_YET, RuleKind.PREREQUISITE, unmet)
    if None in contraindications or None in prerequisites or fit is None:
        return Decision(Verdict.TO_VERIFY, None, [])
    return Decision(Verdict.ADOPT, RuleKind.FIT, [0])


def all_of(results: Sequence[bool | None]) -> bool | None:
    """Three-valued "and": false if any is false, else unknown if any is unknown."""
    if False in results:
        return False
    return None if None in results else True


@dataclass(frozen=True)
class RuleResult:
    rule: CompiledRule
    outcome: Outcome
    deciding: list[str]
    # The measured facts (contact-list analysis) behind the result, through findings.
    measured: tuple[str, ...] = ()
    # The rank of the most severe fired finding behind the result (0 high, 1 medium,
    # 2 low); medium when it rests on answers alone.
    severity: int = 1

    @property
    def blocks(self) -> bool:
        """Whether this result stands in the way: a true contraindication, a false
        prerequisite or fit."""
        if self.rule.kind == RuleKind.CONTRAINDICATION:
            return self.outcome.result is True
        return self.outcome.result is False

    def weight(self) -> int:
        """The rules' weight among blocking reasons (lower is stronger): a lasting
        contraindication, a misfit, a passing contraindication, a prerequisite."""
        if self.rule.kind == RuleKind.CONTRAINDICATION:
            return 2 if self.rule.passing else 0
        return 1 if self.rule.kind == RuleKind.FIT else 3


@dataclass
class Judgement:
    """A solution's verdict for one client, with the rules and symbols behind it."""

    solution: CompiledSolution
    verdict: Verdict
    main: CompiledRule | None
    # The rules that decided the verdict, with the symbols that decided each; for
    # not_recommended and not_yet, every blocking result, strongest first.
    deciding: list[RuleResult] = field(default_factory=list)
    # Unmet prerequisites and steps ending passing contraindications, in dependency order
    # (not_yet only).
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


def measured_facts(
    names: Sequence[str], env: Mapping[str, Symbol], findings: Mapping[str, FindingResult]
) -> tuple[str, ...]:
    """The measured facts among `names`, findings expanded to the symbols that fired them."""
    facts = set(fact_types()) - {MEASURED}
    found: list[str] = []
    for name in names:
        result = findings.get(name)
        for symbol in result.deciding if result is not None else [name]:
            value = env.get(symbol)
            known = value is not None and value.known and value.value is not None
            if symbol in facts and known and symbol not in found:
                found.append(symbol)
    return tuple(found)


def severity_rank(names: Sequence[str], findings: Mapping[str, FindingResult]) -> int:
    """The rank of the most severe fired finding among `names` (medium if none)."""
    ranks = [
        SEVERITY_ORDER[findings[name].finding.severity]
        for name in names
        if name in findings and findings[name].fired
    ]
    return min(ranks, default=SEVERITY_ORDER[Severity.MEDIUM])


def strongest_first(blocking: list[RuleResult]) -> list[RuleResult]:
    """Blocking results ranked: those resting on a measured fact first, the most severe
    finding first among them; then by the rules' weight; then as the rules list them."""
    order = {id(r): i for i, r in enumerate(blocking)}

    def key(result: RuleResult) -> tuple[bool, int, int, int]:
        severity = result.severity if result.measured else 0
        return (not result.measured, severity, result.weight(), order[id(result)])

    return sorted(blocking, key=key)


def judge(
    solution: CompiledSolution,
    env: Mapping[str, Symbol],
    findings: Mapping[str, FindingResult],
    catalogue: Mapping[str, Prerequisite],
) -> Judgement:
    """Evaluate one solution's rules against `env` (which holds the findings' symbols)."""

    def run(rule: CompiledRule) -> RuleResult:
        outcome, deciding = support(rule.condition, env)
        measured = measured_facts(deciding, env, findings)
        return RuleResult(rule, outcome, deciding, measured, severity_rank(deciding, findings))

    contra = [run(rule) for rule in solution.contraindications]
    prereq = [run(rule) for rule in solution.prerequisites]
    fits = [run(rule) for rule in ([solution.fit] if solution.fit else []) + solution.needed_fits]
    decision = decide(
        [r.outcome.result for r in contra],
        [r.outcome.result for r in prereq],
        all_of([r.outcome.result for r in fits]) if fits else None,
        [r.rule.passing for r in contra],
    )
    every = contra + prereq + fits
    # What could still change the verdict: nothing once it is not recommended.
    open_rules = [] if decision.verdict == Verdict.NOT_RECOMMENDED else every
    unknown = expand_unknown(
        set().union(*(r.outcome.unknown for r in open_rules if r.outcome.result is None)),
        findings,
    )
    judgement = Judgement(
        solution, decision.verdict, None, unknown=unknown, prerequisite_results=prereq
    )
    if decision.verdict in (Verdict.NOT_RECOMMENDED, Verdict.NOT_YET):
        judgement.deciding = strongest_first([r for r in every if r.blocks])
        if decision.verdict == Verdict.NOT_YET:
            # The work, in the order to do it: unmet prerequisites and the steps that end
            # the passing contraindications.
            steps = [r.rule.id for r in prereq if r.blocks]
            steps += [pid for r in contra if r.blocks for pid in r.rule.ends_with]
            judgement.unmet = dependency_order(steps, catalogue)
    elif decision.verdict == Verdict.ADOPT:
        # Why it fits, that what it needs is there, and why nothing stands against it.
        judgement.deciding = [*fits, *prereq, *contra]
    else:  # to_verify: what is known so far
        judgement.deciding = [r for r in every if r.outcome.result is None]
    if judgement.deciding and decision.verdict != Verdict.TO_VERIFY:
        judgement.main = judgement.deciding[0].rule
    return judgement
