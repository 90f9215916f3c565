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
from collections.abc import Callable
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
    restored: M = _converter(model)(data)
    return restored


_Convert = Callable[[Any], Any]
_CONVERTERS: dict[type[BaseModel], _Convert] = {}


def _converter(model: type[BaseModel]) -> _Convert:
    """A function making a `model` of its JSON data (built once per model class)."""
    if model in _CONVERTERS:
        return _CONVERTERS[model]
    fields: list[tuple[str, _Convert]] = []

    # What `model_construct` does for a model without aliases, extra fields, private
    # attributes or post-init, minus its per-field alias lookups (five times the cost).
    plain = (
        not model.__pydantic_post_init__
        and not model.__pydantic_root_model__
        and not model.__private_attributes__
        and model.model_config.get("extra") != "allow"
        and all(
            info.alias is None and info.validation_alias is None
            for info in model.model_fields.values()
        )
    )

    def convert(data: Any) -> BaseModel:
        if not isinstance(data, dict) or len(data) != len(fields):
            raise ValueError(f"{model.__name__}: not its fields")
        values = {name: field(data[name]) for name, field in fields}
        if not plain:
            return model.model_construct(**values)
        made = model.__new__(model)
        object.__setattr__(made, "__dict__", values)
        object.__setattr__(made, "__pydantic_fields_set__", set(values))
        object.__setattr__(made, "__pydantic_extra__", None)
        object.__setattr__(made, "__pydantic_private__", None)
        return made

    _CONVERTERS[model] = convert  # before the fields: a model may contain itself
    fields += [(name, _convert(info.annotation)) for name, info in model.model_fields.items()]
    return convert


def _convert(annotation: Any) -> _Convert:  # noqa: C901 - one case per kind of type
    """A function making a value of type `annotation` of its JSON data."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _convert(args[0])
    if origin is typing.Union or origin is types.UnionType:
        nullable = type(None) in args
        options = [(typing.get_origin(a) or a, _convert(a)) for a in args if a is not type(None)]

        def union(value: Any) -> Any:
            if value is None and nullable:
                return None
            if len(options) == 1:
                return options[0][1](value)
            for kind, option in options:  # str | dict[...]: the one the value is
                if isinstance(value, kind):
                    return option(value)
            raise TypeError(f"{value!r} is not a {annotation}")

        return union
    if origin is list:
        item = _convert(args[0])
        return lambda value: [item(v) for v in _checked(value, list)]
    if origin is dict:
        key, item = _convert(args[0]), _convert(args[1])
        return lambda value: {key(k): item(v) for k, v in _checked(value, dict).items()}
    if annotation is Any:
        return lambda value: value
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _converter(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    if annotation is float:
        return lambda value: float(_checked(value, int | float))
    if isinstance(annotation, type):
        return lambda value: _checked(value, annotation)
    raise TypeError(f"cannot restore a {annotation}")


def _checked(value: Any, kind: Any) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f"{value!r} is not a {kind}")
    return value


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
