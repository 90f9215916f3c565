"""Language selection for bilingual content (`{fr: ..., en: ...}` pairs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")
DEFAULT_LANGUAGE: Language = "fr"


def pick(text: Mapping[str, str] | None, lang: str) -> str:
    """Return the text in `lang`, falling back to the other language, or ''."""
    if not text:
        return ""
    if lang in text and text[lang]:
        return text[lang]
    for other in LANGUAGES:
        if text.get(other):
            return text[other]
    return ""


def check_language(lang: str) -> Language:
    """Return `lang` as a Language, or raise ValueError."""
    if lang == "fr":
        return "fr"
    if lang == "en":
        return "en"
    raise ValueError(f"unknown language '{lang}' (expected fr or en)")
