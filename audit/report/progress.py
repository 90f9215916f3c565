"""The progress report: a comparison (`audit.compare`) laid out for a client.

`progress_view` turns the comparison object into what the templates show (dates, score
texts, bars, trends); `render_progress` writes the short progress report (PDF, HTML or
Markdown) with the report's theme; `audit report --since` puts the same view in the full
report as a chapter (`reports/templates/parts/progress.html.j2`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from audit.errors import UsageError
from audit.report.context import (
    build_context,
    format_date,
    format_number,
    localised_texts,
    report_texts,
)
from audit.report.formats import ReportFormat
from audit.report.theme import Theme

FORMATS = (ReportFormat.PDF, ReportFormat.HTML, ReportFormat.MARKDOWN)


def _score_text(side: dict[str, Any], tc: dict[str, Any], lang: str) -> str:
    if side.get("score") is None:
        return str(tc["not_assessed"])
    return f"{format_number(side['score'], lang)} · {tc['level']} {side['level']}"


def _answer_text(side: dict[str, Any] | None, t: dict[str, Any], tc: dict[str, Any]) -> str:
    if side is None or side.get("status") == "skipped":
        return str(tc["no_answer"])
    if side["status"] != "answered":
        return str(t["status"].get(side["status"], side["status"]))
    return str(side.get("answer") or "")


def progress_view(comparison: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the progress templates show, in `lang`."""
    t = report_texts(lang)
    tc = localised_texts("compare", lang)
    before = format_date(comparison["before"]["date"], lang, t["months"])
    after = format_date(comparison["after"]["date"], lang, t["months"])
    dimensions = []
    for d in comparison["dimensions"]:
        delta = d["delta"]
        trend = "same" if not delta else "up" if delta > 0 else "down"
        sign = "+" if delta and delta > 0 else "−" if delta and delta < 0 else "±"
        delta_text = (
            "—" if delta is None else f"{sign}{format_number(abs(delta), lang)} {tc['points']}"
        )
        dimensions.append(
            dict(
                d,
                before_text=_score_text(d["before"], tc, lang),
                after_text=_score_text(d["after"], tc, lang),
                before_width=round(d["before"].get("score") or 0, 1),
                after_width=round(d["after"].get("score") or 0, 1),
                trend=trend,
                delta_text=delta_text,
            )
        )
    answers = [
        dict(
            q,
            before_text=_answer_text(q["before"], t, tc),
            after_text=_answer_text(q["after"], t, tc),
        )
        for q in comparison["answers_changed"]
    ]
    return {
        "intro": tc["intro"].replace("{before}", before).replace("{after}", after),
        "before_date": before,
        "after_date": after,
        "dimensions": dimensions,
        "verdicts": comparison["verdicts_changed"],
        "met": comparison["prerequisites_met"],
        "findings_new": comparison["findings_new"],
        "findings_resolved": comparison["findings_resolved"],
        "answers": answers,
    }


def render_progress(
    comparison: dict[str, Any],
    after: dict[str, Any],
    fmt: ReportFormat,
    lang: str,
    theme: Theme,
) -> bytes:
    """The progress report's bytes in `fmt` (pdf, html or md). Raises ReportError."""
    from audit.report.formats.html import render_html
    from audit.report.templating import markdown_environment

    if fmt not in FORMATS:
        raise UsageError(f"no progress report in '{fmt.value}'", expected="pdf, html or md")
    context = build_context(after, theme, lang)
    context.values.update(progress=progress_view(comparison, lang))
    if fmt == ReportFormat.MARKDOWN:
        template = markdown_environment().get_template("compare/progress.md.j2")
        return template.render(context.values).encode("utf-8")
    html = render_html(context, "compare/progress.html.j2", print_media=fmt == ReportFormat.PDF)
    if fmt == ReportFormat.HTML:
        return html.encode("utf-8")
    from audit.report.formats.pdf import html_to_pdf

    return html_to_pdf(context, html)


def progress_file(
    before: Path,
    after: Path,
    fmt: ReportFormat,
    output: Path | None = None,
    lang: str | None = None,
    theme_path: Path | None = None,
    *,
    force: bool = False,
) -> Path:
    """`audit compare --format pdf|md`: write the progress report; return its path
    (default: next to AFTER, `<stem>-progress.pdf`). Raises AuditError."""
    from audit.compare import compare_files
    from audit.report.theme import load_theme
    from audit.report.writer import write_bytes

    theme = load_theme(theme_path)
    comparison, assessment = compare_files(before, after, lang, force=force)
    suffix = {ReportFormat.PDF: ".pdf", ReportFormat.HTML: ".html", ReportFormat.MARKDOWN: ".md"}
    target = output or after.with_name(f"{after.stem}-progress{suffix.get(fmt, '')}")
    content = render_progress(comparison, assessment, fmt, assessment["language"], theme)
    return write_bytes(content, target, inputs=(before, after, theme_path))
