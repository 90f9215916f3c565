"""Terminal output of `audit compare`: what changed between two assessments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from audit.diagnosis.wording import wording
from audit.ui.console import colon, console, indented, set_language

_TEXTS = Path(__file__).with_name("compare.yaml")


def _score(side: dict[str, Any]) -> str:
    if side.get("score") is None:
        return "—"
    return f"{side['score']:.0f} (L{side['level']})"


def _answer(side: dict[str, Any] | None, lang: str) -> str:
    if side is None or side.get("answer") in (None, ""):
        return wording(_TEXTS, lang, "no_answer")
    return str(side["answer"])


def show_comparison(comparison: dict[str, Any]) -> None:
    """Print a comparison object (see `audit.compare.compare`) for a consultant."""
    lang = comparison["language"]
    out = console()
    set_language(lang)

    def say(key: str) -> str:
        return wording(_TEXTS, lang, key)

    title = say("title").format(
        client=comparison["client"]["name"],
        before=str(comparison["before"]["date"] or "")[:10],
        after=str(comparison["after"]["date"] or "")[:10],
    )
    out.print(f"[title]{escape(title)}[/]\n")
    table = Table(title=say("dimensions"), title_justify="left", title_style="heading")
    for column in ("dimension", "before", "after", "change"):
        table.add_column(say(column), justify="left" if column == "dimension" else "right")
    for d in comparison["dimensions"]:
        delta = d["delta"]
        style = "ok" if delta and delta > 0 else "bad" if delta and delta < 0 else "muted"
        text = "—" if delta is None else f"{delta:+.0f}"
        table.add_row(
            escape(d["name"]), _score(d["before"]), _score(d["after"]), f"[{style}]{text}[/]"
        )
    out.print(table)
    out.print(f"\n[heading]{say('verdicts')}[/]")
    for v in comparison["verdicts_changed"] or [None]:
        if v is None:
            out.print(indented(f"[muted]{say('none')}[/]", 2))
            continue
        out.print(
            indented(
                f"[title]{escape(v['name'])}[/]{colon(lang)} {escape(v['before']['verdict_label'])}"
                f" → [accent]{escape(v['after']['verdict_label'])}[/]",
                2,
            )
        )
        out.print(
            indented(f"[muted]{say('was')}{colon(lang)}[/] {escape(v['before']['headline'])}", 4)
        )
        out.print(
            indented(f"[muted]{say('now')}{colon(lang)}[/] {escape(v['after']['headline'])}", 4)
        )
    for key, items in (
        ("met", comparison["prerequisites_met"]),
        ("findings_resolved", comparison["findings_resolved"]),
        ("findings_new", comparison["findings_new"]),
    ):
        out.print(f"\n[heading]{say(key)}[/]")
        for item in items:
            out.print(indented(f"• {escape(item['title'])}", 2))
        if not items:
            out.print(indented(f"[muted]{say('none')}[/]", 2))
    out.print(f"\n[heading]{say('answers')}[/]")
    for q in comparison["answers_changed"]:
        out.print(indented(f"{escape(q['text'])}", 2))
        out.print(
            indented(
                f"[muted]{escape(_answer(q['before'], lang))}[/] → "
                f"{escape(_answer(q['after'], lang))}",
                4,
            )
        )
    if not comparison["answers_changed"]:
        out.print(indented(f"[muted]{say('none')}[/]", 2))
