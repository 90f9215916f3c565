"""Summary: one A4 page for sales to attach to a proposal (PDF)."""

from __future__ import annotations

from audit.errors import ReportError
from audit.report.context import ReportContext
from audit.report.formats.html import render_html
from audit.report.formats.pdf import layout


class Renderer:
    suffix = "-summary.pdf"

    def render(self, context: ReportContext) -> bytes:
        """The one-page PDF; a denser layout is tried before giving up on one page."""
        for density in ("normal", "compact"):
            context.values["density"] = density
            document = layout(context, render_html(context, "summary.html.j2", print_media=True))
            if len(document.pages) == 1:
                pdf: bytes = document.write_pdf()
                return pdf
        raise ReportError(
            f"the summary does not fit on one page ({len(document.pages)} pages)",
            expected="shorter headlines or fewer solutions",
        )
