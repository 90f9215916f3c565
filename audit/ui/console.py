"""Shared rich consoles."""

from __future__ import annotations

from functools import cache

from rich.console import Console
from rich.padding import Padding
from rich.text import Text
from rich.theme import Theme

THEME = Theme(
    {
        "title": "bold",
        "muted": "grey50",
        "ok": "green",
        "warn": "yellow",
        "bad": "bold red",
        "accent": "cyan",
        "heading": "bold cyan",
        "success": "bold green",
    }
)


@cache
def console() -> Console:
    return Console(theme=THEME, highlight=False)


@cache
def error_console() -> Console:
    return Console(theme=THEME, stderr=True, highlight=False)


def indented(markup: str, indent: int) -> Padding:
    """A paragraph wrapped at the terminal's width, every line `indent` columns in."""
    return Padding(Text.from_markup(markup), (0, 0, 0, indent))


def colon(lang: str) -> str:
    """The colon as each language writes it (French puts a non-breaking space before)."""
    return "\u00a0:" if lang == "fr" else ":"
