"""The YAML files shipped with the tool (wording, vocabularies, thresholds), read once.

Each is parsed from its YAML the first time, then kept as JSON in the compiled-content
cache (`audit.cache`), keyed by the file's bytes and the tool's code: later runs read the
JSON, about ten times faster, and a command that reads no other YAML (`audit contacts`)
never imports the YAML parser. Editing a file changes its key, so the edit is read at
once; a problem in a file is reported from the YAML, with its line, and never cached.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from audit import cache as content_cache
from audit.errors import Location

KIND = "shipped"


def data(path: Path | Traversable) -> Any:
    """The plain data of the shipped YAML file at `path` (raises YamlError if it is wrong).

    Each caller keeps what it makes of the data (`functools.cache`): this reads the file.
    """
    try:
        content = path.read_bytes()
    except OSError:
        content = None  # the YAML reader says what is wrong with the file
    name = content_cache.file_key(KIND, str(path), content) if content is not None else None
    stored = content_cache.read(name)
    if stored is not None:
        return stored
    from audit import yamlio

    value = yamlio.load(Path(str(path))).data
    if _survives_json(value):  # keys that are not strings would come back as strings
        content_cache.write(name, value)
    return value


def _survives_json(value: Any) -> bool:
    import json

    try:
        return bool(json.loads(json.dumps(value)) == value)
    except (TypeError, ValueError):
        return False


def location(path: Path | Traversable, keys: list[str | int]) -> Location:
    """Where `keys` lies in the shipped file at `path`, with its line (for an error)."""
    from audit import yamlio

    return yamlio.load(Path(str(path))).location(keys)
