"""Agency accounts: Argon2 password hashes, login sessions in the store, throttling."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from audit.store import Store, accounts
from audit.store.accounts import User
from audit.web.site import site_of

SESSION_COOKIE = "audit_agency"
MIN_PASSWORD = 10


@cache
def hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _decoy_hash() -> str:
    # Verified against when the name is unknown, so a wrong name costs as long as a
    # wrong password and the timing does not tell which names exist.
    return hasher().hash("decoy password, never valid")


def hash_password(password: str) -> str:
    return hasher().hash(password)


def check_password(user: User | None, password: str) -> bool:
    try:
        return hasher().verify(user.password_hash if user else _decoy_hash(), password) and (
            user is not None
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def add_user(store: Store, name: str, password: str) -> User:
    """Create an agency account (raise ValueError on a weak password or bad name)."""
    if not name or len(name) > 80 or not name.replace("-", "").replace(".", "").isalnum():
        raise ValueError("a user name is 1-80 letters, digits, dots or hyphens")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    return accounts.add_user(store, name, hash_password(password))


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def throttled(request: Request, name: str) -> bool:
    config = site_of(request).config
    failures = await run_in_threadpool(
        accounts.recent_failures,
        site_of(request).store,
        name,
        client_address(request),
        timedelta(minutes=config.login_window_minutes),
    )
    return failures >= config.login_attempts


async def current_user(request: Request) -> User | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return await run_in_threadpool(accounts.session_user, site_of(request).store, token)
