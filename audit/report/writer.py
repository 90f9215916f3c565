"""Render a report to bytes, then write it atomically: never a half-written file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from audit.errors import Location, ReportError
from audit.report.context import build_context
from audit.report.formats import ReportFormat, renderer_for
from audit.report.theme import Theme, load_theme
from audit.yamlio import write_atomic


def render_report(
    assessment: dict[str, Any], fmt: ReportFormat, lang: str, theme: Theme | None = None
) -> bytes:
    """The bytes of the report in `fmt` (raise ReportError)."""
    context = build_context(assessment, theme or load_theme(), lang)
    return renderer_for(fmt).render(context)


def default_output(answers_path: Path, fmt: ReportFormat) -> Path:
    """Where a report goes by default: next to the answers file, `<stem>-report.pdf`."""
    return answers_path.with_name(answers_path.stem + renderer_for_suffix(fmt))


def renderer_for_suffix(fmt: ReportFormat) -> str:
    suffix: str = renderer_for(fmt).suffix
    return suffix


def write_report(
    assessment: dict[str, Any],
    fmt: ReportFormat,
    lang: str,
    output: Path,
    theme: Theme | None = None,
) -> Path:
    """Render, then write `output` atomically; nothing is written if rendering fails."""
    content = render_report(assessment, fmt, lang, theme)
    if not output.parent.is_dir():
        raise ReportError(
            "the output folder does not exist",
            Location(file=output),
            expected="an existing folder",
        )
    try:
        write_atomic(output, content)
    except OSError as exc:
        raise ReportError(
            f"cannot write the report: {exc.strerror}", Location(file=output)
        ) from None
    return output
