"""Where the shipped packs and report templates live, installed or in a checkout.

In a wheel they are packaged under `audit/_data/`; in a source checkout they are the
top-level `questionnaires/` and `reports/` folders next to the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _data_dir(name: str) -> Path:
    packaged = Path(str(files("audit"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


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
