"""Themes: validated like packs, and what they set shows in the report."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from audit.errors import ReportError
from audit.report.context import build_context
from audit.report.formats.html import render_html
from audit.report.theme import default_theme_path, load_theme
from audit.resources import reports_dir

FIXTURES = Path(__file__).parent / "fixtures"


def write_theme(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(default_theme_path().parent / "logo.svg", folder / "logo.svg")
    path = folder / "theme.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_theme_loads() -> None:
    theme = load_theme()
    assert theme.model.agency.name
    assert theme.logo_path is not None and theme.logo_path.is_file()
    faces = theme.font_faces()
    assert {(w, s) for _, w, s, _ in faces} >= {
        ("normal", "normal"),
        ("bold", "normal"),
        ("normal", "italic"),
    }
    assert all(path.is_file() for *_, path in faces)


def test_shipped_fonts_come_with_their_licence() -> None:
    fonts = reports_dir() / "fonts"
    assert (fonts / "LICENSE-Lato.txt").read_text(encoding="utf-8").count("OFL") >= 1
    assert sum(p.stat().st_size for p in fonts.iterdir()) < 5_000_000


def test_unknown_key_is_located(tmp_path: Path) -> None:
    path = write_theme(tmp_path, "agency:\n  name: Acme\ncolors:\n  primary: '#000000'\n")
    with pytest.raises(ReportError) as info:
        load_theme(path)
    assert info.value.location.line == 3
    assert "colors" in str(info.value)


def test_bad_colour_says_what_is_expected(tmp_path: Path) -> None:
    path = write_theme(tmp_path, "agency:\n  name: Acme\ncolours:\n  primary: navy\n")
    with pytest.raises(ReportError) as info:
        load_theme(path)
    assert info.value.location.line == 4
    assert info.value.expected and "#" in info.value.expected


def test_missing_agency_name(tmp_path: Path) -> None:
    path = write_theme(tmp_path, "agency: {}\n")
    with pytest.raises(ReportError) as info:
        load_theme(path)
    assert "name" in str(info.value)


@pytest.mark.parametrize("logo", ["../../../etc/passwd", "/etc/passwd", "missing.svg"])
def test_logo_must_be_a_file_in_the_theme_folder(tmp_path: Path, logo: str) -> None:
    path = write_theme(tmp_path / "t", f"agency: {{name: Acme}}\nlogo: {logo}\n")
    with pytest.raises(ReportError) as info:
        load_theme(path)
    assert info.value.location.line == 2


def test_font_family_cannot_inject_css(tmp_path: Path) -> None:
    path = write_theme(tmp_path, 'agency: {name: Acme}\nfont: {family: "x; } body { "}\n')
    with pytest.raises(ReportError):
        load_theme(path)


def test_theme_reaches_the_report(tmp_path: Path) -> None:
    fonts = reports_dir() / "fonts"
    folder = tmp_path / "brand"
    folder.mkdir()
    for name in ("Lato-Regular.ttf", "Lato-Bold.ttf", "Lato-Italic.ttf"):
        shutil.copy(fonts / name, folder / name.replace("Lato", "Brand"))
    path = write_theme(
        folder,
        "agency:\n  name: Studio Nord\n  tagline: {fr: Conseil, en: Consulting}\n"
        "logo: logo.svg\ncontact: 'Studio Nord · 1 place du Port'\n"
        "colours: {primary: '#123456', accent: '#ABCDEF'}\n"
        "font:\n  family: Brand Sans\n  files: {regular: Brand-Regular.ttf, bold: Brand-Bold.ttf,"
        " italic: Brand-Italic.ttf}\n",
    )
    theme = load_theme(path)
    data = json.loads((FIXTURES / "assessment_en.json").read_text("utf-8"))
    html = render_html(build_context(data, theme, "en"), "report.html.j2", print_media=True)
    assert "Studio Nord" in html and "Consulting" in html and "1 place du Port" in html
    assert "#123456" in html and "#ABCDEF" in html
    assert '"Brand Sans"' in html
    assert (folder / "Brand-Regular.ttf").as_uri() in html
    assert (folder / "logo.svg").as_uri() in html


def test_cli_reports_a_bad_theme(tmp_path: Path) -> None:
    from audit.report.writer import report_file

    path = write_theme(tmp_path, "agency: {name: Acme}\nlogo: nope.svg\n")
    with pytest.raises(ReportError):
        report_file(FIXTURES / "does-not-matter.yaml", theme_path=path)


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="logo.svg"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<use xlink:href="logo.svg#a"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(other.svg#g)"/></svg>',
    ],
)
def test_an_svg_logo_that_refers_to_a_file_is_refused(svg: str, tmp_path: Path) -> None:

    theme = tmp_path / "theme"
    shutil.copytree(reports_dir() / "themes" / "default", theme)
    (theme / "logo.svg").write_text(svg, encoding="utf-8")
    text = (theme / "theme.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^logo: .*$", "logo: logo.svg", text)
    (theme / "theme.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ReportError, match="refers to another file") as caught:
        load_theme(theme / "theme.yaml")
    assert caught.value.location.field == "logo"


def test_a_huge_logo_is_refused_by_size(tmp_path: Path) -> None:

    theme = tmp_path / "theme"
    shutil.copytree(reports_dir() / "themes" / "default", theme)
    (theme / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (9 * 1024 * 1024))
    text = (theme / "theme.yaml").read_text(encoding="utf-8")
    (theme / "theme.yaml").write_text(re.sub(r"(?m)^logo: .*$", "logo: logo.png", text), "utf-8")
    with pytest.raises(ReportError, match="too large"):
        load_theme(theme / "theme.yaml")
