"""Fixed bilingual wording shipped with the engine (statuses, verdict labels...), from YAML."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from audit import shipped
from audit.i18n import pick


@cache
def load_wording(path: Path) -> dict[str, Any]:
    """The wording file at `path` as plain data (read once per process)."""
    data = shipped.data(path)
    assert isinstance(data, dict), f"{path} must be a mapping"
    return data


def wording(path: Path, lang: str, *keys: str) -> str:
    """The text at `keys` in the wording file `path`, in `lang`."""
    node: Any = load_wording(path)
    for key in keys:
        node = node[key]
    return pick(node, lang)


DIAGNOSIS_WORDING = Path(__file__).with_name("wording.yaml")


def diagnosis_text(lang: str, *keys: str) -> str:
    """A fixed text of the diagnosis (answer statuses, yes/no, fact labels) in `lang`."""
    return wording(DIAGNOSIS_WORDING, lang, *keys)
