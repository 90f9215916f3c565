"""The store: assessments, contact requests and agency accounts in one SQL database.

SQLAlchemy 2 Core over an SQLite file by default (WAL mode, busy timeout) or PostgreSQL by
URL (psycopg 3). The answers file stays the exchange format: an assessment is stored as
the answers-file content (JSON) plus a few indexed columns, so export and import are
lossless.

The API is small and the same on every database:

- `Store.open(url=None)` opens (creating the SQLite file if needed) and migrates the
  schema; `store.read()` / `store.write()` are short transactions (a write on SQLite takes
  the write lock at once, `BEGIN IMMEDIATE`, and waits up to the busy timeout for it).
- `audit.store.assessments`: `create`, `by_token`, `get`, `save`, `change`,
  `change_by_token`, `listing`, `keep_upload`.
- `audit.store.requests`: contact requests (`add`, `listing`).
- `audit.store.accounts`: agency users, login sessions, failed logins (throttling).
- `audit.store.erasure`: `erase` one prospect's data and `log` what was erased.
- `audit.store.migrations.MIGRATIONS`: the ordered schema versions. To change the schema,
  append a `Migration` (never edit a released one) and update `audit.store.schema`, which
  describes the current tables for queries; `tests/store/test_migrations.py` checks the
  two agree.
"""

from audit.store.database import Store, StoreError, default_database_url

__all__ = ["Store", "StoreError", "default_database_url"]
