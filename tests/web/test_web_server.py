"""The real program: `audit serve` with no option, driven over loopback HTTP."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.mark.slow
def test_serve_starts_with_no_option_and_keeps_links_out_of_its_log(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    audit = str(Path(sys.executable).with_name("audit"))
    server = subprocess.Popen(
        [audit, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None
            try:
                opener.open(f"{base}/", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.3)
        csrf = next(c.value for c in jar if c.name == "audit_csrf")
        form = urllib.parse.urlencode({"csrf_token": csrf, "company": "Acme", "lang": "en"})
        try:
            opener.open(f"{base}/start", data=form.encode(), timeout=10)
            raise AssertionError("expected a redirect")
        except urllib.error.HTTPError as redirect:
            assert redirect.code == 303
            location = redirect.headers["location"]
        token = re.search(r"/a/([A-Za-z0-9_-]{43})", location)
        assert token is not None
        try:
            opener.open(f"{base}{location}", timeout=10)
            raise AssertionError("expected a redirect to the first question")
        except urllib.error.HTTPError as to_question:
            assert to_question.code == 303
            question = to_question.headers["location"]
        page = opener.open(f"{base}{question}", timeout=10).read().decode()
        assert token.group(1) in page  # the prospect sees the link to keep
    finally:
        server.send_signal(signal.SIGINT)
        output = server.communicate(timeout=60)[0]
    assert f"{base}/" in output
    assert f"Data: {tmp_path / 'data' / 'audit' / 'audit.sqlite3'}" in output
    assert "/a/[token]" in output  # the access log saw the requests...
    assert token.group(1) not in output  # ...but never the private link
