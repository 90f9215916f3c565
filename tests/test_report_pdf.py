"""The PDF a consultant hands over: content, language, structure and metadata."""

from __future__ import annotations

import functools
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from audit.report.context import report_texts
from audit.report.formats import ReportFormat
from audit.report.writer import render_report
from audit.typography import typeset

FIXTURES = Path(__file__).parent / "fixtures"
WORD = re.compile(r"[A-Za-zÀ-ÿœŒ’']{5,}")


def load_fixture(lang: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"assessment_{lang}.json").read_text("utf-8"))
    return data


def flat_text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return [node] if isinstance(node, str) else []


Report = tuple[str, dict[str, Any], PdfReader]


@functools.cache
def rendered(lang: str) -> Report:
    """The fixture's report in `lang`, rendered once per test session."""
    assessment = load_fixture(lang)
    pdf = render_report(assessment, ReportFormat.PDF, lang)
    return lang, assessment, PdfReader(io.BytesIO(pdf))


@pytest.fixture(params=["fr", "en"])
def report(request: pytest.FixtureRequest) -> Report:
    return rendered(request.param)


_TEXT: dict[int, str] = {}


def text_of(reader: PdfReader) -> str:
    """The whole text of a rendered report, extracted once per module."""
    if id(reader) not in _TEXT:
        _TEXT[id(reader)] = flat_text(reader)
    return _TEXT[id(reader)]


def test_holds_the_client_the_verdicts_and_the_sections(
    report: Report,
) -> None:
    lang, assessment, reader = report
    text = text_of(reader)
    assert assessment["client"]["name"] in text
    for verdict in assessment["verdicts"].values():
        assert verdict["verdict_label"] in text
        assert verdict["headline"][:40] in text
    for title in report_texts(lang)["sections"].values():
        assert title in text
    for finding in assessment["findings"][:3]:
        assert finding["title"] in text


def test_no_template_leftovers(report: Report) -> None:
    _, _, reader = report
    text = text_of(reader)
    for leftover in ("{{", "}}", "{%", "None", "undefined"):
        assert leftover not in text
    for word in ("null", "nan", "true", "false"):
        assert word not in text.lower().split()


def test_french_report_has_no_english_fixed_words() -> None:
    """Words of the English report texts that French never uses must not leak in."""
    _, assessment, reader = rendered("fr")
    french = {w.lower() for s in strings(report_texts("fr")) for w in WORD.findall(s)}
    content = {w.lower() for s in strings(assessment) for w in WORD.findall(s)}
    english = {w.lower() for s in strings(report_texts("en")) for w in WORD.findall(s)}
    words = {w.lower() for w in WORD.findall(text_of(reader))}
    leaked = (english - french - content) & words
    assert not leaked


def test_page_count_within_bounds(report: Report) -> None:
    _, _, reader = report
    assert 8 <= len(reader.pages) <= 24


def test_metadata(report: Report) -> None:
    lang, assessment, reader = report
    meta = reader.metadata
    assert meta is not None
    assert assessment["client"]["name"] in (meta.title or "")
    assert report_texts(lang)["document"]["title"] in (meta.title or "")
    assert "Atelier Boussole" in (meta.author or "")
    assert assessment["consultant"] in (meta.author or "")
    assert meta.subject
    assert reader.trailer["/Root"]["/Lang"] == lang


def test_a4_pages(report: Report) -> None:
    _, _, reader = report
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1


def test_bookmarks_and_table_of_contents(report: Report) -> None:
    lang, assessment, reader = report
    outline = [item for item in reader.outline if not isinstance(item, list)]
    pages = {item.title: reader.get_destination_page_number(item) + 1 for item in outline}
    # French titles are typeset (a non-breaking space before `:`), in the outline as on the page.
    sections = {key: typeset(title, lang) for key, title in report_texts(lang)["sections"].items()}
    for title in sections.values():
        assert title in pages
    toc = " ".join(reader.pages[1].extract_text().split())
    for title, page in pages.items():
        flat = " ".join(title.split())  # the page text's spaces are folded the same way
        assert re.search(re.escape(flat) + r"[\s.]*" + str(page) + r"\b", toc), title
    # The executive summary holds on one page.
    assert pages[sections["maturity"]] - pages[sections["summary"]] == 1


def test_running_header_and_page_numbers(report: Report) -> None:
    lang, assessment, reader = report
    word = report_texts(lang)["document"]["page"]
    total = len(reader.pages)
    for number in (3, total):
        text = " ".join(reader.pages[number - 1].extract_text().split())
        assert assessment["client"]["name"] in text
        assert f"{word} {number}" in text and str(total) in text


def test_shipped_fonts_are_embedded(report: Report) -> None:
    _, _, reader = report
    fonts = set()
    for page in reader.pages[:4]:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Lato" in name for name in fonts)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_summary_is_one_page_with_the_essentials(lang: str) -> None:
    assessment = load_fixture(lang)
    reader = PdfReader(io.BytesIO(render_report(assessment, ReportFormat.SUMMARY, lang)))
    assert len(reader.pages) == 1
    text = flat_text(reader)
    assert assessment["client"]["name"] in text
    for verdict in assessment["verdicts"].values():
        assert verdict["name"] in text and verdict["verdict_label"] in text
    steps = [item["title"] for h in assessment["roadmap"] for item in h["items"]]
    for title in steps[:3]:
        assert title in text
    assert (reader.metadata or {}).get("/Title")


def test_summary_stays_one_page_with_long_texts() -> None:
    assessment = load_fixture("en")
    for verdict in assessment["verdicts"].values():
        verdict["headline"] = "A very long explanation that keeps going. " * 20
        verdict["name"] = verdict["name"] + " platform with a much longer commercial name"
    for horizon in assessment["roadmap"]:
        for item in horizon["items"]:
            item["title"] = "A long prerequisite title that a consultant wrote in full. " * 3
    reader = PdfReader(io.BytesIO(render_report(assessment, ReportFormat.SUMMARY, "en")))
    assert len(reader.pages) == 1


def test_without_contact_list_the_audience_section_says_so() -> None:
    assessment = load_fixture("en")
    assessment["contacts"] = None
    html = render_report(assessment, ReportFormat.HTML, "en").decode("utf-8")
    assert report_texts("en")["audience"]["none"] in html
    assert 'class="chart bars"' not in html


def test_a_very_long_note_flows_across_pages_instead_of_overflowing() -> None:
    assessment = load_fixture("fr")
    question = assessment["answers"][2]["questions"][0]
    question["answer"] = "Une réponse très détaillée du client. " * 40
    question["note"] = "Une note de consultant qui ne finit pas. " * 150 + "Findenote"
    reader = PdfReader(io.BytesIO(render_report(assessment, ReportFormat.PDF, "fr")))
    lowest: list[float] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            lowest.append(tm[5] * cm[3] + cm[5])

    found = False
    for page in reader.pages:
        page_text = page.extract_text(visitor_text=visit)
        found = found or "Findenote" in page_text
    assert found
    # Nothing is drawn below the footer line (the bottom margin is 22 mm, about 62 pt).
    assert min(lowest) > 20
