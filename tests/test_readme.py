"""Every command the README shows runs as documented.

The README's shell blocks are extracted and each command is executed:
- `make demo` for real (it writes the demo PDF);
- `make test` as a dry run (`make -n`): running the whole suite from inside itself would
  recurse; the dry run proves the target runs pytest, ruff and mypy;
- `audit run ...` (interactive) without a terminal: it must refuse with exit 2 and the
  documented message, not a usage error;
- every other command for real, in a scratch folder that links to the shipped content.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            command = line.split("  #")[0].split(" # ")[0].strip()
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


def _bin(name: str) -> str:
    local = ROOT / ".venv" / "bin" / name
    return str(local if local.exists() else Path(sys.executable).parent / name)


def _argv(command: str) -> list[str]:
    argv = shlex.split(command)
    if argv[0].startswith(".venv/bin/"):
        argv[0] = _bin(argv[0].removeprefix(".venv/bin/"))
    return argv


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    for name in ("questionnaires", "scripts", "reports"):
        (tmp_path / name).symlink_to(ROOT / name)
    return tmp_path


def test_readme_shows_the_two_setup_commands() -> None:
    commands = readme_commands()
    assert commands[:2] == ["make demo", "make test"]


def test_make_test_runs_pytest_ruff_and_mypy() -> None:
    result = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "test"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    for tool in ("pytest", "ruff check .", "ruff format --check .", "mypy audit"):
        assert tool in result.stdout


def _state(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


@pytest.mark.slow
def test_make_demo_writes_the_demo_pdf_and_leaves_the_checkouts_alone(tmp_path: Path) -> None:
    # `make demo` runs in a scratch folder (the Makefile and venv of the checkout), so the
    # demo-report.pdf a user made in the checkout is neither deleted nor replaced.
    (tmp_path / "pyproject.toml").symlink_to(ROOT / "pyproject.toml")
    users_pdf = ROOT / "demo-report.pdf"
    before = _state(users_pdf)
    env = {**os.environ, "PATH": f"{Path(_bin('python')).parent}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["make", "-s", "-f", str(ROOT / "Makefile"), f"VENV={ROOT / '.venv'}", "demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "demo-report.pdf").read_bytes().startswith(b"%PDF")
    assert "demo-report.pdf" in result.stdout
    assert _state(users_pdf) == before


OTHER = [c for c in readme_commands() if not c.startswith("make ")]


@pytest.mark.slow
@pytest.mark.parametrize("command", OTHER)
def test_readme_command_runs(command: str, scratch: Path) -> None:
    if _argv(command)[1:2] == ["serve"]:
        _run_serve(command, scratch)
        return
    result = subprocess.run(
        _argv(command),
        cwd=scratch,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    output = result.stdout + result.stderr
    if " run " in f" {command} " and "--non-interactive" not in command:
        # Interactive: without a terminal it refuses clearly instead of waiting for keys.
        assert result.returncode == 2, output
        assert "Usage:" not in output
        assert "terminal" in output.lower()
        return
    assert result.returncode == 0, output
    for written in re.findall(r"-o (\S+)", command):
        assert (scratch / written).stat().st_size > 0


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run_serve(command: str, scratch: Path) -> None:
    """`audit serve ...`: subcommands run (a password on standard input); the server itself
    starts on a free loopback port, answers, and is stopped. Data goes to the scratch
    folder, never to the user data folder."""
    import signal
    import time
    import urllib.request

    env = {**os.environ, "XDG_DATA_HOME": str(scratch / "data")}
    argv = _argv(command)
    if len(argv) > 2 and not argv[2].startswith("-"):  # add-user, backup
        result = subprocess.run(
            argv,
            cwd=scratch,
            input="a long enough password\n",
            capture_output=True,
            text=True,
            check=False,
            env=env,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return
    port = _free_port()
    if "--port" in argv:
        argv[argv.index("--port") + 1] = str(port)
    else:
        argv += ["--port", str(port)]
    server = subprocess.Popen(
        argv, cwd=scratch, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.communicate()[0]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    assert page.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "audit serve did not answer in 60 s"
                time.sleep(0.3)
    finally:
        server.send_signal(signal.SIGINT)
        output = server.communicate(timeout=60)[0]
    assert f"http://127.0.0.1:{port}/" in output and "Data: " in output, output
