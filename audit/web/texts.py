"""The web pages' fixed texts (texts.yaml), in French or English."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from audit import shipped
from audit.errors import Location, QuestionnaireError

TEXTS_FILE = Path(__file__).with_name("texts.yaml")
LANGUAGES = ("fr", "en")


def _localise(node: Any, lang: str, where: list[str]) -> Any:
    if isinstance(node, dict):
        if set(node) == {"fr", "en"}:
            return str(node[lang])  # typeset when shown (the templates' finalize)
        if {"fr", "en"} & set(node):
            raise QuestionnaireError(
                f"text '{'.'.join(where)}' needs exactly the keys fr and en",
                Location(file=TEXTS_FILE),
            )
        return {str(k): _localise(v, lang, [*where, str(k)]) for k, v in node.items()}
    raise QuestionnaireError(
        f"text '{'.'.join(where)}' is not a {{fr, en}} pair", Location(file=TEXTS_FILE)
    )


@cache
def texts(lang: str) -> dict[str, Any]:
    """All web texts in `lang`, as nested dicts of strings (raise on a missing language)."""
    result: dict[str, Any] = _localise(shipped.data(TEXTS_FILE), lang, [])
    return result


def fill(text: str, **values: object) -> str:
    """`text` with each `{name}` replaced by its value (values are not interpreted)."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def negotiate(accept_language: str | None) -> str:
    """The first of fr/en the browser's Accept-Language prefers, else French."""
    best: tuple[float, int, str] | None = None
    for index, part in enumerate((accept_language or "").split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower().split("-")[0]
        quality = 1.0
        for piece in pieces[1:]:
            if piece.strip().startswith("q="):
                try:
                    quality = float(piece.strip()[2:])
                except ValueError:
                    quality = 0.0
        if tag in LANGUAGES and quality > 0 and (best is None or (quality, -index) > best[:2]):
            best = (quality, -index, tag)
    return best[2] if best else "fr"
