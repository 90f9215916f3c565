from __future__ import annotations

from pathlib import Path

import pytest

# Real servers (PostgreSQL, `audit serve`, headless Chromium): fixtures in live_servers.py.
pytest_plugins = ["live_servers"]

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MINI_PACK = TESTS / "packs" / "mini"


@pytest.fixture
def mini_pack_dir() -> Path:
    return MINI_PACK
