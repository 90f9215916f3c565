"""Summary: one A4 page for sales to attach to a proposal (PDF)."""

from __future__ import annotations

import copy
from typing import Any

from audit.errors import Location, ReportError
from audit.report.context import ReportContext, build_context
from audit.report.formats.html import render_html
from audit.report.formats.pdf import layout


class Renderer:
    suffix = "-summary.pdf"

    def render(self, context: ReportContext) -> bytes:
        """The one-page PDF; a denser layout is tried before giving up on one page."""
        pages = 0
        for density in ("normal", "compact"):
            document = _layout(context, density)
            pages = len(document.pages)
            if pages == 1:
                pdf: bytes = document.write_pdf()
                return pdf
        field = _too_long_field(context)
        if field is not None:
            raise ReportError(
                f"the summary does not fit on one page ({pages} pages): '{field}' is too long",
                Location(field=field),
                expected=f"a shorter {field} (at most about {SHORT} characters)",
            )
        raise ReportError(
            f"the summary does not fit on one page ({pages} pages)",
            expected="shorter headlines or fewer solutions",
        )


# Fields of the answers the summary prints whole; one of them may push it onto two pages.
USER_FIELDS = (("client", "name"), ("client", "sector"), ("consultant",))
SHORT = 80


def _layout(context: ReportContext, density: str) -> Any:
    context.values["density"] = density
    return layout(context, render_html(context, "summary.html.j2", print_media=True))


def _too_long_field(context: ReportContext) -> str | None:
    """The answers field whose shortening makes the summary fit, if one does."""
    a = context.assessment

    def get(path: tuple[str, ...]) -> Any:
        value: Any = a
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    candidates = [p for p in USER_FIELDS if isinstance(get(p), str) and len(get(p)) > SHORT]
    for path in sorted(candidates, key=lambda p: -len(get(p))):
        shortened = copy.deepcopy(a)
        holder = shortened
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = holder[path[-1]][:SHORT]
        trial = build_context(shortened, context.theme, context.lang)
        if len(_layout(trial, "compact").pages) == 1:
            return ".".join(path)
    return None
