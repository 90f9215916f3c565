"""A compiled findings catalogue as plain data for the pack cache (`audit.cache`), and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from audit.diagnosis.findings import FINDINGS_FILE, Catalogue, CompiledFinding, Finding
from audit.errors import Location
from audit.questionnaire.conditions import Condition
from audit.questionnaire.model import Pack
from audit.questionnaire.stored import restore


def catalogue_to_data(catalogue: Catalogue) -> dict[str, Any]:
    """Plain data `catalogue_from_data` rebuilds `catalogue` from."""
    return {
        "present": catalogue.path is not None,
        "declared": list(catalogue.declared),
        "findings": [
            {
                "finding": compiled.finding.model_dump(mode="json"),
                "condition": compiled.condition.to_data(),
                "line": compiled.location.line,
                "field": compiled.location.field,
            }
            for compiled in catalogue.findings
        ],
    }


def catalogue_from_data(stored: Any, pack: Pack) -> Catalogue | None:
    """The catalogue `stored` describes for `pack`; None if the entry is damaged."""
    try:
        path = Path(pack.path) / FINDINGS_FILE if stored["present"] else None
        catalogue = Catalogue(path=path, declared=[str(i) for i in stored["declared"]])
        for item in stored["findings"]:
            where = Location(file=path, line=item["line"], field=item["field"])
            finding = restore(Finding, item["finding"])
            condition = Condition.from_data(item["condition"])
            catalogue.findings.append(CompiledFinding(finding, condition, where))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a damaged entry is a cache miss
    return catalogue
