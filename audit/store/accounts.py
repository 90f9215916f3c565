"""Agency accounts: users (password hashes only), login sessions, failed logins.

Hashing is the caller's (the web layer uses Argon2); the store keeps what it is given.
Sessions and failures live in the database, so several instances behind a load balancer
share them: a login on one is valid on all, and throttling counts every instance's tries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from audit.session.answers import now
from audit.store.database import Store, StoreError
from audit.store.schema import agency_sessions, login_failures, users
from audit.store.tokens import digest, new_token, plausible, same_digest


@dataclass(frozen=True)
class User:
    id: int
    name: str
    password_hash: str


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def add_user(store: Store, name: str, password_hash: str) -> User:
    """Create an agency user; raise StoreError if the name is taken."""
    try:
        with store.write() as connection:
            result = connection.execute(
                insert(users).values(name=name, password_hash=password_hash, created=now())
            )
            key = result.inserted_primary_key
            assert key is not None
    except IntegrityError:
        raise StoreError(f"an agency user named '{name}' already exists") from None
    return User(int(key[0]), name, password_hash)


def set_password(store: Store, name: str, password_hash: str) -> None:
    """Replace a user's password hash (and end their sessions); raise KeyError if unknown."""
    with store.write() as connection:
        result = connection.execute(
            update(users).where(users.c.name == name).values(password_hash=password_hash)
        )
        if result.rowcount != 1:
            raise KeyError(name)
        user_id = connection.execute(select(users.c.id).where(users.c.name == name)).scalar_one()
        connection.execute(delete(agency_sessions).where(agency_sessions.c.user_id == user_id))


def user_by_name(store: Store, name: str) -> User | None:
    with store.read() as connection:
        row = connection.execute(select(users).where(users.c.name == name)).first()
    return None if row is None else User(row.id, row.name, row.password_hash)


def open_session(store: Store, user: User, lifetime: timedelta) -> str:
    """A new login session for `user`; return its token (the cookie's value)."""
    token = new_token()
    start = datetime.now(UTC)
    with store.write() as connection:
        connection.execute(
            insert(agency_sessions).values(
                token_hash=digest(token),
                user_id=user.id,
                created=_stamp(start),
                expires=_stamp(start + lifetime),
            )
        )
    return token


def session_user(store: Store, token: str) -> User | None:
    """The user a session token belongs to, or None (unknown, malformed or expired)."""
    if not plausible(token):
        return None
    with store.read() as connection:
        row = connection.execute(
            select(agency_sessions, users.c.name, users.c.password_hash)
            .join(users, users.c.id == agency_sessions.c.user_id)
            .where(agency_sessions.c.token_hash == digest(token))
        ).first()
    if row is None or not same_digest(row.token_hash, token) or row.expires <= now():
        return None
    return User(row.user_id, row.name, row.password_hash)


def close_session(store: Store, token: str) -> None:
    with store.write() as connection:
        connection.execute(
            delete(agency_sessions).where(agency_sessions.c.token_hash == digest(token))
        )


def record_failure(store: Store, name: str, client: str) -> None:
    """Remember a failed login for `name` from `client` (an address), for throttling."""
    with store.write() as connection:
        connection.execute(
            insert(login_failures).values(name=name[:80], client=client[:64], at=now())
        )


def recent_failures(store: Store, name: str, client: str, window: timedelta) -> int:
    """Failed logins in the last `window` for this name or from this client."""
    since = _stamp(datetime.now(UTC) - window)
    with store.read() as connection:
        return int(
            connection.execute(
                select(func.count())
                .select_from(login_failures)
                .where(login_failures.c.at >= since)
                .where(
                    or_(login_failures.c.name == name[:80], login_failures.c.client == client[:64])
                )
            ).scalar_one()
        )


def clear_failures(store: Store, name: str) -> None:
    """Forget a name's failures after a successful login; drop day-old ones."""
    old = _stamp(datetime.now(UTC) - timedelta(days=1))
    with store.write() as connection:
        connection.execute(
            delete(login_failures).where(
                or_(login_failures.c.name == name[:80], login_failures.c.at < old)
            )
        )
