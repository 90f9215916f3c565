"""The running site: its settings and what it loads once at start (pack, theme, store)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request

from audit.questionnaire.model import Pack
from audit.report.templating import typeset_output
from audit.report.theme import Theme
from audit.store import Store
from audit.web.pdf import PdfPool
from audit.web.texts import fill

TEMPLATES = Path(__file__).with_name("templates")
MB = 1024 * 1024


@dataclass(frozen=True)
class WebConfig:
    """`audit serve` settings (defaults suit one small agency on one machine)."""

    database: str | None = None  # default: SQLite in the user data folder
    pack: str = "engagement"
    theme: Path | None = None
    pdf_workers: int = 2  # processes rendering PDFs
    pdf_queue: int = 16  # PDFs allowed to wait beyond those being rendered
    pdf_warm_up: bool = True  # start the PDF workers with the site, not on the first PDF
    upload_limit: int = 5 * MB  # a contact-list export
    import_limit: int = 2 * MB  # an answers file
    form_limit: int = 64 * 1024  # any other form
    retention_months: int = 24
    session_hours: int = 8
    login_attempts: int = 5  # failures per name or address within the window
    login_window_minutes: int = 15
    consent_version: str = "2026-11-30"  # bump when the consent wording changes


@dataclass
class Site:
    config: WebConfig
    store: Store
    pack: Pack
    theme: Theme
    pdfs: PdfPool
    env: Environment = field(init=False)
    stylesheet: str = field(init=False)

    def __post_init__(self) -> None:
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            # Stylesheets hold only validated theme values; everything else is escaped.
            autoescape=lambda name: not (name or "").endswith(".css.j2"),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # French spacing before : ; ! ? on every value a French page shows.
            finalize=typeset_output,
            auto_reload=False,  # templates ship with the program: no stat per page
        )
        self.env.filters["fill"] = fill
        model = self.theme.model
        self.stylesheet = self.env.get_template("site.css.j2").render(
            c=model.colours.model_dump(), font=model.font.family
        )

    @property
    def agency(self) -> str:
        return self.theme.model.agency.name

    @property
    def contact_line(self) -> str:
        return self.theme.model.contact or self.agency

    @property
    def privacy_contact(self) -> str:
        """Who to write to about one's data: the e-mail in the theme's contact line, else
        the whole line."""
        found = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", self.theme.model.contact)
        return found.group(0) if found else self.contact_line


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site
