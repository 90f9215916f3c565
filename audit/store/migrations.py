"""Schema versions, applied in order when the store opens. Never a silent drop.

`MIGRATIONS` is an ordered list: to change the schema, append a `Migration` with the next
version and a function that takes a connection inside a transaction (never edit one that
has shipped), then update `audit.store.schema`. Each migration runs in its own transaction
with its version row, so a failure leaves the database at the previous version. A
database newer than this program (a version we do not know) is refused, not downgraded.
Several instances starting together on PostgreSQL take an advisory lock; on SQLite the
write transaction (BEGIN IMMEDIATE) serialises them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    insert,
    inspect,
    select,
    text,
)

from audit.errors import Location
from audit.session.answers import now
from audit.store.database import StoreError
from audit.store.schema import schema_migrations

if TYPE_CHECKING:
    from audit.store.database import Store

# An arbitrary constant naming our advisory lock on PostgreSQL.
_PG_LOCK = 0x617564_6974


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _v1_web(connection: Connection) -> None:
    """Assessments, uploads, contact requests, agency accounts, erasure log (frozen copy)."""
    m = MetaData()
    t = 32
    Table(
        "assessments",
        m,
        Column("id", Integer, primary_key=True),
        Column("token_hash", String(64), nullable=False, unique=True),
        Column("pack", String(64), nullable=False),
        Column("pack_version", String(32), nullable=False),
        Column("company", String(200), nullable=False, index=True),
        Column("language", String(2), nullable=False),
        Column("mode", String(8), nullable=False),
        Column("status", String(16), nullable=False, index=True),
        Column("source", String(16), nullable=False),
        Column("answers", Text, nullable=False),
        Column("summary", Text),
        Column("contact_requested", Boolean, nullable=False, default=False),
        Column("created", String(t), nullable=False),
        Column("updated", String(t), nullable=False, index=True),
    )
    Table(
        "uploads",
        m,
        Column("id", Integer, primary_key=True),
        Column(
            "assessment_id",
            Integer,
            ForeignKey("assessments.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        Column("filename", String(255), nullable=False),
        Column("content", LargeBinary, nullable=False),
        Column("created", String(t), nullable=False),
    )
    Table(
        "contact_requests",
        m,
        Column("id", Integer, primary_key=True),
        Column(
            "assessment_id",
            Integer,
            ForeignKey("assessments.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        Column("name", String(200), nullable=False),
        Column("company", String(200), nullable=False),
        Column("email", String(320), nullable=False),
        Column("phone", String(40), nullable=False),
        Column("language", String(2), nullable=False),
        Column("consent_text", Text, nullable=False),
        Column("consent_version", String(32), nullable=False),
        Column("consented", String(t), nullable=False),
    )
    Table(
        "users",
        m,
        Column("id", Integer, primary_key=True),
        Column("name", String(80), nullable=False, unique=True),
        Column("password_hash", String(255), nullable=False),
        Column("created", String(t), nullable=False),
    )
    Table(
        "agency_sessions",
        m,
        Column("token_hash", String(64), primary_key=True),
        Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        Column("created", String(t), nullable=False),
        Column("expires", String(t), nullable=False),
    )
    Table(
        "login_failures",
        m,
        Column("id", Integer, primary_key=True),
        Column("name", String(80), nullable=False, index=True),
        Column("client", String(64), nullable=False, index=True),
        Column("at", String(t), nullable=False, index=True),
    )
    Table(
        "erasures",
        m,
        Column("id", Integer, primary_key=True),
        Column("at", String(t), nullable=False),
        Column("by_user", String(80), nullable=False),
        Column("assessment_id", Integer, nullable=False),
        Column("erased", Text, nullable=False),
    )
    m.create_all(connection)


def _v2_portfolio(connection: Connection) -> None:
    """The agency's past assessments, for benchmarks: no company name, only a digest."""
    m = MetaData()
    Table(
        "portfolio",
        m,
        Column("id", Integer, primary_key=True),
        Column("client_key", String(64), nullable=False, index=True),
        Column("pack", String(64), nullable=False),
        Column("size_band", String(64), nullable=False, index=True),
        Column("sector", String(64), nullable=False),
        Column("assessed", String(32), nullable=False),
        Column("scores", Text, nullable=False),
        Column("added", String(32), nullable=False),
        UniqueConstraint("client_key", "assessed", name="portfolio_once"),
    )
    m.create_all(connection)


MIGRATIONS: list[Migration] = [
    Migration(1, "web: assessments, contact requests, agency accounts", _v1_web),
    Migration(2, "portfolio: past assessments for benchmarks", _v2_portfolio),
]


def latest_version() -> int:
    return MIGRATIONS[-1].version if MIGRATIONS else 0


def current_version(connection: Connection) -> int:
    """The schema version recorded in the database (0 for an empty database)."""
    if not inspect(connection).has_table("schema_migrations"):
        return 0
    return int(connection.execute(select(func.max(schema_migrations.c.version))).scalar() or 0)


def migrate(store: Store) -> list[Migration]:
    """Apply the pending migrations in order; return those applied. Raises StoreError."""
    versions = [m.version for m in MIGRATIONS]
    if versions != sorted(set(versions)):
        raise StoreError("migrations are not in increasing order of version")  # a bug of ours
    applied: list[Migration] = []
    with store.write() as connection:
        _lock(store, connection)
        schema_migrations.create(connection, checkfirst=True)
        found = current_version(connection)
    if found > latest_version():
        raise StoreError(
            f"the database is at schema version {found}, newer than this program knows "
            f"({latest_version()})",
            Location(file=store.where),
            expected="a newer version of audit (nothing was changed)",
        )
    for migration in MIGRATIONS:
        with store.write() as connection:
            _lock(store, connection)
            if current_version(connection) >= migration.version:
                continue  # another instance applied it meanwhile
            migration.apply(connection)
            connection.execute(
                insert(schema_migrations).values(
                    version=migration.version, name=migration.name, applied=now()
                )
            )
            applied.append(migration)
    return applied


def _lock(store: Store, connection: Connection) -> None:
    if store.dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
