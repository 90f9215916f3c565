"""Opening a database migrates it; the schema agrees with the code; nothing is dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert, inspect, select, text

from audit.store import Store, StoreError
from audit.store.database import database_url, default_database_path
from audit.store.migrations import MIGRATIONS, current_version, latest_version
from audit.store.schema import metadata, schema_migrations


def test_a_new_database_is_migrated_to_the_latest_version(store: Store) -> None:
    with store.read() as connection:
        assert current_version(connection) == latest_version() == MIGRATIONS[-1].version
        versions = connection.execute(select(schema_migrations.c.version)).scalars().all()
    assert versions == [m.version for m in MIGRATIONS]


def test_the_migrated_tables_are_the_ones_queries_use(store: Store) -> None:
    found = inspect(store.engine)
    for table in metadata.sorted_tables:
        columns = {c["name"] for c in found.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name


def test_reopening_applies_nothing_and_keeps_the_data(store_url: str, store: Store) -> None:
    with store.write() as connection:
        connection.execute(
            text("INSERT INTO users (name, password_hash, created) VALUES ('ann', 'h', 't')")
        )
    again = Store.open(store_url)
    with again.read() as connection:
        assert connection.execute(text("SELECT name FROM users")).scalars().all() == ["ann"]
        assert current_version(connection) == latest_version()
    again.close()


def test_a_database_newer_than_the_program_is_refused_untouched(
    store_url: str, store: Store
) -> None:
    future = latest_version() + 1
    with store.write() as connection:
        connection.execute(
            insert(schema_migrations).values(version=future, name="from the future", applied="t")
        )
    with pytest.raises(StoreError, match=f"schema version {future}") as caught:
        Store.open(store_url)
    assert "newer" in str(caught.value)
    with store.read() as connection:
        assert current_version(connection) == future
        assert inspect(connection).has_table("assessments")


def test_migrations_are_an_ordered_list_of_versions() -> None:
    versions = [m.version for m in MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))
    assert all(m.name for m in MIGRATIONS)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with store.read() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert int(connection.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 5000
    store.close()


def test_the_default_database_lives_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_database_path() == tmp_path / "data" / "audit" / "audit.sqlite3"
    store = Store.open()
    assert Path(store.where) == tmp_path / "data" / "audit" / "audit.sqlite3"
    assert Path(store.where).is_file()
    store.close()


def test_postgresql_urls_use_psycopg_3() -> None:
    assert database_url("postgresql://u@db/audit").drivername == "postgresql+psycopg"
    assert database_url("postgres://u@db/audit").drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url", ["nonsense", "mysql://u@h/db"])
def test_an_unusable_url_is_a_clear_error(url: str) -> None:
    with pytest.raises(StoreError, match="database") as caught:
        Store.open(url)
    assert "postgresql://" in str(caught.value)


def test_an_unreachable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot"):
        Store.open(f"sqlite:///{blocker / 'sub' / 'db.sqlite3'}")


def test_an_sqlite_store_is_backed_up_while_open(store: Store, tmp_path: Path) -> None:
    from audit.store.database import backup_sqlite

    with store.write() as connection:
        connection.execute(
            text("INSERT INTO users (name, password_hash, created) VALUES ('ann', 'h', 't')")
        )
    if store.dialect != "sqlite":
        with pytest.raises(StoreError, match="pg_dump"):
            backup_sqlite(store, tmp_path / "copy.sqlite3")
        return
    copy = backup_sqlite(store, tmp_path / "copy.sqlite3")
    restored = Store.open(f"sqlite:///{copy}")
    with restored.read() as connection:
        assert connection.execute(text("SELECT name FROM users")).scalars().all() == ["ann"]
    restored.close()
    with pytest.raises(StoreError, match="already exists"):
        backup_sqlite(store, copy)
