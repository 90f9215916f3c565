"""Checks of a pack's findings.yaml and rules.yaml that a schema cannot see.

Unknown ids in conditions, a text missing in French or English, rules citing missing
findings or prerequisites, and choice ids a question does not offer are found while
loading (`read_findings`, `read_rules`); this module adds the checks across the whole
file: every solution has rules, every declared prerequisite is used and depends on
declared ones, no prerequisite depends on itself, a prerequisite's horizon is never
earlier than one it depends on, each solution has its `offer_<solution>` question, and
the solutions a solution `needs` have rules and do not need it back.
"""

from __future__ import annotations

from audit.diagnosis.findings import read_findings
from audit.errors import Location
from audit.prescription.needs import needs_problems
from audit.prescription.roadmap import ancestors
from audit.prescription.rules import HORIZON_RANK, RuleBook, Solution, read_rules
from audit.questionnaire.loader import Problem
from audit.questionnaire.model import Pack, QuestionType

OFFER_CHOICES = ("has", "offered", "considering", "none")


def structure_problems(pack: Pack, book: RuleBook) -> list[Problem]:
    """Problems across a rule book: coverage, prerequisites graph, offers questions."""
    problems: list[Problem] = []
    where_file = Location(file=book.path, line=1)
    catalogue = book.prerequisites
    for solution in Solution:
        if solution not in book.solutions:
            problems.append(Problem(where_file, f"solution '{solution.value}' has no rules"))
        offer = pack.question(f"offer_{solution.value}")
        if offer is None:
            problems.append(
                Problem(
                    where_file,
                    f"the pack has no question 'offer_{solution.value}': "
                    "the verdicts cannot put offered solutions first",
                )
            )
        elif offer.type != QuestionType.SINGLE or any(
            offer.choice(choice) is None for choice in OFFER_CHOICES
        ):
            problems.append(
                Problem(
                    Location(offer.file, offer.line, field=offer.id),
                    f"'{offer.id}' must be a single choice offering {', '.join(OFFER_CHOICES)}",
                )
            )
    problems += needs_problems(book)
    used = book.cited
    reported_cycles: set[frozenset[str]] = set()
    for pid, prerequisite in catalogue.items():
        where = book.prerequisite_locations.get(pid, where_file)
        if pid not in used:
            problems.append(Problem(where, f"prerequisite '{pid}' is required by no solution"))
        for dependency in prerequisite.after:
            if dependency not in catalogue:
                problems.append(
                    Problem(where, f"'{pid}' comes after an unknown prerequisite '{dependency}'")
                )
            elif HORIZON_RANK[prerequisite.horizon] < HORIZON_RANK[catalogue[dependency].horizon]:
                problems.append(
                    Problem(
                        where,
                        f"'{pid}' ({prerequisite.horizon.value}) comes after '{dependency}' "
                        f"({catalogue[dependency].horizon.value}): its horizon cannot be earlier",
                    )
                )
        if pid in ancestors(pid, catalogue):
            cycle = frozenset(
                other
                for other in catalogue
                if other == pid
                or (pid in ancestors(other, catalogue) and other in ancestors(pid, catalogue))
            )
            if cycle not in reported_cycles:
                reported_cycles.add(cycle)
                members = ", ".join(p for p in catalogue if p in cycle)
                problems.append(Problem(where, f"prerequisites depend on each other: {members}"))
    return problems


def lint_rules(pack: Pack) -> list[Problem]:
    """Every problem in a pack's findings.yaml and rules.yaml (none if it has neither)."""
    catalogue, problems = read_findings(pack)
    book, rule_problems = read_rules(pack, catalogue)
    problems += rule_problems
    if book is not None and book.solutions:
        problems += structure_problems(pack, book)
    return problems
