"""The terminal's own words, in French and English, read from `texts.yaml` next to this file."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Protocol

from audit import shipped
from audit.typography import typeset


@cache
def all_texts() -> dict[str, dict[str, str]]:
    """Every UI text by key, then by language."""
    data = shipped.data(Path(__file__).with_name("texts.yaml"))
    return {str(key): {str(k): str(v) for k, v in value.items()} for key, value in data.items()}


class Texts:
    """UI texts in one language: `texts("header_progress", answered=3, total=7)`.

    Texts come typeset for their language (French spacing before `?`, `:`...);
    `texts.local(text)` does the same for a pack's `{fr, en}` text.
    """

    def __init__(self, lang: str) -> None:
        self.lang = "en" if lang == "en" else "fr"
        self._texts = all_texts()

    def __call__(self, key: str, **values: object) -> str:
        text = self._texts[key][self.lang]
        return typeset(text.format(**values) if values else text, self.lang)

    def local(self, text: LocalText) -> str:
        """A pack text (question, choice, help) in this language, typeset."""
        return typeset(text.get(self.lang), self.lang)


class LocalText(Protocol):
    def get(self, lang: str) -> str: ...
