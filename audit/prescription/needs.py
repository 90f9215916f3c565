"""Solutions that need what another needs (`needs:` in rules.yaml).

Marketing automation sends e-mails: it needs recipients, consent and something to say,
everything e-mailing needs, plus its own. Declaring it once lets the engine give the
needing solution the needed one's rules (`rules.inherit_needs`), so it can never be judged
better; this module orders the inheritance and says what is wrong with a declaration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from audit.errors import Location
from audit.questionnaire.loader import Problem

if TYPE_CHECKING:
    from audit.prescription.rules import RuleBook, Solution


def _reach(book: RuleBook, solution: Solution) -> set[Solution]:
    """Every solution `solution` needs, directly or through another (cycle-safe)."""
    seen: set[Solution] = set()
    stack = list(book.solutions[solution].needs) if solution in book.solutions else []
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in book.solutions:
            stack.extend(book.solutions[current].needs)
    return seen


def _sound(book: RuleBook, solution: Solution) -> bool:
    reach = _reach(book, solution)
    return solution not in reach and all(s in book.solutions for s in reach)


def inheritance_order(book: RuleBook) -> list[Solution]:
    """Solutions with sound needs, each after every solution it needs."""
    ordered: list[Solution] = []
    remaining = [s for s, rules in book.solutions.items() if rules.needs and _sound(book, s)]
    while remaining:
        ready = [s for s in remaining if not (_reach(book, s) & set(remaining))]
        ordered += ready
        remaining = [s for s in remaining if s not in ready]
    return ordered


def needs_problems(book: RuleBook) -> list[Problem]:
    """A need of a solution without rules, of itself, or circular; each with its line."""
    problems: list[Problem] = []
    for solution, rules in book.solutions.items():
        where = book.locations.get(solution, Location(file=book.path, line=1))
        for needed in rules.needs:
            if needed == solution:
                problems.append(Problem(where, f"'{solution.value}' cannot need itself"))
            elif needed not in book.solutions:
                problems.append(
                    Problem(where, f"'{solution.value}' needs '{needed.value}', which has no rules")
                )
        if solution in _reach(book, solution) and solution not in rules.needs:
            problems.append(
                Problem(where, f"'{solution.value}' needs itself through another solution")
            )
    return problems
