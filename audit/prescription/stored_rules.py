"""A compiled rule book as plain data for the pack cache (`audit.cache`), and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from audit.errors import Location
from audit.prescription.rules import (
    RULES_FILE,
    CompiledRule,
    CompiledSolution,
    Prerequisite,
    RuleBook,
    RuleKind,
    Solution,
)
from audit.questionnaire.conditions import Condition
from audit.questionnaire.model import Pack, Text
from audit.questionnaire.stored import restore


def _text(text: Text | None) -> dict[str, str] | None:
    return None if text is None else text.model_dump(mode="json")


def _rule(rule: CompiledRule) -> dict[str, Any]:
    # Every field of CompiledRule: a field left out here would silently vanish from a
    # cached pack (tests/test_pack_cache.py compares a cached book with a fresh one).
    return {
        "kind": rule.kind.value,
        "id": rule.id,
        "condition": rule.condition.to_data(),
        "reason": _text(rule.reason),
        "line": rule.location.line,
        "field": rule.location.field,
        "misfit": _text(rule.misfit),
        "reason_has": _text(rule.reason_has),
        "misfit_has": _text(rule.misfit_has),
        "passing": rule.passing,
        "ends_with": list(rule.ends_with),
        "inherited": None if rule.inherited is None else rule.inherited.value,
        "spec": rule.spec,
    }


def book_to_data(book: RuleBook | None) -> dict[str, Any] | None:
    """Plain data `book_from_data` rebuilds `book` from (None: the pack has no rules)."""
    if book is None:
        return None
    return {
        "prerequisites": {
            pid: prerequisite.model_dump(mode="json")
            for pid, prerequisite in book.prerequisites.items()
        },
        "lines": {
            pid: [where.line, where.field] for pid, where in book.prerequisite_locations.items()
        },
        "cited": sorted(book.cited),
        "locations": {
            solution.value: [where.line, where.field] for solution, where in book.locations.items()
        },
        "solutions": {
            solution.value: {
                "name": _text(compiled.name),
                "contraindications": [_rule(r) for r in compiled.contraindications],
                "prerequisites": [_rule(r) for r in compiled.prerequisites],
                "fit": None if compiled.fit is None else _rule(compiled.fit),
                "needs": [needed.value for needed in compiled.needs],
                "needed_fits": [_rule(r) for r in compiled.needed_fits],
            }
            for solution, compiled in book.solutions.items()
        },
    }


def _maybe_text(data: Any) -> Text | None:
    return None if data is None else restore(Text, data)


def book_from_data(stored: Any, pack: Pack) -> RuleBook | None:
    """The rule book `stored` describes for `pack` (its rules.yaml); None if damaged."""
    path = Path(pack.path) / RULES_FILE

    def rule(item: Any) -> CompiledRule:
        return CompiledRule(
            RuleKind(item["kind"]),
            str(item["id"]),
            Condition.from_data(item["condition"]),
            _maybe_text(item["reason"]),
            Location(file=path, line=item["line"], field=item["field"]),
            _maybe_text(item["misfit"]),
            reason_has=_maybe_text(item["reason_has"]),
            misfit_has=_maybe_text(item["misfit_has"]),
            passing=bool(item["passing"]),
            ends_with=tuple(str(pid) for pid in item["ends_with"]),
            inherited=None if item["inherited"] is None else Solution(item["inherited"]),
            spec=item["spec"],
        )

    try:
        book = RuleBook(path=path, cited={str(pid) for pid in stored["cited"]})
        for pid, data in stored["prerequisites"].items():
            book.prerequisites[pid] = restore(Prerequisite, data)
            line, field = stored["lines"][pid]
            book.prerequisite_locations[pid] = Location(file=path, line=line, field=field)
        for name, data in stored["solutions"].items():
            solution = Solution(name)
            compiled = CompiledSolution(solution, restore(Text, data["name"]))
            compiled.contraindications = [rule(r) for r in data["contraindications"]]
            compiled.prerequisites = [rule(r) for r in data["prerequisites"]]
            compiled.fit = None if data["fit"] is None else rule(data["fit"])
            compiled.needs = [Solution(needed) for needed in data["needs"]]
            compiled.needed_fits = [rule(r) for r in data["needed_fits"]]
            book.solutions[solution] = compiled
        for name, (line, field) in stored["locations"].items():
            book.locations[Solution(name)] = Location(file=path, line=line, field=field)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a damaged entry is a cache miss
    return book
