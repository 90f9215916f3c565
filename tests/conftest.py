from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MINI_PACK = TESTS / "packs" / "mini"


@pytest.fixture
def mini_pack_dir() -> Path:
    return MINI_PACK


@pytest.fixture(autouse=True, scope="session")
def _pack_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The pack cache (`audit.cache`) lives in a temporary folder for the whole session,
    for the tests and for the programs they start (the variable is inherited)."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("AUDIT_CACHE_DIR")
    os.environ["AUDIT_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["AUDIT_CACHE_DIR"]
    else:
        os.environ["AUDIT_CACHE_DIR"] = previous
