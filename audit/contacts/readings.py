"""Readings: what a contact-list analysis means for its audience, in words.

The conditions, thresholds and texts live in `data/readings.yaml`; this module compiles
the conditions (with the same safe expression language as the questionnaire) and fills
the texts with the measured values, formatted for each language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from audit import yamlio
from audit.errors import ContactsError, Location
from audit.i18n import LANGUAGES
from audit.questionnaire.conditions import Condition, ConditionError, DataType, Symbol

READINGS_FILE = "audit/contacts/data/readings.yaml"

# The values conditions and texts may use, with their types.
METRIC_TYPES: dict[str, Any] = {
    "audience": DataType.STRING,
    "audience_inferred": DataType.BOOLEAN,
    "rows": DataType.FLOAT,
    "unique_valid": DataType.FLOAT,
    "generic_share": DataType.FLOAT,
    "webmail_share": DataType.FLOAT,
    "named_share": DataType.FLOAT,
    "disposable_share": DataType.FLOAT,
    "invalid_share": DataType.FLOAT,
    "duplicate_share": DataType.FLOAT,
    "consent_share": DataType.FLOAT,
    "stale_share": DataType.FLOAT,
    "median_age_months": DataType.FLOAT,
}
TONES = ("problem", "warning", "note", "positive")


@dataclass(frozen=True)
class Reading:
    """One reading of the catalogue: when it applies and what it says."""

    id: str
    tone: str
    condition: Condition
    text: Mapping[str, str]


@dataclass(frozen=True)
class ReadingCatalogue:
    """The thresholds and readings of `data/readings.yaml`."""

    thresholds: Mapping[str, float]
    readings: tuple[Reading, ...]


@cache
def catalogue() -> ReadingCatalogue:
    """The shipped readings, compiled once. Raises ContactsError if the file is wrong."""
    text = (files("audit.contacts") / "data" / "readings.yaml").read_text(encoding="utf-8")
    document = yamlio.parse(text, READINGS_FILE)
    data = document.data
    thresholds = {str(k): float(v) for k, v in data["thresholds"].items()}
    types = {**METRIC_TYPES, **dict.fromkeys(thresholds, DataType.FLOAT)}
    readings = []
    for i, item in enumerate(data["readings"]):
        where = document.location(["readings", i])
        if item.get("tone") not in TONES or set(item.get("text", {})) != set(LANGUAGES):
            raise ContactsError(
                "a reading needs a tone and a text in every language",
                where,
                expected=f"tone one of {', '.join(TONES)}; text with fr and en",
            )
        try:
            condition = Condition(item["when"], types)
        except ConditionError as exc:
            raise ContactsError(str(exc), where, expected="a valid condition") from None
        readings.append(Reading(str(item["id"]), item["tone"], condition, item["text"]))
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
    env = {name: Symbol(value) for name, value in {**cat.thresholds, **metrics}.items()}
    found = []
    for reading in cat.readings:
        if reading.condition.evaluate(env).result:
            found.append(
                {"id": reading.id, "tone": reading.tone, "text": _texts(reading.text, metrics)}
            )
    return found
