"""HTML: the report as one self-contained web page (also the source of the PDF)."""

from __future__ import annotations

import base64
from typing import Any

from markupsafe import Markup

from audit.report.context import ReportContext
from audit.report.templating import html_environment


def render_html(context: ReportContext, template: str, *, print_media: bool) -> str:
    """The report HTML from `template`; `print_media` selects the paged (PDF) styles.

    For print, files are referenced by `file:` URLs the restricted fetcher serves; for
    the web page, the logo is inlined as a data URL and fonts fall back to the system's.
    """
    env = html_environment()
    theme = context.theme
    logo = theme.logo_path
    logo_url = ""
    if logo is not None:
        if print_media:
            logo_url = logo.as_uri()
        else:
            data = base64.b64encode(logo.read_bytes()).decode("ascii")
            logo_url = f"data:image/svg+xml;base64,{data}" if logo.suffix == ".svg" else ""
    values: dict[str, Any] = dict(context.values)
    faces = [(family, w, s, path.as_uri()) for family, w, s, path in theme.font_faces()]
    css = env.get_template("report.css.j2").render(
        print=print_media,
        c=values["colours"],
        t=values["t"],
        font=values["font_family"],
        font_faces=faces,
    )
    extra = ""
    if template.startswith(("summary", "compare/")):  # one-sheet layouts
        extra = env.get_template("summary.css.j2").render(c=values["colours"], print=print_media)
    values.update(css=Markup(css + extra), logo_url=logo_url, print=print_media)
    return env.get_template(template).render(values)


class Renderer:
    suffix = "-report.html"

    def render(self, context: ReportContext) -> bytes:
        return render_html(context, "report.html.j2", print_media=False).encode("utf-8")
