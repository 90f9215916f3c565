"""A loaded pack as plain data for the pack cache (`audit.cache`), and back.

What is kept: the validated pack (pydantic's JSON dump) with its file paths relative to
the pack folder, and the compiled `when` of its questions (plain data, see
`audit.questionnaire.evaluation`). Section files outside the pack folder (`../shared.yaml`)
are not covered by the cache key, so their hashes are kept and checked on the way back.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from audit.questionnaire.conditions import Condition, remember_when, when_conditions
from audit.questionnaire.model import Pack


def _relative(file: str, folder: Path) -> str:
    return str(Path(file).relative_to(folder))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pack_to_data(pack: Pack) -> dict[str, Any]:
    """The plain data `pack_from_data` rebuilds `pack` from (paths relative to its folder)."""
    folder = Path(pack.path)
    data = pack.model_dump(mode="json")
    del data["path"]
    outside: dict[str, str] = {}
    for section in data["sections"]:
        section["file"] = _relative(section["file"], folder)
        if ".." in Path(section["file"]).parts:
            outside[section["file"]] = _digest(folder / section["file"])
        for question in section["questions"]:
            question["file"] = _relative(question["file"], folder)
    when = {qid: condition.to_data() for qid, condition in when_conditions(pack).items()}
    return {"pack": data, "when": when, "outside": outside}


def pack_from_data(stored: Any, folder: Path) -> Pack | None:
    """The pack `stored` describes, read from `folder`; None if it is damaged or stale."""
    try:
        for relative, digest in stored["outside"].items():
            if _digest(folder / relative) != digest:
                return None
        data = stored["pack"]
        data["path"] = str(folder)
        for section in data["sections"]:
            section["file"] = str(folder / section["file"])
            for question in section["questions"]:
                question["file"] = str(folder / question["file"])
        pack = Pack.model_validate(data)
        when = {str(qid): Condition.from_data(c) for qid, c in stored["when"].items()}
    except (KeyError, TypeError, ValueError, AttributeError, OSError):
        return None  # a damaged entry is a cache miss (pydantic's errors are ValueErrors)
    if set(when) != {q.id for q in pack.questions if q.when is not None}:
        return None
    remember_when(pack, when)
    return pack


def signature(pack: Pack) -> str:
    """What compiled findings and rules depend on in a pack object: its questions' ids,
    types and choices (part of the keys of their cache entries)."""
    digest = hashlib.sha256(f"{pack.id}\0{pack.version}\0".encode())
    for question in pack.questions:
        choices = ",".join(c.id for c in question.choices)
        digest.update(f"{question.id}:{question.type.value}:{choices};".encode())
    return digest.hexdigest()
