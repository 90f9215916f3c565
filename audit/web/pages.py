"""Rendering pages: the language, the common values every template gets, redirects."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from audit.web.security import cookie_header
from audit.web.site import site_of
from audit.web.texts import LANGUAGES, negotiate, texts

LANG_COOKIE = "audit_lang"
YEAR = 365 * 24 * 3600


def page_language(request: Request, default: str | None = None) -> str:
    """`?lang=` (the visible switch), else the visitor's choice, else `default` (an
    assessment's language), else the browser's Accept-Language, else French."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return str(asked)
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return str(chosen)
    if default in LANGUAGES:
        return str(default)
    return negotiate(request.headers.get("accept-language"))


def render(
    request: Request,
    template: str,
    *,
    status: int = 200,
    lang: str | None = None,
    **values: Any,
) -> HTMLResponse:
    site = site_of(request)
    lang = lang or page_language(request)
    other = "en" if lang == "fr" else "fr"
    context = {
        "lang": lang,
        "t": texts(lang),
        "switch_url": request.url.include_query_params(lang=other).path
        + "?"
        + request.url.include_query_params(lang=other).query,
        "csrf": request.scope.get("state", {}).get("csrf", ""),
        "agency": site.agency,
        "contact_line": site.contact_line,
        "privacy_contact": site.privacy_contact,
        "has_logo": site.theme.logo_path is not None,
        "retention_months": site.config.retention_months,
        **values,
    }
    html = site.env.get_template(template).render(context)
    response = HTMLResponse(html, status_code=status)
    remember_language(request, response)
    return response


def remember_language(request: Request, response: Response) -> None:
    """Keep the language chosen with the switch for the next pages."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES and request.cookies.get(LANG_COOKIE) != asked:
        response.headers.append(
            "set-cookie", cookie_header(LANG_COOKIE, str(asked), request.scope, max_age=YEAR)
        )


def redirect(url: str) -> RedirectResponse:
    """303 See Other: after a POST, the browser GETs the next page."""
    return RedirectResponse(url, status_code=303)
