"""Pydantic validation errors in the words of our error messages."""

from __future__ import annotations

from pydantic_core import ErrorDetails


def describe(
    error: ErrorDetails, prefix: list[str | int] | None = None
) -> tuple[list[str | int], str]:
    """The data path of a validation error (after `prefix`) and a message a person reads."""
    loc = list(prefix or []) + [p for p in error["loc"] if isinstance(p, str | int)]
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = f"unknown field '{loc[-1]}'"
    elif error["type"] == "missing":
        message = f"missing required field '{loc[-1]}'"
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    return loc, message
