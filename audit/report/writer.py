"""Render a report to bytes, then write it atomically: never a half-written file.

`report_file` and `demo` are the `audit report` and `audit demo` commands as plain
functions: the CLI only parses arguments and prints the path they return.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from audit.errors import Location, ReportError
from audit.outputs import output_target
from audit.report.context import build_context
from audit.report.formats import ReportFormat, renderer_for
from audit.report.theme import Theme, load_theme
from audit.resources import questionnaires_dir
from audit.yamlio import remove_stale_temps, write_atomic

DEMO_PACK = "engagement"
DEMO_CLIENT = "industrial"
# A temporary report file older than this was left by a killed run: it is removed.
STALE_TEMP_SECONDS = 600.0


def render_report(
    assessment: dict[str, Any],
    fmt: ReportFormat,
    lang: str,
    theme: Theme | None = None,
    chapters: dict[str, Any] | None = None,
) -> bytes:
    """The bytes of the report in `fmt` (raise ReportError). `chapters` fills optional
    chapters of the template (`progress`, `benchmark`)."""
    context = build_context(assessment, theme or load_theme(), lang)
    context.values.update(chapters or {})
    return renderer_for(fmt).render(context)


def default_output(answers_path: Path, fmt: ReportFormat) -> Path:
    """Where a report goes by default: next to the answers file, `<stem>-report.pdf`."""
    return answers_path.with_name(answers_path.stem + renderer_for(fmt).suffix)


def write_report(
    assessment: dict[str, Any],
    fmt: ReportFormat,
    lang: str,
    output: Path,
    theme: Theme | None = None,
    inputs: Iterable[Path | None] = (),
    chapters: dict[str, Any] | None = None,
) -> Path:
    """Render, then write `output` atomically; nothing is written if rendering fails.

    `output` is written through a symlink; it may not be one of the `inputs` (the answers
    file, the theme) nor anything but a regular file (see `audit.outputs`).
    """
    output_target(output, inputs=inputs, error=ReportError)  # refuse before rendering
    content = render_report(assessment, fmt, lang, theme, chapters)
    return write_bytes(content, output, inputs)


def write_bytes(content: bytes, output: Path, inputs: Iterable[Path | None] = ()) -> Path:
    """Write rendered bytes to `output` atomically (raise ReportError), through a symlink,
    never over one of the `inputs` nor over anything but a regular file."""
    target = output_target(output, inputs=inputs, error=ReportError)
    remove_stale_temps(target, older_than=STALE_TEMP_SECONDS)
    try:
        write_atomic(target, content)
    except OSError as exc:
        raise ReportError(
            f"cannot write the report: {exc.strerror}", Location(file=output)
        ) from None
    return output


def assess_answers(answers_path: Path, lang: str | None, *, quick: bool = False) -> dict[str, Any]:
    """Assess an answers file (see `audit.assessment.assess_file`). Raises AuditError."""
    from audit.assessment import assess_file

    return assess_file(answers_path, lang, quick=quick)


def report_file(
    answers_path: Path,
    output: Path | None = None,
    fmt: ReportFormat = ReportFormat.PDF,
    lang: str | None = None,
    theme_path: Path | None = None,
    since: Path | None = None,
    force: bool = False,
    benchmark: dict[str, Any] | None = None,
) -> Path:
    """`audit report`: assess the answers file and write the report; return its path.

    With `since` (an earlier answers file of the same client), the report has a progress
    chapter; `force` compares two clients' files all the same. With `benchmark`
    (`audit.portfolio.records.benchmark_file`), a chapter placing the client among the
    agency's past clients.
    """
    target = output if output is not None else default_output(answers_path, fmt)
    inputs = (answers_path, theme_path, since)
    output_target(target, inputs=inputs, error=ReportError)  # refuse before the slow part
    theme = load_theme(theme_path)
    chapters: dict[str, Any] = {}
    if since is not None:
        from audit.compare import compare_files
        from audit.report.progress import progress_view

        comparison, assessment = compare_files(since, answers_path, lang, force=force)
        chapters["progress"] = progress_view(comparison, assessment["language"])
    else:
        assessment = assess_answers(answers_path, lang)
    if benchmark is not None:
        from audit.report.benchmark import benchmark_view

        colours = theme.model.colours.model_dump()
        chapters["benchmark"] = benchmark_view(
            benchmark, assessment, assessment["language"], colours, theme.model.font.family
        )
    return write_report(assessment, fmt, assessment["language"], target, theme, inputs, chapters)


def demo_answers() -> Path:
    """The shipped example client the demo runs on."""
    return questionnaires_dir() / DEMO_PACK / "examples" / f"{DEMO_CLIENT}.yaml"


def demo(output: Path | None = None, lang: str | None = None, *, quick: bool = False) -> Path:
    """`audit demo`: the whole pipeline on a shipped example client; return the PDF's path."""
    name = "demo-quick-report.pdf" if quick else "demo-report.pdf"
    target = output if output is not None else Path.cwd() / name
    output_target(target, inputs=(demo_answers(),), error=ReportError)
    assessment = assess_answers(demo_answers(), lang, quick=quick)
    return write_report(
        assessment, ReportFormat.PDF, assessment["language"], target, inputs=(demo_answers(),)
    )
