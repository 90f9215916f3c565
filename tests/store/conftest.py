from __future__ import annotations

from collections.abc import Iterator

import pytest

from audit.store import Store


@pytest.fixture
def store_url(database_url: str) -> str:
    """Every store test runs twice: on an SQLite file, then on a real PostgreSQL database
    (a throw-away cluster, tests/live_servers.py; skipped without Debian's postgresql)."""
    return database_url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    yield opened
    opened.close()
