"""A loaded pack as plain data for the pack cache (`audit.cache`), and back.

What is kept: the validated pack (pydantic's JSON dump) with its file paths relative to
the pack folder, and the compiled `when` of its questions (plain data, see
`audit.questionnaire.evaluation`). Section files outside the pack folder (`../shared.yaml`)
are not covered by the cache key, so their hashes are kept and checked on the way back.

An entry is read back without validating it again (`restore`): it was written by this very
code (the key covers the tool's code) from a pack that passed validation, and building
pydantic's validators for the whole pack model costs more than the rest of reading it.
"""

from __future__ import annotations

import hashlib
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from audit.questionnaire.conditions import Condition, remember_when, when_conditions
from audit.questionnaire.model import Pack

M = TypeVar("M", bound=BaseModel)


def restore(model: type[M], data: Any) -> M:
    """The `model` whose JSON dump (`model_dump(mode="json")`) is `data`, not validated again.

    Every field must be there and no other; a value of the wrong shape raises TypeError,
    KeyError or ValueError (a damaged cache entry), never yields a half-built object.
    """
    if not isinstance(data, dict):
        raise TypeError(f"{model.__name__}: a mapping was expected")
    fields = model.model_fields
    if data.keys() != fields.keys():
        raise ValueError(f"{model.__name__}: fields differ")
    values = {name: _value(info.annotation, data[name]) for name, info in fields.items()}
    return model.model_construct(**values)


def _value(annotation: Any, value: Any) -> Any:
    """`value` (JSON data) as the type `annotation` names; see `restore`."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _value(args[0], value)
    if origin is typing.Union or origin is types.UnionType:
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) > 1:  # str | dict[...]: the one the value is
            options = [a for a in options if isinstance(value, typing.get_origin(a) or a)]
        if len(options) != 1:
            raise TypeError(f"{value!r} matches none or several of {annotation}")
        return _value(options[0], value)
    if origin is list:
        if not isinstance(value, list):
            raise TypeError(f"a list was expected, not {value!r}")
        return [_value(args[0], item) for item in value]
    if origin is dict:
        if not isinstance(value, dict):
            raise TypeError(f"a mapping was expected, not {value!r}")
        return {_value(args[0], k): _value(args[1], v) for k, v in value.items()}
    if annotation is Any:
        return value
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return restore(annotation, value)
        if issubclass(annotation, Enum):
            return annotation(value)
        if annotation is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, annotation):
            return value
    raise TypeError(f"{value!r} is not a {annotation}")


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
        pack = restore(Pack, data)
        when = {str(qid): Condition.from_data(c) for qid, c in stored["when"].items()}
    except (KeyError, TypeError, ValueError, AttributeError, OSError):
        return None  # a damaged entry is a cache miss
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
