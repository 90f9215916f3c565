"""The roadmap: every unmet prerequisite of every solution, once, in dependency order,
grouped by horizon (now, within 3 months, within 6 months).

A prerequisite comes after those it depends on (`after`, followed through the whole
catalogue, so an order holds even through a prerequisite this client already meets);
among those free to go next, the earlier horizon first, then the catalogue's order. The
linter guarantees a prerequisite's horizon is never earlier than one it depends on, so
grouping by horizon keeps the dependency order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from audit.prescription.rules import HORIZON_RANK, Horizon, Prerequisite


def ancestors(prerequisite_id: str, catalogue: Mapping[str, Prerequisite]) -> set[str]:
    """Every prerequisite that must come before this one (cycle-safe)."""
    seen: set[str] = set()
    stack = list(catalogue[prerequisite_id].after) if prerequisite_id in catalogue else []
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in catalogue:
            stack.extend(catalogue[current].after)
    return seen


def dependency_order(ids: Iterable[str], catalogue: Mapping[str, Prerequisite]) -> list[str]:
    """`ids` (deduplicated) so that each comes after those it depends on."""
    wanted = list(dict.fromkeys(i for i in ids if i in catalogue))
    position = {pid: index for index, pid in enumerate(catalogue)}
    before = {pid: ancestors(pid, catalogue) & set(wanted) - {pid} for pid in wanted}
    ordered: list[str] = []
    remaining = set(wanted)
    while remaining:
        ready = [pid for pid in remaining if not (before[pid] & remaining)]
        if not ready:  # a cycle (the linter reports it): keep the catalogue order
            ready = list(remaining)
        chosen = min(ready, key=lambda p: (HORIZON_RANK[catalogue[p].horizon], position[p]))
        ordered.append(chosen)
        remaining.discard(chosen)
    return ordered


def with_unmet_ancestors(
    unmet: Iterable[str], known_unmet: set[str], catalogue: Mapping[str, Prerequisite]
) -> list[str]:
    """`unmet` plus the prerequisites they depend on that are known to be unmet (for any
    solution), in dependency order: "keep a calendar" brings "write the plan" before it."""
    wanted = list(unmet)
    for pid in list(wanted):
        wanted += sorted(ancestors(pid, catalogue) & known_unmet)
    return dependency_order(wanted, catalogue)


@dataclass
class RoadmapItem:
    prerequisite: Prerequisite
    solutions: list[str] = field(default_factory=list)


@dataclass
class RoadmapStep:
    horizon: Horizon
    items: list[RoadmapItem]


def build_roadmap(
    unmet: Mapping[str, list[str]], catalogue: Mapping[str, Prerequisite]
) -> list[RoadmapStep]:
    """The roadmap from each solution's unmet prerequisites (`{solution: [ids]}`).

    Horizons with nothing to do are left out.
    """
    solutions_of: dict[str, list[str]] = {}
    for solution, ids in unmet.items():
        for pid in ids:
            solutions_of.setdefault(pid, [])
            if solution not in solutions_of[pid]:
                solutions_of[pid].append(solution)
    ordered = dependency_order(solutions_of, catalogue)
    steps: list[RoadmapStep] = []
    for horizon in Horizon:
        items = [
            RoadmapItem(catalogue[pid], solutions_of[pid])
            for pid in ordered
            if catalogue[pid].horizon == horizon
        ]
        if items:
            steps.append(RoadmapStep(horizon, items))
    return steps
