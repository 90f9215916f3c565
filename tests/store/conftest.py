from __future__ import annotations

from collections.abc import Iterator

import pytest

from audit.store import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    yield opened
    opened.close()
