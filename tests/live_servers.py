"""Real servers for the tests: a throw-away PostgreSQL cluster, `audit serve`, headless Chromium.

Registered as a pytest plugin by tests/conftest.py. Each fixture starts its program from the
machine's own binaries, with its data in a temporary folder, listening on 127.0.0.1 only,
and stops it (and deletes its data) at the end.

When a program is missing (a developer's machine without Debian's `postgresql`, `chromium`,
`chromium-driver` or the axe-core npm package that `make test` installs) the tests that need
it are skipped with the reason. Under CI (`CI` set in the environment) they fail instead:
CI installs everything through `make test`, so a missing program there is a bug, not a skip.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
AUDIT = Path(sys.executable).with_name("audit")
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE_CORE = ROOT / ".venv" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 30.0


def missing(what: str) -> None:
    """Skip the test for a program `make test` installs; fail under CI, where it must be there."""
    message = f"{what} (`make test` installs it as root)"
    if os.environ.get("CI"):
        pytest.fail(f"missing in CI: {message}")
    pytest.skip(f"missing: {message}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- PostgreSQL --------------------------------------------------------------------------


def postgres_bin() -> Path | None:
    """The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin)."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")]
    if not found:
        return None
    return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)


@dataclass
class PostgresCluster:
    """A cluster started with the server's own initdb/pg_ctl, as an unprivileged user."""

    bin: Path
    base: Path
    port: int
    user: str | None  # the OS user that runs the server when we are root
    role: str = "audit"
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.base / "data"

    def run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / tool), *args],
            user=self.user,
            cwd=self.base,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )

    def start(self) -> None:
        self.run(
            "initdb", "-D", str(self.data), "-U", self.role, "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        # Durability settings off: the cluster lives for one test session; the crash tests
        # kill `audit serve`, never PostgreSQL.
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.base} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.base / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError):
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str) -> str:
        """The URL a user would give `audit serve --database`."""
        return f"postgresql://{self.role}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        name = f"audit_test_{next(self._names)}"
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.role, name)
        return self.url(name)


# Stops the cluster and deletes its folder if the test session dies without its teardown
# (a pytest killed by a timeout or SIGKILL); exits by itself after a normal teardown.
_WATCHDOG = """
import os, shutil, subprocess, sys, time
pid, pg_ctl, data, base, user = int(sys.argv[1]), *sys.argv[2:5], sys.argv[5] or None
while os.path.exists(data):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        subprocess.run([pg_ctl, "-D", data, "-m", "immediate", "stop"], user=user,
                       capture_output=True, timeout=60, check=False)
        shutil.rmtree(base, ignore_errors=True)
        break
    time.sleep(1)
"""


def _unprivileged_user() -> str | None:
    """PostgreSQL refuses to run as root: when we are root, run it as `postgres` or `nobody`."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    pytest.fail("running as root and neither a `postgres` nor a `nobody` user exists")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    bin_dir = postgres_bin()
    if bin_dir is None:
        missing("PostgreSQL server (Debian package postgresql)")
        raise AssertionError("unreachable")
    user = _unprivileged_user()
    # Directly under /tmp, not in pytest's tmp folder: that one is private to root (0700) and
    # the server's user must reach its data folder.
    base = Path(tempfile.mkdtemp(prefix="audit-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    cluster = PostgresCluster(bin=bin_dir, base=base, port=free_port(), user=user)
    try:
        cluster.start()
    except subprocess.CalledProcessError as error:
        log = base / "server.log"
        shutil.rmtree(base, ignore_errors=True)
        details = log.read_text() if log.exists() else ""
        pytest.fail(f"PostgreSQL did not start: {error.stderr}{details}")
    watchdog = subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(bin_dir / "pg_ctl"),
         str(cluster.data), str(base), user or ""],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)
        watchdog.kill()
        watchdog.wait(timeout=30)


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> str:
    """A new, empty database on the throw-away cluster: `postgresql://audit@127.0.0.1:PORT/NAME`."""
    return postgres_cluster.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database for the store: an SQLite file, then a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audit.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


# --- audit serve -------------------------------------------------------------------------


@dataclass
class LiveServer:
    """`audit serve` in a subprocess on 127.0.0.1; can be killed and started again."""

    home: Path
    database: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    group: int | None = None  # process group of the last start (the server and its workers)
    extra_args: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        # Data, config and caches in the test's folder, never the user's.
        return {
            **os.environ,
            "HOME": str(self.home),
            "XDG_DATA_HOME": str(self.home / "data"),
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "XDG_CACHE_HOME": str(self.home / "cache"),
        }

    def audit(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run an `audit` command with the server's environment (e.g. `serve add-user`)."""
        return subprocess.run(
            [str(AUDIT), *args],
            env=self.env,
            cwd=self.home,
            input=input,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def add_user(self, name: str, password: str) -> None:
        # Without a terminal, `add-user` reads the password from standard input.
        done = self.audit("serve", "--database", self.database, "add-user", name, input=password)
        assert done.returncode == 0, done.stdout + done.stderr

    def start(self) -> None:
        assert self.process is None
        log = (self.home / "server.log").open("ab")
        self.process = subprocess.Popen(
            [str(AUDIT), "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--database", self.database, *self.extra_args],
            env=self.env, cwd=self.home, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: its PDF workers, and nothing else
        )  # fmt: skip
        self.group = self.process.pid
        log.close()
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"audit serve exited {self.process.returncode}:\n{self.log}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/healthz", timeout=2.0).status_code == 200:
                    return
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"audit serve did not answer in {SERVER_START_TIMEOUT} s:\n{self.log}")

    @property
    def log(self) -> str:
        path = self.home / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the server process alone: no shutdown handler runs, as in an OOM kill."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def survivors(self) -> list[int]:
        """Processes left in the group of the last start (e.g. PDF workers of a killed server)."""
        if self.group is None:
            return []
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == self.group and fields[0] != "Z":
                    found.append(int(stat.parent.name))
        return found

    def reap(self) -> None:
        """End what is left of the last start's process group (ours alone)."""
        if self.group is not None and self.survivors():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.group, signal.SIGKILL)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
            self.process = None
        self.reap()


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Factory: `make_server(database=None, *extra_args)` -> a started `audit serve`."""
    servers: list[LiveServer] = []

    def make(database: str | None = None, *extra_args: str) -> LiveServer:
        home = tmp_path / f"server-{len(servers) + 1}"
        home.mkdir()
        server = LiveServer(
            home=home,
            database=database or f"sqlite:///{home / 'audit.db'}",
            extra_args=extra_args,
        )
        servers.append(server)
        server.start()
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(make_server: Callable[..., LiveServer]) -> LiveServer:
    """`audit serve` on an SQLite file in the test's folder."""
    return make_server()


# --- headless Chromium -------------------------------------------------------------------


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[Callable[..., object]]:
    """Factory: `chromium(width, height, language)` -> a Selenium driver on headless Chromium.

    The viewport is set with device-metrics emulation, so 390x844 is the page's real size
    (a phone, with its meta viewport honoured) and 1280x800 a laptop's. Downloads go to
    `driver.download_dir`. Every driver is quit at the end of the test.
    """
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        missing("Chromium and ChromeDriver (Debian packages chromium, chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    drivers: list[webdriver.Chrome] = []

    def launch(width: int, height: int, language: str) -> webdriver.Chrome:
        profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=tmp_path))
        downloads = profile / "downloads"
        downloads.mkdir()
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile / 'profile'}")
        options.add_argument(f"--lang={language.split(',')[0]}")  # the browser's own UI
        options.add_argument(f"--window-size={width},{height}")
        options.add_experimental_option(
            "prefs",
            {
                "intl.accept_languages": language,
                "download.default_directory": str(downloads),
                "download.prompt_for_download": False,
                "plugins.always_open_pdf_externally": True,
            },
        )
        service = Service(executable_path=str(CHROMEDRIVER), log_output=str(profile / "driver.log"))
        driver = webdriver.Chrome(options=options, service=service)
        drivers.append(driver)
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior",
            {"behavior": "allow", "downloadPath": str(downloads)},
        )
        driver.download_dir = downloads  # type: ignore[attr-defined]
        return driver

    yield launch
    for driver in drivers:
        if not getattr(driver, "audit_closed", False):
            with contextlib.suppress(Exception):
                driver.quit()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script (the npm package `make test` installs), injected into each page."""
    path = Path(os.environ.get("AXE_CORE_JS", AXE_CORE))
    if not path.exists():
        missing(f"axe-core ({path})")
    return path.read_text(encoding="utf-8")
