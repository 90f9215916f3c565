from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

# Real servers (PostgreSQL, `audit serve`, headless Chromium): fixtures in live_servers.py.
pytest_plugins = ["live_servers"]

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MINI_PACK = TESTS / "packs" / "mini"


@pytest.fixture
def mini_pack_dir() -> Path:
    return MINI_PACK


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty content-cache folder of this test's own (`audit.cache`)."""
    from audit import cache

    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_VARIABLE, str(folder))
    return folder


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the files whose YAML is parsed from now on."""
    from audit import yamlread

    names: list[str] = []
    real = yamlread.parse

    def recording(text: str, path: Path | str = "<text>", **options: Any) -> yamlread.Document:
        names.append(str(path))
        return real(text, path, **options)

    monkeypatch.setattr(yamlread, "parse", recording)
    yield names


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """The database the store and web tests run on: a fresh SQLite file by default.

    Override or parametrize this fixture to run the same tests on PostgreSQL (each test
    must then get an empty database).
    """
    return f"sqlite:///{tmp_path / 'audit.sqlite3'}"


# --- Tests write only in temporary folders ---------------------------------------------
# The checkout is photographed when the session starts and compared when it ends: a test
# that creates, changes or deletes a file there (a user's demo-report.pdf, say) fails the
# run. Tool caches are not the tests' doing; Hypothesis keeps its examples in the temp dir.

settings.register_profile(
    "tmp",
    database=DirectoryBasedExampleDatabase(Path(tempfile.gettempdir()) / "audit-hypothesis"),
)
settings.load_profile("tmp")

_CACHES = {".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
_CACHES |= {".hypothesis"}


def checkout_state(root: Path = ROOT) -> dict[str, tuple[int, int]]:
    """Every file of the checkout (outside tool caches) with its size and modification time."""
    state: dict[str, tuple[int, int]] = {}
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [d for d in subfolders if d not in _CACHES]
        for name in files:
            path = Path(folder, name)
            with contextlib.suppress(OSError):
                info = path.lstat()
                state[str(path.relative_to(root))] = (info.st_size, info.st_mtime_ns)
    return state


def checkout_changes(
    before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]
) -> list[str]:
    changes = [f"deleted {p}" for p in sorted(before.keys() - after.keys())]
    changes += [f"created {p}" for p in sorted(after.keys() - before.keys())]
    changes += [
        f"changed {p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]
    ]
    return changes


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_BEFORE] = checkout_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_BEFORE, None)
    if before is None:
        return
    changes = checkout_changes(before, checkout_state())
    if changes:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("Tests wrote in the checkout (they must use tmp_path):", red=True)
            for change in changes:
                reporter.write_line(f"  {change}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_BEFORE = pytest.StashKey[dict[str, tuple[int, int]]]()


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
