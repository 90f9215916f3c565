"""French typography: a `?` or `:` never starts a line on its own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.typography import NBSP, NNBSP, french, typeset


@pytest.mark.parametrize(
    ("plain", "typeset_fr"),
    [
        ("Qui sont vos clients ?", f"Qui sont vos clients{NNBSP}?"),
        ("Qui sont vos clients?", f"Qui sont vos clients{NNBSP}?"),
        ("Note : à voir", f"Note{NBSP}: à voir"),
        ("Attention !", f"Attention{NNBSP}!"),
        ("un ; deux", f"un{NNBSP}; deux"),
        ("« rapide »", f"«{NBSP}rapide{NBSP}»"),
        ("«rapide»", f"«{NBSP}rapide{NBSP}»"),
        ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
        ("(Entrée pour passer) :", f"(Entrée pour passer){NBSP}:"),
    ],
)
def test_french_punctuation_gets_a_non_breaking_space(plain: str, typeset_fr: str) -> None:
    assert french(plain) == typeset_fr


@pytest.mark.parametrize(
    "text",
    [
        "https://example.fr/page?a=b",
        "10:30",
        r"C:\clients\liste.csv",
        "? aide · < retour",
        "ratio 3:2",
        "",
    ],
)
def test_what_is_not_end_of_word_punctuation_is_left_alone(text: str) -> None:
    assert french(text) == text


def test_english_is_left_alone() -> None:
    assert typeset("Who are your customers ?", "en") == "Who are your customers ?"
    assert typeset("Who are your customers ?", "fr") == f"Who are your customers{NNBSP}?"


@given(st.text(alphabet=st.sampled_from(list("ab :;!?«» \u00a0\u202f.,/"))))
def test_typesetting_is_idempotent_and_only_changes_spaces(text: str) -> None:
    once = french(text)
    assert french(once) == once
    assert [c for c in once if c not in " \u00a0\u202f"] == [
        c for c in text if c not in " \u00a0\u202f"
    ]


def _report_text(fmt: str, lang: str) -> str:
    import io
    import json
    from pathlib import Path

    from pypdf import PdfReader

    from audit.report.formats import ReportFormat
    from audit.report.writer import render_report

    fixture = Path(__file__).parent / "fixtures" / f"assessment_{lang}.json"
    assessment = json.loads(fixture.read_text("utf-8"))
    content = render_report(assessment, ReportFormat(fmt), lang)
    if fmt == "pdf":
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8")


def test_french_html_report_never_has_a_breakable_space_before_a_question_mark() -> None:
    html = _report_text("html", "fr")
    assert f"{NNBSP}?" in html
    assert " ?" not in html
    assert f"{NBSP}:" in html
    english = _report_text("html", "en")
    assert NNBSP + "?" not in english


def test_french_pdf_keeps_the_non_breaking_spaces() -> None:
    text = _report_text("pdf", "fr")
    assert " ?" not in text
    assert "?" in text
