from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MINI_PACK = TESTS / "packs" / "mini"


@pytest.fixture
def mini_pack_dir() -> Path:
    return MINI_PACK


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """The database the store and web tests run on: a fresh SQLite file by default.

    Override or parametrize this fixture to run the same tests on PostgreSQL (each test
    must then get an empty database).
    """
    return f"sqlite:///{tmp_path / 'audit.sqlite3'}"
