"""The ASGI application: routes, middleware and the objects loaded once at start.

URL map (every POST form carries the hidden field `csrf_token`):

Prospect
  GET  /                               landing page and privacy summary; form `start`
  POST /start                          field `company` (and `lang`) -> 303 /a/TOKEN
  GET  /privacy                        the privacy notice
  GET  /a/TOKEN                        private link: 303 to the next question or the result
  GET  /a/TOKEN/q/QUESTION_ID          one question; form `answer`
  POST /a/TOKEN/q/QUESTION_ID          `value` (repeated for multiple choice), `action` =
                                       answer | unknown | not_applicable | none -> 303 next
  GET  /a/TOKEN/result                 radar, verdicts, findings, next step, downloads
  GET  /a/TOKEN/summary.pdf            the one-page summary; /a/TOKEN/report.pdf the report
  POST /a/TOKEN/contacts               multipart `file` (CSV/XLSX), `keep` = yes -> 303 result
  GET  /a/TOKEN/contact                form `contact`; POST: `name`, `company`, `email`,
                                       `phone`, `consent` = yes -> 303 ?sent=1
Agency (login required; otherwise 303 /agency/login)
  GET  /agency/login                   form `login`; POST: `name`, `password`, `next`
  POST /agency/logout
  GET  /agency/                        list; filters `q`, `status` (in_progress|complete),
                                       `contact` (yes|no); form `import` (POST /agency/import,
                                       multipart `file`)
  GET  /agency/assessments/ID          one assessment; form `erase` (POST .../erase,
                                       `confirm` = ID)
  GET  /agency/assessments/ID/report.html | report.pdf | summary.pdf | answers.yaml
  GET  /agency/contact-requests.csv
Other
  GET  /theme.css, /logo.svg, /healthz
Any page takes `?lang=fr|en` (the visible switch; remembered in a cookie).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Scope

from audit.questionnaire.loader import load_pack
from audit.questionnaire.model import Pack
from audit.report.theme import load_theme
from audit.store import Store
from audit.web import agency, prospect, results
from audit.web.forms import PageError
from audit.web.pages import page_language, render
from audit.web.pdf import PdfPool
from audit.web.security import (
    BodyLimit,
    CsrfCookie,
    ErrorPage,
    RedactTokens,
    SecurityHeaders,
    cookie_value,
)
from audit.web.site import Site, WebConfig
from audit.web.texts import LANGUAGES, fill, negotiate, texts

log = logging.getLogger("audit.web")


def _limit_for(config: WebConfig) -> Any:
    def limit(path: str) -> int:
        overhead = 64 * 1024  # multipart boundaries and the other fields
        if path.startswith("/a/") and path.endswith("/contacts"):
            return config.upload_limit + overhead
        if path == "/agency/import":
            return config.import_limit + overhead
        return config.form_limit

    return limit


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{size // 1024} KB"


def _error_renderer(site_holder: dict[str, Site]) -> Any:
    async def render_error(scope: Scope, status: int, values: dict[str, Any]) -> tuple[bytes, str]:
        lang = cookie_value(scope, "audit_lang")
        if lang not in LANGUAGES:
            headers = dict(scope.get("headers", []))
            lang = negotiate(headers.get(b"accept-language", b"").decode("latin-1"))
        site = site_holder.get("site")
        if status == 413:
            limit = int(values.get("limit", 0))
            if site is not None and limit > site.config.form_limit:
                limit -= 64 * 1024
            values = {"limit": _human_size(limit)}
        if site is None:
            return f"{status}".encode(), "text/plain; charset=utf-8"
        t = texts(str(lang))
        html = site.env.get_template("error.html").render(
            lang=lang,
            t=t,
            status=status,
            heading=t["errors"][f"heading_{status}"],
            text=fill(t["errors"][f"text_{status}"], **values),
            switch_url="/",
            csrf="",
            agency=site.agency,
            contact_line=site.contact_line,
            privacy_contact=site.privacy_contact,
            has_logo=site.theme.logo_path is not None,
            retention_months=site.config.retention_months,
        )
        return html.encode("utf-8"), "text/html; charset=utf-8"

    return render_error


async def page_error(request: Request, exc: Exception) -> Response:
    """The error page for PageError and Starlette's HTTP errors (404 for unknown paths)."""
    if isinstance(exc, PageError):
        status, values = exc.status, exc.values
    elif isinstance(exc, HTTPException) and exc.status_code in (403, 404, 413, 429, 503):
        status, values = exc.status_code, {}
    elif isinstance(exc, HTTPException):
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code)
    else:
        raise exc
    t = texts(page_language(request))
    response = render(
        request,
        "error.html",
        status=status,
        heading=t["errors"][f"heading_{status}"],
        text=fill(t["errors"][f"text_{status}"], **values),
    )
    if status == 503:
        response.headers["retry-after"] = "5"
    return response


async def theme_css(request: Request) -> Response:
    site: Site = request.app.state.site
    return Response(
        site.stylesheet,
        media_type="text/css; charset=utf-8",
        headers={"cache-control": "public, max-age=3600"},
    )


async def logo(request: Request) -> Response:
    site: Site = request.app.state.site
    path = site.theme.logo_path
    if path is None or path.suffix != ".svg":
        raise PageError(404)
    return Response(
        path.read_bytes(),
        media_type="image/svg+xml",
        headers={"cache-control": "public, max-age=3600"},
    )


async def healthz(request: Request) -> Response:
    from sqlalchemy import text

    site: Site = request.app.state.site

    def ping() -> None:
        with site.store.read() as connection:
            connection.execute(text("SELECT 1"))

    from starlette.concurrency import run_in_threadpool

    await run_in_threadpool(ping)
    return PlainTextResponse("ok")


ROUTES = [
    Route("/", prospect.landing, methods=["GET"]),
    Route("/start", prospect.start, methods=["POST"]),
    Route("/privacy", prospect.privacy, methods=["GET"]),
    Route("/a/{token}", prospect.resume, methods=["GET"], name="resume"),
    Route("/a/{token}/q/{question}", prospect.question_page, methods=["GET"]),
    Route("/a/{token}/q/{question}", prospect.answer, methods=["POST"]),
    Route("/a/{token}/result", results.result, methods=["GET"]),
    Route("/a/{token}/summary.pdf", results.summary_pdf, methods=["GET"]),
    Route("/a/{token}/report.pdf", results.report_pdf, methods=["GET"]),
    Route("/a/{token}/contacts", results.upload, methods=["POST"]),
    Route("/a/{token}/contact", results.contact_page, methods=["GET"]),
    Route("/a/{token}/contact", results.contact_request, methods=["POST"]),
    Route("/agency/login", agency.login_page, methods=["GET"]),
    Route("/agency/login", agency.login, methods=["POST"]),
    Route("/agency/logout", agency.logout, methods=["POST"]),
    Route("/agency/", agency.listing, methods=["GET"]),
    Route("/agency/import", agency.import_answers, methods=["POST"]),
    Route("/agency/contact-requests.csv", agency.contact_csv, methods=["GET"]),
    Route("/agency/assessments/{id}", agency.detail, methods=["GET"]),
    Route("/agency/assessments/{id}/report.html", agency.report_html, methods=["GET"]),
    Route("/agency/assessments/{id}/report.pdf", agency.report_pdf, methods=["GET"]),
    Route("/agency/assessments/{id}/summary.pdf", agency.summary_pdf, methods=["GET"]),
    Route("/agency/assessments/{id}/answers.yaml", agency.export, methods=["GET"]),
    Route("/agency/assessments/{id}/erase", agency.erase, methods=["POST"]),
    Route("/theme.css", theme_css, methods=["GET"]),
    Route("/logo.svg", logo, methods=["GET"]),
    Route("/healthz", healthz, methods=["GET"]),
]


RETENTION_CHECK_SECONDS = 6 * 3600


def retention_cutoff(months: int, now: datetime | None = None) -> str:
    """The ISO time before which an untouched assessment is erased (30-day months)."""
    moment = (now or datetime.now(UTC)) - timedelta(days=30 * months)
    return moment.replace(microsecond=0).isoformat()


async def _retention_round(site: Site) -> None:
    """Erase what the privacy notice says is erased (untouched past the retention time)."""
    from starlette.concurrency import run_in_threadpool

    from audit.store import erasure

    cutoff = retention_cutoff(site.config.retention_months)
    try:
        erased = await run_in_threadpool(erasure.expire, site.store, cutoff)
    except Exception:  # the next round retries; the site keeps serving
        log.exception("retention: erasing old assessments failed")
        return
    if erased:
        log.info("retention: erased %d assessment(s) untouched since %s", len(erased), cutoff)


async def _keep_applying_retention(site: Site) -> None:
    while True:
        await asyncio.sleep(RETENTION_CHECK_SECONDS)
        await _retention_round(site)


def install_log_redaction() -> None:
    """Private links never reach a log: uvicorn's access log and ours are filtered."""
    for name in ("uvicorn.access", "uvicorn.error", "audit.web"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())


def create_app(
    config: WebConfig | None = None,
    store: Store | None = None,
    pack: Pack | None = None,
    pdfs: PdfPool | None = None,
) -> Starlette:
    """The site: opens (and migrates) the store, loads the pack and theme once (a caller
    may pass a store, pack or PDF pool already open; it then closes the pool itself).

    Raises StoreError, QuestionnaireError or ReportError when one of them cannot be used.
    """
    config = config or WebConfig()
    store = store or Store.open(config.database)
    theme = load_theme(config.theme)
    site = Site(
        config=config,
        store=store,
        pack=pack if pack is not None else load_pack(config.pack),
        theme=theme,
        pdfs=pdfs or PdfPool(config.pdf_workers, config.pdf_queue, config.theme),
    )
    holder = {"site": site}
    install_log_redaction()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if config.pdf_warm_up:
            site.pdfs.start()
        await _retention_round(site)
        retention = asyncio.create_task(_keep_applying_retention(site))
        try:
            yield
        finally:
            retention.cancel()
            if pdfs is None:
                site.pdfs.close()

    render_error = _error_renderer(holder)
    app = Starlette(
        routes=ROUTES,
        middleware=[
            Middleware(ErrorPage, render=render_error),
            Middleware(SecurityHeaders),
            Middleware(BodyLimit, limit_for=_limit_for(config), render=render_error),
            Middleware(CsrfCookie),
        ],
        exception_handlers={
            PageError: page_error,
            HTTPException: page_error,
            agency._Redirect: agency.redirect_handler,
        },
        lifespan=lifespan,
    )
    app.state.site = site
    return app
