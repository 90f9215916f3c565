"""The agency's pages under /agency/: login, the list, one assessment, its reports, the
answers-file export and import, contact requests as CSV, erasure on request."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from audit.errors import AuditError
from audit.session import navigation
from audit.session.answers import AnswersFile
from audit.session.runner import client_slug
from audit.session.store import HEADER, load_answers
from audit.store import accounts, assessments, erasure, requests
from audit.store.accounts import User
from audit.store.assessments import StoredAssessment
from audit.web.auth import (
    SESSION_COOKIE,
    check_password,
    client_address,
    current_user,
    throttled,
)
from audit.web.forms import PageError, read_form, read_upload_form, text_field
from audit.web.pages import page_language, redirect, render
from audit.web.prospect import verdict_summary
from audit.web.results import assess_for, pdf_download
from audit.web.security import cookie_header
from audit.web.site import site_of
from audit.web.texts import fill, texts


async def _user(request: Request) -> User:
    user = await current_user(request)
    if user is None:
        target = quote(request.url.path)
        raise _Redirect(f"/agency/login?next={target}")
    request.state.user = user
    return user


class _Redirect(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def redirect_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, _Redirect)
    return redirect(exc.url)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/agency") and "//" not in target and "\\" not in target:
        return target
    return "/agency/"


async def login_page(request: Request) -> Response:
    return render(
        request, "agency_login.html", error=None, next=_safe_next(request.query_params.get("next"))
    )


async def login(request: Request) -> Response:
    site = site_of(request)
    form = await read_form(request)
    name = text_field(form, "name")[:80]
    password = form.get("password")
    target = _safe_next(text_field(form, "next"))
    lang = page_language(request)
    if await throttled(request, name):
        raise PageError(429, minutes=site.config.login_window_minutes)
    user = await run_in_threadpool(accounts.user_by_name, site.store, name)
    ok = isinstance(password, str) and await run_in_threadpool(check_password, user, password)
    if not ok or user is None:
        await run_in_threadpool(accounts.record_failure, site.store, name, client_address(request))
        return render(
            request,
            "agency_login.html",
            status=401,
            error=texts(lang)["agency"]["login_failed"],
            next=target,
        )
    await run_in_threadpool(accounts.clear_failures, site.store, name)
    hours = site.config.session_hours
    token = await run_in_threadpool(accounts.open_session, site.store, user, timedelta(hours=hours))
    response = redirect(target)
    response.headers.append(
        "set-cookie", cookie_header(SESSION_COOKIE, token, request.scope, max_age=hours * 3600)
    )
    return response


async def logout(request: Request) -> Response:
    await read_form(request)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await run_in_threadpool(accounts.close_session, site_of(request).store, token)
    response = redirect("/agency/login")
    response.headers.append(
        "set-cookie", cookie_header(SESSION_COOKIE, "", request.scope, max_age=0)
    )
    return response


def _flag(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


async def listing(request: Request) -> Response:
    user = await _user(request)
    site = site_of(request)
    query = request.query_params
    status = query.get("status") if query.get("status") in ("in_progress", "complete") else None
    rows = await run_in_threadpool(
        lambda: assessments.listing(
            site.store,
            search=(query.get("q") or "").strip()[:100] or None,
            status=status,
            contact_requested=_flag(query.get("contact")),
        )
    )
    log = await run_in_threadpool(erasure.log, site.store)
    return render(
        request,
        "agency_list.html",
        user=user,
        rows=rows,
        q=(query.get("q") or "")[:100],
        status_filter=status or "",
        contact=query.get("contact") or "",
        erased=query.get("erased"),
        erasures=log[:20],
        import_error=query.get("import_error"),
    )


async def _assessment(request: Request) -> StoredAssessment:
    try:
        assessment_id = int(request.path_params["id"])
    except ValueError:
        raise PageError(404) from None
    found = await run_in_threadpool(assessments.get, site_of(request).store, assessment_id)
    if found is None:
        raise PageError(404)
    return found


async def detail(request: Request) -> Response:
    user = await _user(request)
    site = site_of(request)
    found = await _assessment(request)
    lang = page_language(request)
    contact_requests = await run_in_threadpool(requests.listing, site.store, found.id)
    kept = await run_in_threadpool(assessments.upload_count, site.store, found.id)
    assessment = await run_in_threadpool(assess_for, site, found.answers, lang)
    return render(
        request,
        "agency_detail.html",
        user=user,
        a=found,
        assessment=assessment,
        requests=contact_requests,
        kept=kept,
        error=request.query_params.get("error"),
    )


async def report_html(request: Request) -> Response:
    await _user(request)
    site = site_of(request)
    found = await _assessment(request)
    lang = page_language(request, found.answers.language)
    assessment = await run_in_threadpool(assess_for, site, found.answers, lang)

    def html() -> bytes:
        from audit.report.formats import ReportFormat
        from audit.report.writer import render_report

        return render_report(assessment, ReportFormat.HTML, lang, site.theme)

    content = await run_in_threadpool(html)
    # The report is one self-contained page with its stylesheet inline: allow exactly
    # those styles by hash; still no script at all.
    return Response(
        content, media_type="text/html", headers={"content-security-policy": report_csp(content)}
    )


def report_csp(html: bytes) -> str:
    import base64
    import hashlib
    import re

    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(block).digest()).decode() + "'"
        for block in re.findall(rb"<style[^>]*>(.*?)</style>", html, flags=re.S)
    ]
    return (
        "default-src 'none'; script-src 'none'; img-src data:; "
        f"style-src {' '.join(hashes) or chr(39) + 'none' + chr(39)}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


async def report_pdf(request: Request, fmt: str = "pdf", kind: str = "report") -> Response:
    await _user(request)
    site = site_of(request)
    found = await _assessment(request)
    lang = page_language(request, found.answers.language)
    return await pdf_download(site, found, fmt, kind, lang)


async def summary_pdf(request: Request) -> Response:
    return await report_pdf(request, "summary", "summary")


def answers_yaml(answers: AnswersFile) -> str:
    """The answers file exactly as `audit run` writes it (same header, same writer)."""
    from audit import yamlio

    return HEADER + yamlio.dump(answers.to_data())


async def export(request: Request) -> Response:
    await _user(request)
    found = await _assessment(request)
    name = f"{client_slug(found.company)}-answers.yaml"
    return Response(
        answers_yaml(found.answers).encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


def _read_answers(name: str, content: bytes) -> AnswersFile:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="audit-import-") as folder:
        path = Path(folder) / (Path(name).name or "answers.yaml")
        path.write_bytes(content)
        try:
            return load_answers(path)
        except AuditError as exc:
            exc.location = type(exc.location)(
                file=Path(name).name, line=exc.location.line, field=exc.location.field
            )
            raise


async def import_answers(request: Request) -> Response:
    await _user(request)
    site = site_of(request)
    _, file = await read_upload_form(request, "file", site.config.import_limit)
    lang = page_language(request)
    message = None
    if file is None:
        message = texts(lang)["upload"]["error_none"]
    else:
        try:
            answers = await run_in_threadpool(_read_answers, file.filename, file.content)
            if answers.pack != site.pack.id:
                raise ValueError(f"the file is for the pack '{answers.pack}', not '{site.pack.id}'")
        except (AuditError, ValueError) as exc:
            message = fill(texts(lang)["agency"]["import_error"], reason=str(exc))
        else:
            complete = navigation.first_unanswered(site.pack, answers) is None
            summary = await run_in_threadpool(verdict_summary, site, answers) if complete else None
            created = await run_in_threadpool(
                lambda: assessments.create(
                    site.store, answers, source="import", complete=complete, summary=summary
                )
            )
            return redirect(f"/agency/assessments/{created.id}")
    return redirect(f"/agency/?import_error={quote(message or '')}")


async def contact_csv(request: Request) -> Response:
    await _user(request)
    site = site_of(request)
    rows = await run_in_threadpool(requests.listing, site.store, None)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "assessment",
            "name",
            "company",
            "email",
            "phone",
            "language",
            "consented",
            "consent_version",
            "consent_text",
        ]
    )
    for row in rows:
        r = row.request
        writer.writerow(
            [
                row.assessment_id,
                *(_cell(v) for v in (r.name, r.company, r.email, r.phone)),
                r.language,
                row.consented,
                r.consent_version,
                r.consent_text,
            ]
        )
    return Response(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="contact-requests.csv"'},
    )


def _cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


async def erase(request: Request) -> Response:
    user = await _user(request)
    site = site_of(request)
    form = await read_form(request)
    found = await _assessment(request)
    if text_field(form, "confirm") != str(found.id):
        return redirect(f"/agency/assessments/{found.id}?error=erase_mismatch")
    await run_in_threadpool(erasure.erase, site.store, found.id, user.name)
    return redirect(f"/agency/?erased={found.id}")
