"""The current tables, for queries. Changing them needs a new migration (migrations.py).

Times are ISO 8601 strings in UTC (`2026-11-30T06:00:00+00:00`): they sort as text and
read the same on SQLite and PostgreSQL. Private tokens are never stored, only their
SHA-256 digest, so a copy of the database gives no one a prospect's link or a session.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

TIME = 32  # length of an ISO timestamp column
DIGEST = 64  # hex SHA-256

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied", String(TIME), nullable=False),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(DIGEST), nullable=False, unique=True),
    Column("pack", String(64), nullable=False),
    Column("pack_version", String(32), nullable=False),
    Column("company", String(200), nullable=False, index=True),
    Column("language", String(2), nullable=False),
    Column("mode", String(8), nullable=False),
    Column("status", String(16), nullable=False, index=True),  # in_progress | complete
    Column("source", String(16), nullable=False),  # web | import
    Column("answers", Text, nullable=False),  # the answers file's content, as JSON
    Column("summary", Text),  # JSON {solution: verdict} once complete
    Column("contact_requested", Boolean, nullable=False, default=False),
    Column("created", String(TIME), nullable=False),
    Column("updated", String(TIME), nullable=False, index=True),
)

uploads = Table(
    "uploads",
    metadata,
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
    Column("created", String(TIME), nullable=False),
)

contact_requests = Table(
    "contact_requests",
    metadata,
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
    Column("consented", String(TIME), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("created", String(TIME), nullable=False),
)

agency_sessions = Table(
    "agency_sessions",
    metadata,
    Column("token_hash", String(DIGEST), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created", String(TIME), nullable=False),
    Column("expires", String(TIME), nullable=False),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, index=True),
    Column("client", String(64), nullable=False, index=True),
    Column("at", String(TIME), nullable=False, index=True),
)

erasures = Table(
    "erasures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(TIME), nullable=False),
    Column("by_user", String(80), nullable=False),
    Column("assessment_id", Integer, nullable=False),
    Column("erased", Text, nullable=False),  # what was erased (counts), never the data
)


# The agency's past assessments (audit portfolio), for benchmarks. A client is known only by
# `client_key`, a SHA-256 of its name's slug: a benchmark can leave the client out of its
# own peers without the table naming anyone.
portfolio = Table(
    "portfolio",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client_key", String(DIGEST), nullable=False, index=True),
    Column("pack", String(64), nullable=False),
    Column("size_band", String(64), nullable=False, index=True),  # company_size choice id
    Column("sector", String(64), nullable=False),  # sector choice id
    Column("assessed", String(TIME), nullable=False),
    Column("scores", Text, nullable=False),  # JSON {dimension: score 0-100}
    Column("added", String(TIME), nullable=False),
    UniqueConstraint("client_key", "assessed", name="portfolio_once"),
)
