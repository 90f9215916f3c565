"""The prospect's result page, the PDF downloads, the contact-list upload and the request
to be contacted. Everything shown comes from the same assessment object as the reports."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from email_validator import EmailNotValidError, validate_email
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from audit.errors import ContactsError
from audit.report.context import build_context
from audit.session import navigation
from audit.session.answers import AnswersFile
from audit.session.runner import client_slug
from audit.store import assessments, requests
from audit.store.assessments import Saved, StoredAssessment
from audit.web.forms import (
    FIELD_LIMIT,
    PageError,
    read_form,
    read_upload_form,
    text_field,
)
from audit.web.pages import page_language, redirect, render
from audit.web.pdf import PdfBusy
from audit.web.prospect import base_url, load, verdict_summary
from audit.web.site import Site, site_of
from audit.web.texts import fill, texts

UPLOAD_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")
PHONE = re.compile(r"^[0-9 +().\-]{4,40}$")


def assess_for(site: Site, answers: AnswersFile, lang: str) -> dict[str, Any]:
    from audit.assessment import assess

    return assess(site.pack, answers, lang)


async def _complete(request: Request) -> tuple[StoredAssessment, str] | Response:
    found = await load(request)
    if navigation.first_unanswered(site_of(request).pack, found.answers) is not None:
        return redirect(base_url(request))
    return found, page_language(request, found.answers.language)


async def result(request: Request, *, upload_error: str | None = None) -> Response:
    site = site_of(request)
    loaded = await _complete(request)
    if isinstance(loaded, Response):
        return loaded
    found, lang = loaded
    assessment = await run_in_threadpool(assess_for, site, found.answers, lang)
    values = build_context(assessment, site.theme, lang).values
    contacts = found.answers.facts.get("contacts") or {}
    upload = request.query_params.get("upload")
    return render(
        request,
        "result.html",
        status=422 if upload_error else 200,
        lang=lang,
        v=values,
        company=found.company,
        base=base_url(request),
        link=str(request.url_for("resume", token=request.path_params["token"])),
        upload_done=upload in ("kept", "done") and bool(contacts),
        upload_kept=upload == "kept",
        contacts=contacts,
        upload_error=upload_error,
        upload_limit_mb=site.config.upload_limit // (1024 * 1024),
        contact_requested=found.contact_requested,
        first_question=navigation.visible_questions(site.pack, found.answers)[0].id,
    )


async def pdf_download(
    site: Site, found: StoredAssessment, fmt: str, kind: str, lang: str
) -> Response:
    """The assessment's PDF (`fmt`: pdf or summary) as a download named after the client;
    503 when the PDF pool is full."""
    assessment = await run_in_threadpool(assess_for, site, found.answers, lang)
    try:
        content = await site.pdfs.render(assessment, fmt, lang)
    except PdfBusy:
        raise PageError(503) from None
    name = f"{client_slug(found.company)}-{kind}.pdf"
    return Response(
        content,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


async def pdf(request: Request, fmt: str, kind: str) -> Response:
    loaded = await _complete(request)
    if isinstance(loaded, Response):
        return loaded
    found, lang = loaded
    return await pdf_download(site_of(request), found, fmt, kind, lang)


async def summary_pdf(request: Request) -> Response:
    return await pdf(request, "summary", "summary")


async def report_pdf(request: Request) -> Response:
    return await pdf(request, "pdf", "report")


def _analyse(path: Path) -> dict[str, Any]:
    from audit.contacts.analysis import analyse_file

    analysis: dict[str, Any] = analyse_file(path).to_dict()
    return analysis


async def upload(request: Request) -> Response:
    """Analyse an uploaded contact list server-side; keep the file only if agreed."""
    site = site_of(request)
    form, file = await read_upload_form(request, "file", site.config.upload_limit)
    loaded = await _complete(request)
    if isinstance(loaded, Response):
        return loaded
    found, lang = loaded
    t = texts(lang)["upload"]
    if file is None:
        return await result(request, upload_error=t["error_none"])
    name = Path(file.filename or "contacts.csv").name[-100:]
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        return await result(request, upload_error=t["error_type"])
    content = file.content
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "_", name) or "contacts.csv"
    with tempfile.TemporaryDirectory(prefix="audit-upload-") as folder:
        path = Path(folder) / safe_name
        path.write_bytes(content)
        try:
            analysis = await run_in_threadpool(_analyse, path)
        except ContactsError as exc:
            return await result(request, upload_error=fill(t["error_read"], reason=exc.message))
    # The temporary file is gone; the stored facts name the file as the prospect sent it.
    analysis["source"] = {**analysis.get("source", {}), "file": name}
    keep = text_field(form, "keep") == "yes"

    def attach(answers: AnswersFile) -> Saved:
        answers.facts["contacts"] = analysis
        return Saved(True, verdict_summary(site, answers))

    await run_in_threadpool(assessments.change, site.store, found.id, attach)
    if keep:
        await run_in_threadpool(assessments.keep_upload, site.store, found.id, name, content)
    return redirect(f"{base_url(request)}/result?upload={'kept' if keep else 'done'}#audience")


def _consent(site: Site, lang: str) -> str:
    return fill(texts(lang)["contact"]["consent"], agency=site.agency, contact=site.privacy_contact)


async def contact_page(request: Request) -> Response:
    found = await load(request)
    lang = page_language(request, found.answers.language)
    return render(
        request,
        "contact.html",
        lang=lang,
        base=base_url(request),
        consent=_consent(site_of(request), lang),
        sent=request.query_params.get("sent") == "1",
        values={"company": found.company},
        errors={},
    )


async def contact_request(request: Request) -> Response:
    site = site_of(request)
    form = await read_form(request)
    found = await load(request)
    lang = page_language(request, found.answers.language)
    t = texts(lang)["contact"]
    values = {k: text_field(form, k) for k in ("name", "company", "email", "phone")}
    errors: dict[str, str] = {}
    limits = {"name": FIELD_LIMIT, "company": FIELD_LIMIT, "email": 320, "phone": 40}
    for key, limit in limits.items():
        if len(values[key]) > limit:
            errors[key] = fill(t["error_too_long"], limit=limit)
    for key in ("name", "company", "email"):
        if not values[key]:
            errors.setdefault(key, t["error_required"])
    if values["email"] and "email" not in errors:
        try:
            values["email"] = validate_email(values["email"], check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors["email"] = fill(t["error_email"], reason=str(exc))
    if values["phone"] and "phone" not in errors and not PHONE.match(values["phone"]):
        errors["phone"] = t["error_phone"]
    if text_field(form, "consent") != "yes":
        errors["consent"] = t["error_consent"]
    if errors:
        return render(
            request,
            "contact.html",
            status=422,
            lang=lang,
            base=base_url(request),
            consent=_consent(site, lang),
            sent=False,
            values={k: v[:400] for k, v in values.items()},
            errors=errors,
        )
    stored = requests.ContactRequest(
        name=values["name"],
        company=values["company"],
        email=values["email"],
        phone=values["phone"],
        language=lang,
        consent_text=_consent(site, lang),
        consent_version=site.config.consent_version,
    )
    await run_in_threadpool(requests.add, site.store, found.id, stored)
    return redirect(f"{base_url(request)}/contact?sent=1")
