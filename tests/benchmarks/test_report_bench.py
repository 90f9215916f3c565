"""Benchmark: the report's cost, as ratios to bare WeasyPrint on the same final HTML.

Prints:
- `audit report` on the craft example, whole process, against a bare WeasyPrint process
  laying out the very HTML `audit report` hands to WeasyPrint (target at most 1.15x);
- `audit demo` end to end in a fresh process (assessment, contact list, PDF);
- the PDF step alone (context, templates, restricted fetcher, layout) against
  `weasyprint.HTML(string=final_html).write_pdf()` with WeasyPrint's own fetcher
  (target under 1.2x);
- the time per page as the appendix grows (10, 50, 200 answers).
Figures are printed, not asserted: a slow or busy machine must not fail the suite.
Run with `make bench`.
"""

from __future__ import annotations

import copy
import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from processes import AUDIT, benchmark_env, interleaved_medians, ratio_line, run_seconds
from pypdf import PdfReader

from audit.assessment import assess_file
from audit.report.context import build_context
from audit.report.formats import ReportFormat, renderer_for
from audit.report.formats.html import render_html
from audit.report.theme import load_theme
from audit.resources import questionnaires_dir, reports_dir

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RUNS = 3


def median_time(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fixture(lang: str = "fr") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"assessment_{lang}.json").read_text("utf-8"))
    return data


def with_answers(count: int) -> dict[str, Any]:
    """The fixture with its appendix grown (or cut) to `count` answers."""
    data = fixture()
    pool = [q for s in data["answers"] for q in s["questions"]]
    sections = []
    for index in range(0, count, 8):
        chunk = [
            dict(copy.deepcopy(pool[(index + i) % len(pool)]), id=f"q{index + i}")
            for i in range(min(8, count - index))
        ]
        sections.append(
            {"section": f"s{index}", "title": f"Section {index // 8 + 1}", "questions": chunk}
        )
    data["answers"] = sections
    return data


# A bare WeasyPrint process: the interpreter, WeasyPrint, and the layout of one HTML file.
_BARE_WEASYPRINT = """
import sys
from pathlib import Path
from weasyprint import HTML
html = Path(sys.argv[1]).read_text(encoding="utf-8")
HTML(string=html, base_url=sys.argv[2]).write_pdf(sys.argv[3])
"""


@pytest.mark.benchmark
def test_report_process_against_a_bare_weasyprint_process(tmp_path: Path) -> None:
    craft = questionnaires_dir() / "engagement" / "examples" / "craft.yaml"
    assessment = assess_file(craft, None)
    context = build_context(assessment, load_theme(), assessment["language"])
    html_file = tmp_path / "final.html"
    html_file.write_text(render_html(context, "report.html.j2", print_media=True), "utf-8")
    env = benchmark_env(tmp_path / "cache")
    ours_pdf, bare_pdf = tmp_path / "ours.pdf", tmp_path / "bare.pdf"
    ours = [AUDIT, "report", str(craft), "-o", str(ours_pdf)]
    base = reports_dir().as_uri() + "/"
    bare = [sys.executable, "-c", _BARE_WEASYPRINT, str(html_file), base, str(bare_pdf)]
    medians = interleaved_medians(
        {"ours": lambda: run_seconds(ours, env), "bare": lambda: run_seconds(bare, env)}, 5
    )
    pages = (len(PdfReader(ours_pdf).pages), len(PdfReader(bare_pdf).pages))
    print("\nreport on the craft example, whole processes, median of 5 taken in turns:")
    print(ratio_line("audit report", medians["ours"], medians["bare"], "WeasyPrint", "<= 1.15x"))
    print(f"  pages: ours {pages[0]}, bare WeasyPrint {pages[1]}")
    assert pages[0] == pages[1]


@pytest.mark.benchmark
def test_demo_end_to_end(tmp_path: Path) -> None:
    audit = Path(sys.executable).with_name("audit")
    target = tmp_path / "demo.pdf"
    seconds = median_time(
        lambda: subprocess.run(
            [str(audit), "demo", "-o", str(target)], check=True, capture_output=True
        )
    )
    assert target.read_bytes().startswith(b"%PDF")
    print(f"\naudit demo end to end: {seconds:.2f} s (median of {RUNS})")


@pytest.mark.benchmark
def test_pdf_step_against_bare_weasyprint() -> None:
    from weasyprint import HTML

    data, theme = fixture(), load_theme()
    renderer = renderer_for(ReportFormat.PDF)
    final_html = render_html(build_context(data, theme, "fr"), "report.html.j2", print_media=True)
    base = reports_dir().as_uri() + "/"
    renderer.render(build_context(data, theme, "fr"))  # warm caches (fonts, templates)
    HTML(string=final_html, base_url=base).write_pdf()
    ours: list[float] = []
    bare: list[float] = []
    # Interleaved, so that a load change on a shared machine hits both sides alike.
    for _ in range(5):
        ours.append(median_time(lambda: renderer.render(build_context(data, theme, "fr")), 1))
        bare.append(median_time(lambda: HTML(string=final_html, base_url=base).write_pdf(), 1))
    mine, theirs = statistics.median(ours), statistics.median(bare)
    print(
        f"\nPDF step: ours {mine:.2f} s, bare WeasyPrint {theirs:.2f} s, ratio {mine / theirs:.2f}x"
    )


@pytest.mark.benchmark
def test_time_per_page_as_the_appendix_grows() -> None:
    theme = load_theme()
    renderer = renderer_for(ReportFormat.PDF)
    print()
    for count in (10, 50, 200):
        data = with_answers(count)
        pdf = b""

        def render(data: dict[str, Any] = data) -> None:
            nonlocal pdf
            pdf = renderer.render(build_context(data, theme, "fr"))

        seconds = median_time(render)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"{count:>4} answers: {pages:>3} pages, {seconds:.2f} s, "
            f"{1000 * seconds / pages:.0f} ms per page"
        )
