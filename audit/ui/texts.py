"""The terminal's own words, in French and English, read from `texts.yaml` next to this file."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from audit import yamlio


@cache
def all_texts() -> dict[str, dict[str, str]]:
    """Every UI text by key, then by language."""
    path = Path(str(files("audit.ui") / "texts.yaml"))
    data = yamlio.load(path).data
    return {str(key): {str(k): str(v) for k, v in value.items()} for key, value in data.items()}


class Texts:
    """UI texts in one language: `texts("header_progress", answered=3, total=7)`."""

    def __init__(self, lang: str) -> None:
        self.lang = "en" if lang == "en" else "fr"
        self._texts = all_texts()

    def __call__(self, key: str, **values: object) -> str:
        text = self._texts[key][self.lang]
        return text.format(**values) if values else text
