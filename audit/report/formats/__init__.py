"""Report formats: one module each behind one interface, selected by `ReportFormat`.

Adding a format is one module with a `Renderer` class and one enum member here.
"""

from __future__ import annotations

import importlib
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the CLI imports this module for the enum: keep it light
    from audit.report.context import ReportContext


class ReportFormat(StrEnum):
    PDF = "pdf"
    HTML = "html"
    JSON = "json"
    MARKDOWN = "md"
    SUMMARY = "summary"


class Renderer(Protocol):
    """Turns a render context into the bytes of one file."""

    suffix: str  # appended to the answers file's stem: "-report.pdf"

    def render(self, context: ReportContext) -> bytes: ...


_MODULES = {
    ReportFormat.PDF: "pdf",
    ReportFormat.HTML: "html",
    ReportFormat.JSON: "json",
    ReportFormat.MARKDOWN: "markdown",
    ReportFormat.SUMMARY: "summary",
}


def renderer_for(fmt: ReportFormat) -> Renderer:
    """The renderer of `fmt` (its module is imported only now: PDF pulls in WeasyPrint)."""
    module = importlib.import_module(f"audit.report.formats.{_MODULES[fmt]}")
    renderer: Renderer = module.Renderer()
    return renderer
