"""The Jinja environments reports are rendered with (autoescape on for HTML and SVG)."""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from audit.resources import reports_dir
from audit.typography import typeset

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def markdown_escape(value: object) -> str:
    """Escape Markdown and inline-HTML syntax in untrusted text (CommonMark backslashes)."""
    text = "" if value is None else str(value)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def css_string(value: object) -> str:
    """A CSS string literal (with quotes) holding `value` safely."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{text}"'


@pass_context
def typeset_output(context: Context, value: object) -> object:
    """Every `{{ value }}` of a template rendered with `lang: fr` gets French spacing.

    Markup (charts, already-rendered HTML) is left alone: its attributes are not prose.
    """
    lang = context.get("lang")
    if isinstance(value, str) and not isinstance(value, Markup) and isinstance(lang, str):
        return typeset(value, lang)
    return value


@cache
def html_environment() -> Environment:
    """HTML, CSS and SVG templates: every value is escaped unless marked safe."""
    env = Environment(
        loader=FileSystemLoader(reports_dir() / "templates"),
        # Stylesheets are ours (texts.yaml, validated theme values): HTML escaping would
        # corrupt them. Everything else, including SVG, is escaped.
        autoescape=lambda name: not (name or "").endswith(".css.j2"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=typeset_output,
    )
    env.filters["css_string"] = css_string
    env.filters["typeset"] = typeset
    return env


@cache
def markdown_environment() -> Environment:
    """Markdown templates: values go through the `md` filter, which escapes them."""
    env = Environment(
        loader=FileSystemLoader(reports_dir() / "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=typeset_output,
    )
    env.filters["md"] = markdown_escape
    return env
