"""The readings' tests (`audit/contacts/data/readings.yaml`): checked when read, plain to apply."""

from __future__ import annotations

from typing import Any

import pytest

from audit.contacts.readings import Check, _checks, catalogue
from audit.errors import ContactsError, Location

THRESHOLDS = {"generic_high": 0.3}
WHERE = Location(file="readings.yaml", line=7)


def test_every_shipped_reading_has_tests() -> None:
    assert all(reading.checks for reading in catalogue().readings)


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("generic_share >= generic_high", "must be a mapping"),
        ({}, "must be a mapping"),
        ({"generic_shares": {"at_least": 0.3}}, "unknown measure 'generic_shares'"),
        ({"generic_share": {"more_than": 0.3}}, "unknown comparison 'more_than'"),
        ({"generic_share": {"at_least": "generic_hihg"}}, "neither a number nor a threshold"),
        ({"audience": ["b2b"]}, "must be tested against a value"),
    ],
)
def test_a_wrong_test_is_an_error_with_its_line(when: Any, message: str) -> None:
    with pytest.raises(ContactsError, match=message) as caught:
        _checks(when, THRESHOLDS, WHERE)
    assert caught.value.location.line == 7


@pytest.mark.parametrize(
    ("test", "metrics", "holds"),
    [
        (Check("generic_share", "at_least", "generic_high"), {"generic_share": 0.3}, True),
        (Check("generic_share", "at_least", "generic_high"), {"generic_share": 0.29}, False),
        (Check("generic_share", "above", 0.3), {"generic_share": 0.3}, False),
        (Check("consent_share", "below", 0.5), {"consent_share": None}, False),  # not measured
        (Check("consent_share", "at_most", 0.5), {"consent_share": 0.5}, True),
        (Check("consent_share", None, None), {"consent_share": None}, True),
        (Check("consent_share", None, None), {"consent_share": 0.0}, False),
        (Check("unique_valid", None, 0), {"unique_valid": 0}, True),
        (Check("audience_inferred", None, True), {"audience_inferred": 1}, False),
        (Check("audience", None, "b2b"), {"audience": "b2b"}, True),
    ],
)
def test_tests_hold_as_written(test: Check, metrics: dict[str, Any], holds: bool) -> None:
    assert test.holds(metrics, THRESHOLDS) is holds
