"""Markdown: the report as plain text a consultant can paste into an e-mail or a wiki."""

from __future__ import annotations

from audit.report.context import ReportContext
from audit.report.templating import markdown_environment


class Renderer:
    suffix = "-report.md"

    def render(self, context: ReportContext) -> bytes:
        template = markdown_environment().get_template("report.md.j2")
        return template.render(context.values).encode("utf-8")
