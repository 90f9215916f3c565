"""Report themes: the agency's brand (name, logo, colours, font, contact line) as YAML.

A theme is validated like a questionnaire pack: unknown keys are errors, and every
problem names its file and line. Files a theme refers to (logo, fonts) must live in the
theme's own folder, because the PDF renderer reads nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from audit import yamlio
from audit.errors import ReportError
from audit.questionnaire.model import Text
from audit.resources import reports_dir
from audit.schema_errors import describe

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
# A family name goes into CSS: letters, digits, spaces and hyphens only.
FamilyName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,40}$")]
RelativeFile = Annotated[str, StringConstraints(min_length=1, max_length=200)]

SHIPPED_FONTS = "fonts"  # folder under reports/ holding the shipped font family
DEFAULT_FAMILY = "Lato"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Agency(_Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    tagline: Text | None = None


class Colours(_Strict):
    primary: Colour = "#1F3A5F"
    accent: Colour = "#B5523B"
    text: Colour = "#1E2430"
    muted: Colour = "#667085"
    light: Colour = "#EEF2F6"
    adopt: Colour = "#2E7D4F"
    not_yet: Colour = "#B7791F"
    not_recommended: Colour = "#B42318"
    to_verify: Colour = "#4A5A70"


class FontFiles(_Strict):
    """Font files relative to the theme's folder."""

    regular: RelativeFile
    bold: RelativeFile
    italic: RelativeFile
    bold_italic: RelativeFile | None = None


class Font(_Strict):
    """The family used in reports: the shipped one, or files shipped with the theme."""

    family: FamilyName = DEFAULT_FAMILY
    files: FontFiles | None = None


class ThemeModel(_Strict):
    agency: Agency
    logo: RelativeFile | None = None
    contact: Annotated[str, StringConstraints(max_length=200)] = ""
    colours: Colours = Colours()
    font: Font = Font()


@dataclass(frozen=True)
class Theme:
    """A validated theme and the folder its files are read from."""

    model: ThemeModel
    folder: Path
    path: Path

    @property
    def logo_path(self) -> Path | None:
        return self.folder / self.model.logo if self.model.logo else None

    def font_faces(self) -> list[tuple[str, str, str, Path]]:
        """(family, weight, style, file) for each @font-face the report declares."""
        font = self.model.font
        if font.files is None:
            base = reports_dir() / SHIPPED_FONTS
            files = {
                ("normal", "normal"): base / "Lato-Regular.ttf",
                ("bold", "normal"): base / "Lato-Bold.ttf",
                ("normal", "italic"): base / "Lato-Italic.ttf",
                ("bold", "italic"): base / "Lato-BoldItalic.ttf",
            }
        else:
            files = {
                ("normal", "normal"): self.folder / font.files.regular,
                ("bold", "normal"): self.folder / font.files.bold,
                ("normal", "italic"): self.folder / font.files.italic,
            }
            if font.files.bold_italic:
                files[("bold", "italic")] = self.folder / font.files.bold_italic
        return [(font.family, w, s, p) for (w, s), p in files.items()]


def default_theme_path() -> Path:
    """The theme.yaml of the shipped default theme."""
    return reports_dir() / "themes" / "default" / "theme.yaml"


def _check_file(doc: yamlio.Document, path: list[str | int], folder: Path, name: str) -> None:
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise ReportError(
            f"'{name}' is outside the theme's folder",
            doc.location(path),
            expected=f"a file inside {folder}",
        )
    if not target.is_file():
        raise ReportError(
            f"file '{name}' not found", doc.location(path), expected=f"a file inside {folder}"
        )


LOGO_MAX_BYTES = 2 * 1024 * 1024  # a logo of several MB is a photograph, or a trap
# An SVG may point at other files (`<image href>`, `<use href>`, CSS `url()`), including
# itself, which WeasyPrint would follow again and again: a logo must be self-contained.
_SVG_REFERENCE = re.compile(
    r"""(?:href\s*=\s*["']\s*(?!#|data:)([^"']*)|url\(\s*["']?\s*(?!#|data:)([^)"']*))""", re.I
)


def _check_logo(doc: yamlio.Document, logo: Path) -> None:
    size = logo.stat().st_size
    if size > LOGO_MAX_BYTES:
        raise ReportError(
            f"the logo is too large ({size // 1024} KB)",
            doc.location(["logo"]),
            expected=f"an image of at most {LOGO_MAX_BYTES // 1024} KB",
        )
    if logo.suffix.lower() != ".svg":
        return
    found = _SVG_REFERENCE.search(logo.read_text(encoding="utf-8", errors="replace"))
    if found:
        target = (found.group(1) or found.group(2) or "").strip()
        raise ReportError(
            f"the SVG logo refers to another file ({target[:80]})",
            doc.location(["logo"]),
            expected="a self-contained SVG (shapes and embedded data: images only)",
        )


def load_theme(path: Path | None = None) -> Theme:
    """Load and validate a theme file (default: the shipped theme); raise ReportError."""
    path = Path(path) if path is not None else default_theme_path()
    doc = yamlio.load_mapping(path, ReportError, "a theme", "keys agency, logo...")
    try:
        model = ThemeModel.model_validate(doc.data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc, message = describe(error)
        expected = None
        if "colours" in loc and error["type"] == "string_pattern_mismatch":
            message = f"'{error['input']}' is not a colour"
            expected = "a colour like #1F3A5F"
        raise ReportError(message, doc.location(loc), expected=expected) from None
    folder = path.resolve().parent
    if model.logo:
        _check_file(doc, ["logo"], folder, model.logo)
        _check_logo(doc, folder / model.logo)
    if model.font.files is not None:
        for key, name in model.font.files.model_dump(exclude_none=True).items():
            _check_file(doc, ["font", "files", key], folder, name)
    return Theme(model=model, folder=folder, path=path.resolve())
