"""Every report format renders the assessment into a valid file of its kind."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pypdf import PdfReader

from audit.errors import ReportError
from audit.report.context import report_texts
from audit.report.formats import ReportFormat
from audit.report.writer import default_output, render_report, write_report
from audit.resources import reports_dir
from audit.typography import typeset

FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture(lang: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"assessment_{lang}.json").read_text("utf-8"))
    return data


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _labels(assessment: dict[str, Any]) -> list[str]:
    return [v["verdict_label"] for v in assessment["verdicts"].values()]


def check_pdf(content: bytes, assessment: dict[str, Any]) -> None:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) > 3
    assert assessment["client"]["name"] in text


def check_summary(content: bytes, assessment: dict[str, Any]) -> None:
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for label in _labels(assessment):
        assert label in text


def check_html(content: bytes, assessment: dict[str, Any]) -> None:
    parser = _Collector()
    parser.feed(content.decode("utf-8"))
    text = " ".join(parser.text)
    assert {"html", "head", "body", "h1", "svg"} <= set(parser.tags)
    assert assessment["client"]["name"] in text
    for label in _labels(assessment):
        assert label in text


def check_json(content: bytes, assessment: dict[str, Any]) -> None:
    data = json.loads(content)
    schema = json.loads((reports_dir() / "assessment.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    assert data == assessment


def check_markdown(content: bytes, assessment: dict[str, Any]) -> None:
    text = content.decode("utf-8")
    assert text.startswith("# ")
    lang = assessment["language"]
    t = report_texts(lang)
    # French reports are typeset (non-breaking spaces before `:` and the like).
    for title in t["sections"].values():
        assert f"## {typeset(title, lang)}" in text
    for verdict in assessment["verdicts"].values():
        line = f"**{verdict['name']} · {verdict['verdict_label']}**"
        assert typeset(line, lang) in text
    assert "{{" not in text and "None" not in text


CHECKS: dict[ReportFormat, Callable[[bytes, dict[str, Any]], None]] = {
    ReportFormat.PDF: check_pdf,
    ReportFormat.SUMMARY: check_summary,
    ReportFormat.HTML: check_html,
    ReportFormat.JSON: check_json,
    ReportFormat.MARKDOWN: check_markdown,
}


def test_every_format_has_a_check() -> None:
    assert set(CHECKS) == set(ReportFormat)


@pytest.mark.parametrize("fmt", list(ReportFormat))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_format_renders_valid_output(fmt: ReportFormat, lang: str) -> None:
    assessment = load_fixture(lang)
    CHECKS[fmt](render_report(assessment, fmt, lang), assessment)


def test_schema_rejects_an_unknown_verdict() -> None:
    assessment = load_fixture("en")
    assessment["verdicts"]["crm"]["verdict"] = "maybe"
    schema = json.loads((reports_dir() / "assessment.schema.json").read_text("utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(assessment, schema)


def test_default_output_sits_next_to_the_answers(tmp_path: Path) -> None:
    answers = tmp_path / "acme.yaml"
    assert default_output(answers, ReportFormat.PDF) == tmp_path / "acme-report.pdf"
    assert default_output(answers, ReportFormat.SUMMARY) == tmp_path / "acme-summary.pdf"
    assert default_output(answers, ReportFormat.MARKDOWN) == tmp_path / "acme-report.md"
    suffixes = {default_output(answers, f).name for f in ReportFormat}
    assert len(suffixes) == len(ReportFormat)


def test_failed_rendering_leaves_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("previous version", encoding="utf-8")

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise ReportError("layout failed")

    monkeypatch.setattr("audit.report.writer.render_report", broken)
    with pytest.raises(ReportError):
        write_report(load_fixture("fr"), ReportFormat.MARKDOWN, "fr", target)
    assert target.read_text(encoding="utf-8") == "previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_output_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as info:
        write_report(load_fixture("fr"), ReportFormat.JSON, "fr", tmp_path / "no" / "x.json")
    assert "folder" in str(info.value)


def test_report_texts_exist_in_both_languages() -> None:
    fr, en = report_texts("fr"), report_texts("en")

    def shape(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: shape(v) for k, v in node.items()}
        if isinstance(node, list):
            return [shape(v) for v in node]
        return type(node).__name__

    assert shape(fr) == shape(en)
    assert fr["verdicts"] != en["verdicts"]


def test_open_questions_are_listed_once_per_solution() -> None:
    assessment = load_fixture("en")
    verdict = assessment["verdicts"]["social_media"]
    question = verdict["to_verify"][0]
    verdict["reasons"].append(f"To confirm: {question['text']}")
    verdict["evidence"].append(
        {"kind": "answer", "question": question["question"], "text": question["text"], "answer": ""}
    )
    html = render_report(assessment, ReportFormat.HTML, "en").decode("utf-8")
    section = html.split('id="solution-social_media"')[1].split("</section>")[0]
    assert section.count(question["text"]) == 1
    assert verdict["headline"] in section


def test_the_whole_level_scale_is_explained_when_given() -> None:
    assessment = load_fixture("en")
    html = render_report(assessment, ReportFormat.HTML, "en").decode("utf-8")
    assert "Optimised" not in html  # no dimension reached level 5
    names = ["Initial", "Emerging", "Structured", "Managed", "Optimised"]
    assessment["levels"] = [
        {"level": n, "name": name, "description": f"Meaning of {name}"}
        for n, name in enumerate(names, 1)
    ]
    schema = json.loads((reports_dir() / "assessment.schema.json").read_text("utf-8"))
    jsonschema.validate(assessment, schema)
    html = render_report(assessment, ReportFormat.HTML, "en").decode("utf-8")
    for name in names:
        assert f"Meaning of {name}" in html
