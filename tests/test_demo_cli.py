"""`audit demo` and `audit report` from the command line."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from audit.cli import app, main
from audit.report.context import report_texts
from audit.report.writer import demo_answers
from audit.session.store import load_answers

runner = CliRunner()


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["audit", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    code = exit_info.value.code
    return code if isinstance(code, int) else 0


@pytest.fixture
def client_copy(tmp_path: Path) -> Path:
    """The demo client's answers file and contact list, copied to a scratch folder."""
    source = demo_answers()
    for path in source.parent.glob(source.stem + "*"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path / source.name


def test_demo_writes_the_pdf_and_prints_its_path(tmp_path: Path) -> None:
    target = tmp_path / "demo.pdf"
    result = runner.invoke(app, ["demo", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(target)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert load_answers(demo_answers()).client.name in text
    assert report_texts("fr")["sections"]["summary"] in text


def test_demo_defaults_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["demo", "--lang", "en", "--quick"])
    assert result.exit_code == 0, result.output
    written = Path(result.output.strip())
    assert written.parent == tmp_path and written.read_bytes().startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(written.read_bytes())).pages)
    assert report_texts("en")["document"]["mode_quick"] in " ".join(text.split())


def test_report_goes_next_to_the_answers(client_copy: Path) -> None:
    result = runner.invoke(app, ["report", str(client_copy), "--format", "md"])
    assert result.exit_code == 0, result.output
    written = client_copy.with_name(client_copy.stem + "-report.md")
    assert result.output.strip() == str(written)
    text = written.read_text(encoding="utf-8")
    assert load_answers(client_copy).client.name in text
    assert report_texts("fr")["sections"]["audience"] in text
    assert report_texts("fr")["audience"]["none"][:40] not in text  # the list was analysed


def test_report_in_english_as_summary(client_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    args = ["report", str(client_copy), "--format", "summary", "--lang", "en", "-o", str(target)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(reader.pages) == 1
    assert (
        report_texts("en")["summary"]["verdicts"].lower() in reader.pages[0].extract_text().lower()
    )


def test_unknown_language_is_a_usage_error(
    client_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(monkeypatch, "report", str(client_copy), "--lang", "de") == 2
    assert "--lang fr or --lang en" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(
    client_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_main(monkeypatch, "report", str(client_copy), "--format", "docx") == 2


def test_missing_answers_file_is_a_data_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nobody.yaml"
    assert run_main(monkeypatch, "report", str(missing)) == 1
    err = capsys.readouterr().err
    assert "nobody.yaml" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_help_does_not_import_weasyprint() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from audit.cli import app\n"
        "assert CliRunner().invoke(app, ['report', '--help']).exit_code == 0\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported at start-up'\n"
        "assert 'jinja2' not in sys.modules, 'jinja2 imported at start-up'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
