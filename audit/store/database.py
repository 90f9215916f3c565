"""Opening the database: URL, engine settings per dialect, short transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from audit.errors import AuditError, Location

# How long a writer waits for SQLite's write lock before giving up, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 15_000
DATABASE_FILE = "audit.sqlite3"


class StoreError(AuditError):
    """The database cannot be opened, migrated or written."""


def default_database_path() -> Path:
    """`audit.sqlite3` in the user data folder (platformdirs: ~/.local/share/audit on Linux)."""
    from platformdirs import user_data_path

    return user_data_path("audit", appauthor=False) / DATABASE_FILE


def default_database_url() -> str:
    return f"sqlite:///{default_database_path()}"


def database_url(url: str | None) -> URL:
    """The SQLAlchemy URL for `url` (default: the SQLite file in the user data folder).

    `postgresql://` and `postgres://` use psycopg 3. Raises StoreError on an unusable URL.
    """
    text = url or default_database_url()
    if text.startswith("postgres://"):
        text = "postgresql://" + text.removeprefix("postgres://")
    try:
        parsed = make_url(text)
    except ArgumentError:
        raise StoreError(
            "cannot read the database URL",
            Location(field="--database"),
            expected="sqlite:///PATH or postgresql://USER@HOST/NAME",
        ) from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"unsupported database '{parsed.get_backend_name()}'",
            Location(field="--database"),
            expected="sqlite:///PATH or postgresql://USER@HOST/NAME",
        )
    return parsed


def describe_url(url: URL) -> str:
    """Where the data lives, for people: the SQLite file, or the URL without its password."""
    if url.get_backend_name() == "sqlite":
        return str(Path(url.database or "").resolve()) if url.database else "(in memory)"
    return url.render_as_string(hide_password=True)


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (the driver's implicit,
        # deferred BEGIN upgrades to a write lock mid-transaction and can fail at once).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("audit_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Store:
    """An open, migrated database. Thread-safe: each transaction takes its own connection."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self.engine = engine
        self.url = url

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> Store:
        """Open the database at `url` (default: SQLite in the user data folder) and bring
        its schema to the current version. Raises StoreError."""
        parsed = database_url(url)
        try:
            if parsed.get_backend_name() == "sqlite":
                engine = _sqlite_engine(parsed)
            else:
                engine = create_engine(parsed, pool_pre_ping=True)
            store = cls(engine, parsed)
            if migrate:
                from audit.store.migrations import migrate as run_migrations

                try:
                    run_migrations(store)
                except BaseException:
                    engine.dispose()  # a refused database leaves no connection open
                    raise
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot open the database: {_reason(exc)}", Location(file=describe_url(parsed))
            ) from None
        except OSError as exc:
            raise StoreError(
                f"cannot create the database folder: {exc.strerror}",
                Location(file=describe_url(parsed)),
            ) from None
        return store

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    @property
    def where(self) -> str:
        """Where the data lives, for people (no password)."""
        return describe_url(self.url)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A short read transaction."""
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A short write transaction (SQLite: the write lock is taken at BEGIN)."""
        with self.engine.connect() as raw:
            connection = raw.execution_options(audit_write=True)
            with connection.begin():
                yield connection

    def close(self) -> None:
        self.engine.dispose()


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def backup_sqlite(store: Store, target: Path) -> Path:
    """Copy an SQLite store to `target` consistently, even while a server writes to it
    (SQLite's online backup). Raises StoreError for PostgreSQL (use pg_dump) or a bad
    target."""
    import sqlite3

    if store.dialect != "sqlite" or not store.url.database:
        raise StoreError(
            "backup copies an SQLite database; back up PostgreSQL with pg_dump",
            Location(file=store.where),
        )
    if target.exists():
        raise StoreError("the backup file already exists", Location(file=target))
    if not target.parent.is_dir():
        raise StoreError("the backup folder does not exist", Location(file=target))
    source = sqlite3.connect(store.url.database, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target
