"""Where the shipped packs and report templates live, installed or in a checkout.

In a wheel they are packaged under `audit/_data/`; in a source checkout they are the
top-level `questionnaires/` and `reports/` folders next to the package.
"""

from __future__ import annotations

from pathlib import Path

# The package's folder on disk (what importlib.resources would find for it, without its
# machinery: these folders are read as plain paths anyway).
_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def questionnaires_dir() -> Path:
    """The folder holding the shipped questionnaire packs."""
    return _data_dir("questionnaires")


def reports_dir() -> Path:
    """The folder holding the report templates, styles, fonts and default theme."""
    return _data_dir("reports")


def shipped_packs() -> list[Path]:
    """Folders of the shipped packs (each holds a pack.yaml), sorted by name."""
    root = questionnaires_dir()
    return sorted(p.parent for p in root.glob("*/pack.yaml"))
