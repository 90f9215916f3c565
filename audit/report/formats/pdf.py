"""PDF: the report HTML laid out by WeasyPrint (imported here only, to keep start-up fast)."""

from __future__ import annotations

from typing import Any

from audit.errors import ReportError
from audit.report.context import ReportContext
from audit.report.fetcher import restricted_fetcher
from audit.report.formats.html import render_html
from audit.resources import reports_dir


def preload() -> None:
    """Import WeasyPrint now (a server's PDF workers do it before the first request)."""
    import weasyprint  # noqa: F401


def layout(context: ReportContext, html: str) -> Any:
    """The WeasyPrint document for `html`, reading files only from our folders."""
    from weasyprint import HTML

    roots = [reports_dir(), context.theme.folder]
    try:
        return HTML(
            string=html,
            base_url=reports_dir().as_uri() + "/",
            url_fetcher=restricted_fetcher(roots),
        ).render()
    except Exception as exc:  # WeasyPrint raises many types; the user sees one message
        raise ReportError(f"cannot lay out the PDF: {exc}", expected="a renderable report") from exc


def html_to_pdf(context: ReportContext, html: str) -> bytes:
    """The PDF bytes for `html`."""
    pdf: bytes = layout(context, html).write_pdf()
    return pdf


def warm_up() -> None:
    """Import WeasyPrint and lay out one line, so fonts are set up before the first report
    (a batch worker does this once, then renders many)."""
    from weasyprint import HTML

    HTML(string="<p>audit</p>").render()


class Renderer:
    suffix = "-report.pdf"

    def render(self, context: ReportContext) -> bytes:
        return html_to_pdf(context, render_html(context, "report.html.j2", print_media=True))
