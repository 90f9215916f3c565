"""Hostile answers cannot inject markup, read local files or reach the network."""

from __future__ import annotations

import io
import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from audit.report.context import build_context
from audit.report.fetcher import RefusedURL, allowed_path
from audit.report.formats import ReportFormat
from audit.report.formats.pdf import layout
from audit.report.theme import load_theme
from audit.report.writer import render_report
from audit.resources import reports_dir

FIXTURES = Path(__file__).parent / "fixtures"
SCRIPT = "<script>alert('x')</script>"
ATTACH = '<link rel="attachment" href="file:///etc/passwd">'
METADATA = '<img src="http://169.254.169.254/latest/meta-data/">'
TEMPLATE = "{{ 7*7 }}"
PASSWD_LINE = "root:x:0:0"


def hostile_assessment() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "assessment_en.json").read_text("utf-8"))
    data["client"]["name"] = f"Acme {SCRIPT} {TEMPLATE}"
    data["consultant"] = ATTACH
    question = data["answers"][0]["questions"][0]
    question["answer"] = METADATA
    question["note"] = f"{ATTACH} {TEMPLATE}"
    data["verdicts"]["crm"]["headline"] = f"{METADATA} {TEMPLATE}"
    data["findings"][0]["title"] = ATTACH
    return data


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record (and refuse) every attempt to open a network connection."""
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any, *args: Any) -> None:
        attempts.append(address)
        raise OSError("network disabled in tests")

    def refuse_create(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        attempts.append(address)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse_create)
    return attempts


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_html_escapes_everything_from_the_answers() -> None:
    html = render_report(hostile_assessment(), ReportFormat.HTML, "en").decode("utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'rel="attachment"' not in html and "file:///etc/passwd" in html
    assert '<img src="http://169.254' not in html
    assert TEMPLATE in html and "49" not in html.split()


def test_markdown_escapes_markup() -> None:
    text = render_report(hostile_assessment(), ReportFormat.MARKDOWN, "en").decode("utf-8")
    assert not re.search(r"(?<!\\)<(script|link|img)", text)
    assert "\\<script\\>" in text


@pytest.mark.parametrize("fmt", [ReportFormat.PDF, ReportFormat.SUMMARY])
def test_pdf_shows_hostile_text_as_text(fmt: ReportFormat, no_network: list[Any]) -> None:
    content = render_report(hostile_assessment(), fmt, "en")
    reader = PdfReader(io.BytesIO(content))
    assert not reader.attachments
    assert PASSWD_LINE.encode() not in content
    assert "Acme <script>" in pdf_text(content)
    assert not no_network


HOSTILE_HTML = f"""<!DOCTYPE html><html><head>
<link rel="stylesheet" href="file:///etc/passwd">
<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">
{ATTACH}
</head><body><p>Injected</p>{METADATA}
<img src="file:///etc/hostname"><img src="https://example.com/pixel.png">
<a rel="attachment" href="file:///etc/passwd">passwd</a>
</body></html>"""


def _context() -> Any:
    data = json.loads((FIXTURES / "assessment_en.json").read_text("utf-8"))
    return build_context(data, load_theme(), "en")


def test_fetcher_blocks_injected_html(no_network: list[Any]) -> None:
    """Even markup that bypassed escaping reads no local file and opens no connection."""
    document = layout(_context(), HOSTILE_HTML)
    content: bytes = document.write_pdf()
    assert not PdfReader(io.BytesIO(content)).attachments
    assert PASSWD_LINE.encode() not in content
    assert not no_network


def test_default_fetcher_would_have_embedded_the_file(no_network: list[Any]) -> None:
    """The threat is real: WeasyPrint's own fetcher embeds /etc/passwd (so the test above
    can fail)."""
    from weasyprint import HTML

    if not Path("/etc/passwd").is_file():
        pytest.skip("no /etc/passwd on this system")
    content: bytes = HTML(string=HOSTILE_HTML).write_pdf()
    attachments = PdfReader(io.BytesIO(content)).attachments
    assert any(PASSWD_LINE.encode() in b"".join(v) for v in attachments.values())


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/logo.svg",
        "ftp://example.com/x",
        "data:text/plain,hello",
        "fonts/Lato-Regular.ttf",
        "file://evil.example/share/x.ttf",
        (reports_dir() / "fonts" / "..").as_uri() + "/../../../../etc/passwd",
        (reports_dir() / "fonts" / "missing.ttf").as_uri(),
    ],
)
def test_fetcher_refuses(url: str) -> None:
    with pytest.raises(RefusedURL):
        allowed_path(url, [reports_dir()])


def test_fetcher_refuses_a_symlink_out_of_the_theme(tmp_path: Path) -> None:
    link = tmp_path / "logo.svg"
    link.symlink_to("/etc/passwd")
    with pytest.raises(RefusedURL):
        allowed_path(link.as_uri(), [tmp_path])


def test_fetcher_serves_our_files() -> None:
    font = reports_dir() / "fonts" / "Lato-Regular.ttf"
    assert allowed_path(font.as_uri(), [reports_dir()]) == font.resolve()
    quoted = font.as_uri().replace("Lato", "%4Cato")
    assert allowed_path(quoted, [reports_dir()]) == font.resolve()
