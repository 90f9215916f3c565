"""A contact analysis stored in an answers file is checked when the file is read: a damaged
or hand-edited one is an error naming the field, never a crash in the diagnosis or report."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import yamlio
from audit.assessment import assess_file
from audit.contacts.analysis import analyse_file
from audit.errors import AnswersError, AuditError
from audit.report.formats import ReportFormat
from audit.report.writer import render_report
from audit.resources import questionnaires_dir
from audit.session.store import load_answers

EXAMPLES = questionnaires_dir() / "engagement" / "examples"


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    data: dict[str, Any] = yamlio.load(EXAMPLES / "industrial.yaml").data
    data["facts"] = {"contacts": analyse_file(EXAMPLES / "industrial-contacts.csv").to_dict()}
    return data


def _write(tmp_path: Path, data: dict[str, Any], name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yamlio.dump(data), encoding="utf-8")
    return path


def test_a_real_analysis_reads_back(base: dict[str, Any], tmp_path: Path) -> None:
    answers = load_answers(_write(tmp_path, base))
    assert answers.facts["contacts"]["generic_share"] == base["facts"]["contacts"]["generic_share"]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("rows", "many", "contacts.rows"),
        ("generic_share", 68, "contacts.generic_share"),
        ("samples", "none", "contacts.samples"),
        ("observations", [{"id": "x"}], "contacts.observations.0.tone"),
        ("audience", "b2x", "contacts.audience"),
    ],
)
def test_a_damaged_analysis_is_an_error_naming_the_field(
    base: dict[str, Any], tmp_path: Path, key: str, value: Any, expected: str
) -> None:
    data = copy.deepcopy(base)
    data["facts"]["contacts"][key] = value
    with pytest.raises(AnswersError) as caught:
        load_answers(_write(tmp_path, data))
    assert expected in str(caught.value)
    assert caught.value.location.line is not None


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.lists(st.tuples(st.integers(0, 100), VALUES, st.booleans()), min_size=1, max_size=4)
)
def test_any_damaged_analysis_reports_or_fails_with_our_error(
    base: dict[str, Any], tmp_path: Path, changes: list[tuple[int, Any, bool]]
) -> None:
    data = copy.deepcopy(base)
    contacts = data["facts"]["contacts"]
    keys = sorted(contacts)
    for index, value, remove in changes:
        key = keys[index % len(keys)]
        if remove:
            contacts.pop(key, None)
        else:
            contacts[key] = value
    path = _write(tmp_path, data, "fuzzed.yaml")
    try:
        assessment = assess_file(path)
        for fmt in (ReportFormat.HTML, ReportFormat.MARKDOWN, ReportFormat.JSON):
            assert render_report(assessment, fmt, "fr")
    except AuditError:
        pass


def test_the_view_field_list_is_the_stored_models() -> None:
    from audit.contacts.stored import StoredContactAnalysis
    from audit.contacts.view import FIELDS

    assert tuple(StoredContactAnalysis.model_fields) == FIELDS


@pytest.mark.parametrize(
    "export",
    ["craft-contacts.csv", "digital-contacts.csv", "industrial-contacts.csv", "prospects-form.csv"],
)
def test_an_analysis_just_made_is_shown_as_a_stored_one_is(export: str, tmp_path: Path) -> None:
    # `audit diagnose` shows this run's analysis without the model; the same analysis read
    # back from an answers file goes through it: a client must see the same thing.
    from audit.contacts.stored import client_view
    from audit.contacts.view import view_of

    data = analyse_file(EXAMPLES / export).to_dict()
    stored = load_answers(_write(tmp_path, {**_answers_of(), "facts": {"contacts": data}}))
    assert view_of(data) == client_view(stored.facts["contacts"])
    shown = view_of(data)
    assert shown["source"] == {
        "file": export,
        **{k: data["source"][k] for k in shown["source"] if k != "file"},
    }
    assert "samples" not in shown and str(EXAMPLES) not in repr(shown)


def _answers_of() -> dict[str, Any]:
    data: dict[str, Any] = yamlio.load(EXAMPLES / "industrial.yaml").data
    return data


def test_a_diagnosis_shows_the_same_contacts_whether_measured_now_or_stored(
    tmp_path: Path,
) -> None:
    measured = assess_file(EXAMPLES / "craft.yaml")  # names its list: analysed in this run
    data = yamlio.load(EXAMPLES / "craft.yaml").data
    data["facts"] = {"contacts": analyse_file(EXAMPLES / "craft-contacts.csv").to_dict()}
    stored = assess_file(_write(tmp_path, data))
    assert measured["contacts"] is not None
    for shown in (measured["contacts"], stored["contacts"]):
        shown["source"].pop("analysed")
    assert measured["contacts"] == stored["contacts"]
