"""Readings: what a contact-list analysis means for its audience, in words.

The tests, thresholds and texts live in `data/readings.yaml`; this module checks the
tests when the file is read and fills the texts with the measured values, formatted for
each language. A reading's `when` is a mapping of tests that must all hold, one per
measure: a plain value is compared for equality (`null`: not measured), and `{at_least:
x}`, `{above: x}`, `{at_most: x}`, `{below: x}` compare with a number or a threshold by
name; a measure that was not taken (null) passes no comparison. Plain tests are enough
for these readings, and keep the contact analysis free of the expression engine the
questionnaire's conditions need.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from audit import shipped
from audit.errors import ContactsError, Location
from audit.i18n import LANGUAGES

READINGS_FILE = "audit/contacts/data/readings.yaml"

# The measures a reading may test (the keys of `ContactAnalysis.metrics()`).
METRICS = (
    "audience",
    "audience_inferred",
    "rows",
    "unique_valid",
    "generic_share",
    "webmail_share",
    "named_share",
    "disposable_share",
    "invalid_share",
    "duplicate_share",
    "consent_share",
    "stale_share",
    "median_age_months",
)
TONES = ("problem", "warning", "note", "positive")
COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "at_least": operator.ge,
    "above": operator.gt,
    "at_most": operator.le,
    "below": operator.lt,
}


@dataclass(frozen=True)
class Check:
    """One test of a reading: a measure equal to a value, or compared with a bound."""

    metric: str
    comparison: str | None  # None: equality with `value`
    value: Any

    def holds(self, metrics: Mapping[str, Any], thresholds: Mapping[str, float]) -> bool:
        measured = metrics.get(self.metric)
        if self.comparison is None:
            if isinstance(measured, bool) or isinstance(self.value, bool):
                return measured is self.value
            return bool(measured == self.value)
        if not isinstance(measured, int | float) or isinstance(measured, bool):
            return False
        bound = thresholds[self.value] if isinstance(self.value, str) else self.value
        return COMPARISONS[self.comparison](measured, bound)


@dataclass(frozen=True)
class Reading:
    """One reading of the catalogue: when it applies and what it says."""

    id: str
    tone: str
    checks: tuple[Check, ...]
    text: Mapping[str, str]

    def applies(self, metrics: Mapping[str, Any], thresholds: Mapping[str, float]) -> bool:
        return all(check.holds(metrics, thresholds) for check in self.checks)


@dataclass(frozen=True)
class ReadingCatalogue:
    """The thresholds and readings of `data/readings.yaml`."""

    thresholds: Mapping[str, float]
    readings: tuple[Reading, ...]


def _checks(when: Any, thresholds: Mapping[str, float], where: Location) -> tuple[Check, ...]:
    """The tests of one `when`; raise ContactsError naming what is wrong."""
    expected = (
        f"a mapping of measures ({', '.join(METRICS)}) to a value, or to "
        f"{{{', '.join(COMPARISONS)}: a number or a threshold}}"
    )
    if not isinstance(when, dict) or not when:
        raise ContactsError(
            "a reading's 'when' must be a mapping of tests", where, expected=expected
        )
    tests = []
    for metric, test in when.items():
        if metric not in METRICS:
            raise ContactsError(f"unknown measure '{metric}' in 'when'", where, expected=expected)
        if not isinstance(test, dict):
            if not (test is None or isinstance(test, str | bool | int | float)):
                raise ContactsError(
                    f"'{metric}' must be tested against a value", where, expected=expected
                )
            tests.append(Check(metric, None, test))
            continue
        for comparison, bound in test.items():
            if comparison not in COMPARISONS:
                raise ContactsError(
                    f"unknown comparison '{comparison}' for '{metric}'", where, expected=expected
                )
            number = isinstance(bound, int | float) and not isinstance(bound, bool)
            if not number and bound not in thresholds:
                raise ContactsError(
                    f"'{metric}' is compared with '{bound}', neither a number nor a threshold",
                    where,
                    expected=expected,
                )
            tests.append(Check(metric, comparison, bound))
    return tuple(tests)


def _where(path: Traversable, keys: list[str | int]) -> Location:
    located = shipped.location(path, keys)
    return Location(file=READINGS_FILE, line=located.line, field=located.field)


@cache
def catalogue() -> ReadingCatalogue:
    """The shipped readings, checked once. Raises ContactsError if the file is wrong."""
    path = files("audit.contacts") / "data" / "readings.yaml"
    data = shipped.data(path)
    thresholds = {str(k): float(v) for k, v in data["thresholds"].items()}
    readings = []
    for i, item in enumerate(data["readings"]):
        if item.get("tone") not in TONES or set(item.get("text", {})) != set(LANGUAGES):
            raise ContactsError(
                "a reading needs a tone and a text in every language",
                _where(path, ["readings", i]),
                expected=f"tone one of {', '.join(TONES)}; text with fr and en",
            )
        try:
            checks = _checks(item.get("when"), thresholds, Location(file=READINGS_FILE))
        except ContactsError as problem:  # the same error, with the line of the `when`
            problem.location = _where(path, ["readings", i, "when"])
            raise
        readings.append(Reading(str(item["id"]), item["tone"], checks, item["text"]))
    return ReadingCatalogue(thresholds, tuple(readings))


def threshold(name: str) -> float:
    """A named threshold of the readings file."""
    try:
        return catalogue().thresholds[name]
    except KeyError:
        raise ContactsError(
            f"threshold '{name}' is missing",
            Location(file=READINGS_FILE, field="thresholds"),
            expected=f"a number named {name} under thresholds",
        ) from None


def format_share(value: float | None, lang: str) -> str:
    """A fraction 0-1 as a percentage the way each language writes it ("62 %", "62%")."""
    if value is None:
        return "—"
    percent = value * 100
    digits = 1 if 0 < percent < 10 and round(percent) != percent else 0
    number = f"{percent:.{digits}f}".removesuffix(".0")
    return f"{number.replace('.', ',')}\u00a0%" if lang == "fr" else f"{number}%"


def format_count(value: float | None, lang: str) -> str:
    """A whole number with the thousands separator of each language."""
    if value is None:
        return "—"
    text = f"{round(value):,}"
    return text.replace(",", "\u202f") if lang == "fr" else text


def _texts(template: Mapping[str, str], metrics: Mapping[str, Any]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        values: dict[str, str] = {}
        for name, value in {**catalogue().thresholds, **metrics}.items():
            if name.endswith("_share") and (value is None or isinstance(value, float | int)):
                values[name] = format_share(value, lang)
            elif isinstance(value, float | int) and not isinstance(value, bool):
                values[name] = format_count(value, lang)
            else:
                values[name] = str(value)
        texts[lang] = template[lang].format_map(values)
    return texts


def read_metrics(metrics: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The readings that apply, in catalogue order: `{id, tone, text: {fr, en}}` each."""
    cat = catalogue()
    found = []
    for reading in cat.readings:
        if reading.applies(metrics, cat.thresholds):
            found.append(
                {"id": reading.id, "tone": reading.tone, "text": _texts(reading.text, metrics)}
            )
    return found
