"""What protects every page: headers, CSRF, body limits, the 500 page, log redaction.

Everything a prospect sends is untrusted. Pure ASGI middleware, so streaming bodies are
counted as they arrive and nothing is buffered before the size check.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("audit.web")

CSRF_COOKIE = "audit_csrf"
CSRF_FIELD = "csrf_token"

# No inline script anywhere, no framing, forms only to ourselves.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}

_TOKEN_IN_PATH = re.compile(r"/a/[A-Za-z0-9_-]{8,}")
# A bare token (an exception message, a cookie): 43 URL-safe base64 characters.
_BARE_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


def redact(text: str) -> str:
    """`text` with private tokens (in assessment URLs, or bare) replaced by a placeholder."""
    return _BARE_TOKEN.sub("[token]", _TOKEN_IN_PATH.sub("/a/[token]", text))


class RedactTokens(logging.Filter):
    """Keeps private links out of logs (uvicorn's access log prints every path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def cookie_value(scope: Scope, name: str) -> str | None:
    """The cookie `name` from the request's Cookie headers (Starlette's lenient parser,
    the one `request.cookies` uses: a malformed pair is skipped, never an error)."""
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            found = cookie_parser(value.decode("latin-1")).get(name)
            if found is not None:
                return found
    return None


def is_https(scope: Scope) -> bool:
    return scope.get("scheme") == "https"


def cookie_header(name: str, value: str, scope: Scope, *, max_age: int | None = None) -> str:
    """A Set-Cookie value: HttpOnly, SameSite=Lax, Secure when served over HTTPS."""
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if is_https(scope):
        parts.append("Secure")
    return "; ".join(parts)


class SecurityHeaders:
    """Adds the security headers (and HSTS over HTTPS); a response may set its own CSP."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in HEADERS.items():
                    headers.setdefault(key, value)
                headers.setdefault("content-security-policy", CSP)
                if is_https(scope):
                    headers.setdefault("strict-transport-security", "max-age=31536000")
                path = scope.get("path", "")
                if path.startswith(("/a/", "/agency")):
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CsrfCookie:
    """Gives every visitor a random CSRF token cookie (double-submit): forms carry it in a
    hidden field and `check_csrf` compares the two on every POST."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        current = cookie_value(scope, CSRF_COOKIE)
        fresh = current is None or not 20 <= len(current) <= 100
        token = secrets.token_urlsafe(32) if fresh else current
        scope.setdefault("state", {})["csrf"] = token
        scope["state"]["csrf_cookie"] = None if fresh else current

        async def send_with_cookie(message: Message) -> None:
            if fresh and message["type"] == "http.response.start":
                MutableHeaders(scope=message).append(
                    "set-cookie", cookie_header(CSRF_COOKIE, str(token), scope)
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def csrf_ok(scope: Scope, submitted: object) -> bool:
    """Whether a submitted form token matches the visitor's cookie (constant time)."""
    cookie = scope.get("state", {}).get("csrf_cookie")
    if not cookie or not isinstance(submitted, str) or not submitted:
        return False
    return hmac.compare_digest(cookie.encode(), submitted.encode())


class _TrackedSend:
    """`send` that remembers whether the response has started (after which an error page
    can no longer replace it)."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)


async def _send_page(
    send: Send, status: int, body: bytes, content_type: str, *extra: tuple[bytes, bytes]
) -> None:
    """A whole response rendered in advance: start, then the body."""
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


ErrorRenderer = Callable[[Scope, int, dict[str, Any]], Awaitable[tuple[bytes, str]]]


class BodyLimit:
    """Refuses a request body over its limit with 413 and a clear page, before and while
    it streams in (a lying or missing Content-Length is caught by counting)."""

    def __init__(
        self,
        app: ASGIApp,
        limit_for: Callable[[str], int],
        render: ErrorRenderer,
    ) -> None:
        self.app = app
        self.limit_for = limit_for
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(scope, send, limit)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        tracked = _TrackedSend(send)
        try:
            await self.app(scope, counted_receive, tracked)
        except BodyTooLarge:
            if tracked.started:
                raise
            await self._refuse(scope, send, limit)

    async def _refuse(self, scope: Scope, send: Send, limit: int) -> None:
        body, content_type = await self.render(scope, 413, {"limit": limit})
        await _send_page(send, 413, body, content_type, (b"connection", b"close"))


class ErrorPage:
    """Never a traceback on a page: an unexpected error is logged with an id (and the
    traceback), and the visitor gets the 500 page showing that id."""

    def __init__(self, app: ASGIApp, render: ErrorRenderer) -> None:
        self.app = app
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracked = _TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except Exception:
            error_id = uuid.uuid4().hex[:12]
            log.exception(
                "error %s on %s %s", error_id, scope.get("method"), redact(scope.get("path", ""))
            )
            if tracked.started:
                return
            body, content_type = await self.render(scope, 500, {"error_id": error_id})
            await _send_page(
                send,
                500,
                body,
                content_type,
                (b"content-security-policy", CSP.encode()),
                (b"x-content-type-options", b"nosniff"),
            )
