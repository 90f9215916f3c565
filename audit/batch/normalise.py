"""Comparing texts typed in forms: case, accents, apostrophes and spacing do not count."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT_SPACE = re.compile(r"\s*([?!:;.,])\s*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "«": '"', "»": '"'})


def normalise(text: object) -> str:
    """`text` folded for matching: `  Nous l’avons DÉJÀ ` -> `nous l'avons deja`."""
    value = "" if text is None else str(text)
    value = unicodedata.normalize("NFKD", value.translate(_APOSTROPHES))
    value = "".join(c for c in value if not unicodedata.combining(c)).casefold()
    value = _PUNCT_SPACE.sub(r" \1 ", value.replace("\u00a0", " ").replace("\u202f", " "))
    return _SPACES.sub(" ", value).strip().strip(" .")
