"""Everything a prospect sends is untrusted: each protection, proved."""

from __future__ import annotations

import html
import logging
import re

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient
from web_flow import answer, csrf, login, start

from audit.store import Store, assessments
from audit.store.tokens import new_token
from audit.web import prospect
from audit.web.auth import add_user
from audit.web.security import RedactTokens, redact


def _routes(app: Starlette, method: str) -> list[str]:
    return [
        r.path
        for r in app.routes
        if isinstance(r, Route) and r.methods is not None and method in r.methods
    ]


def _concrete(path: str, token: str, assessment_id: int) -> str:
    return (
        path.replace("{token}", token)
        .replace("{question}", "offer_crm")
        .replace("{id}", str(assessment_id))
    )


def test_every_post_without_a_csrf_token_is_refused(
    app: Starlette, client: TestClient, store: Store
) -> None:
    token = start(client)
    found = assessments.by_token(store, token)
    assert found is not None
    add_user(store, "ann", "correct horse battery")
    login(client)
    posts = _routes(app, "POST")
    assert len(posts) >= 8
    for path in posts:
        url = _concrete(path, token, found.id)
        for data in ({}, {"csrf_token": "forged-" + "x" * 30}):
            response = client.post(url, data=data, follow_redirects=False)
            assert response.status_code == 403, (url, response.status_code)
            assert "Formulaire refusé" in response.text
    # Nothing changed: still no answer, still there.
    again = assessments.by_token(store, token)
    assert again is not None and again.answers.answers == {}


def test_a_made_up_or_another_token_gives_404(app: Starlette, client: TestClient) -> None:
    start(client)
    for made_up in (new_token(), "x" * 43, "short"):
        for path in _routes(app, "GET"):
            if "{token}" not in path:
                continue
            url = _concrete(path, made_up, 1)
            assert client.get(url, follow_redirects=False).status_code == 404, url


def test_an_answer_to_a_made_up_token_gives_404_and_stores_nothing(
    client: TestClient, store: Store
) -> None:
    token = start(client)
    for made_up in (new_token(), "x" * 43, "short"):
        for value, action in (("none", "answer"), ("not-a-choice", "answer"), (None, "unknown")):
            response = answer(client, made_up, "offer_crm", value, action)
            assert response.status_code == 404, (made_up, value)
    found = assessments.by_token(store, token)
    assert found is not None and found.answers.answers == {}


def test_agency_pages_redirect_to_login(app: Starlette, client: TestClient) -> None:
    for path in _routes(app, "GET"):
        if not path.startswith("/agency") or path == "/agency/login":
            continue
        response = client.get(_concrete(path, "t", 1), follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/agency/login?next=")


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_names_and_answers_show_as_text(
    client: TestClient, store: Store, finished: str
) -> None:
    token = start(client, HOSTILE)
    answer(client, token, "offer_crm", "offered")
    assert answer(client, token, "vendor_promises", HOSTILE).status_code == 303
    page = client.get(f"/a/{token}/q/vendor_promises").text
    found = assessments.by_token(store, finished)
    assert found is not None
    found.answers.client.name = HOSTILE
    found.answers.answers["offer_crm"].note = HOSTILE
    assessments.save(store, found.id, found.answers, complete=True)
    pages = [page, client.get(f"/a/{finished}/result").text]
    add_user(store, "ann", "correct horse battery")
    login(client)
    pages += [
        client.get("/agency/").text,
        client.get(f"/agency/assessments/{found.id}").text,
        client.get(f"/agency/assessments/{found.id}/report.html").text,
    ]
    for text in pages:
        assert "<script>" not in text and "<img src=x" not in text
        assert "&lt;script&gt;" in text or html.escape(HOSTILE) in text


def test_security_headers_on_every_page(client: TestClient) -> None:
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    token = start(client)
    private = client.get(f"/a/{token}", follow_redirects=True)
    assert private.headers["cache-control"] == "no-store"
    assert "<script" not in private.text and " on" not in re.sub(r"<[^>]*>", "", "")


def test_a_malformed_cookie_header_is_no_error_and_the_csrf_cookie_still_counts(
    app: Starlette,
) -> None:
    with TestClient(app) as browser:
        token = csrf(browser)
        browser.cookies.clear()
        junk = f'bad;;==; "x; \\\\; audit_csrf={token}; audit_lang=en'
        page = browser.get("/", headers={"cookie": junk})
        assert page.status_code == 200 and 'lang="en"' in page.text
        assert "set-cookie" not in page.headers  # the CSRF cookie was read, not replaced
        response = browser.post(
            "/start",
            data={"csrf_token": token, "company": "Café Dupont"},
            headers={"cookie": junk},
            follow_redirects=False,
        )
        assert response.status_code == 303


def test_cookies_are_httponly_samesite_and_secure_over_https(app: Starlette) -> None:
    with TestClient(app, base_url="https://testserver") as secure:
        cookie = secure.get("/").headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
        assert "strict-transport-security" in secure.get("/").headers
    with TestClient(app) as plain:
        cookie = plain.get("/").headers["set-cookie"]
        assert "HttpOnly" in cookie and "Secure" not in cookie


def test_login_attempts_are_throttled(client: TestClient, store: Store) -> None:
    add_user(store, "ann", "correct horse battery")
    for _ in range(5):
        assert login(client, password="wrong password!").status_code == 401
    blocked = login(client)  # even the right password waits now
    assert blocked.status_code == 429
    assert "Trop de connexions ont échoué" in html.unescape(blocked.text)


def test_an_oversized_field_or_body_gets_a_clear_message(client: TestClient) -> None:
    client.get("/")
    long_name = client.post(
        "/start", data={"csrf_token": csrf(client), "company": "x" * 201}, follow_redirects=False
    )
    assert long_name.status_code == 422 and "200 caractères au plus" in long_name.text
    huge = client.post("/start", data={"csrf_token": csrf(client), "company": "x" * 200_000})
    assert huge.status_code == 413 and "dépasse la limite de 64 KB" in huge.text


def test_a_long_text_answer_is_refused(client: TestClient, store: Store) -> None:
    token = start(client)
    for offer in ("offer_marketing_automation",):
        answer(client, token, offer, "offered")
    response = answer(client, token, "vendor_promises", "y" * 2001)
    assert response.status_code == 422 and "2000 caractères au plus" in response.text


def test_an_unexpected_error_shows_a_page_with_an_id_not_a_traceback(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    token = start(client)

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("secret internals " + token)

    monkeypatch.setattr(prospect.Walk, "first_unanswered", broken)
    with caplog.at_level(logging.ERROR, logger="audit.web"):
        response = client.get(f"/a/{token}")
    assert response.status_code == 500
    match = re.search(r"code à l(?:'|&#39;)agence\s*:?\s*([0-9a-f]{12})", response.text)
    assert match, response.text
    assert "Traceback" not in response.text and "secret internals" not in response.text
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert match.group(1) in logged and "RuntimeError" in logged
    assert token not in logged  # even the exception text is redacted


def test_tokens_are_redacted_from_access_log_lines() -> None:
    token = new_token()
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/a/{token}/q/offer_crm", "1.1", 200),
        None,
    )
    RedactTokens().filter(record)
    assert token not in record.getMessage() and "/a/[token]/q/offer_crm" in record.getMessage()
    assert redact(f"see /a/{token}") == "see /a/[token]"
    assert redact(f"KeyError('{token}')") == "KeyError('[token]')"


def test_tokens_are_compared_in_constant_time(
    store: Store, finished: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import audit.store.tokens as tokens

    calls: list[tuple[bytes, bytes]] = []
    real = tokens.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(tokens.hmac, "compare_digest", spy)
    assert assessments.by_token(store, finished) is not None
    assert calls
