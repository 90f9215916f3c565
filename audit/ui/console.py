"""Shared rich consoles."""

from __future__ import annotations

from functools import cache

from rich.console import Console
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
