"""Terminal output of `audit diagnose`: scores, findings, verdicts, roadmap, to verify."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.table import Table

from audit.diagnosis.wording import wording
from audit.ui.console import colon, console, data, indented, set_language

_TEXTS = Path(__file__).with_name("diagnosis.yaml")
_VERDICT_STYLE = {
    "adopt": "ok",
    "not_yet": "warn",
    "to_verify": "accent",
    "not_recommended": "bad",
}
_SEVERITY_STYLE = {"high": "bad", "medium": "warn", "low": "muted"}


def _percent(share: float, lang: str) -> str:
    return f"{share * 100:.0f}\u00a0%" if lang == "fr" else f"{share * 100:.0f}%"


def show_diagnosis(assessment: dict[str, Any]) -> None:
    """Print an assessment object (see `audit.assessment.assess`) for a consultant."""
    lang = assessment["language"]

    def say(*keys: str) -> str:
        return wording(_TEXTS, lang, *keys)

    out = console()
    set_language(lang)
    mode = say("mode_quick" if assessment["mode"] == "quick" else "mode_full")
    out.print()
    out.print(f"[title]{say('title')} — {data(assessment['client']['name'])}[/]")
    out.print(f"[muted]{data(assessment['pack']['title'])} · {mode}[/]")

    out.print()
    out.print(f"[title]{say('scores')}[/]")
    scores = Table(box=None, padding=(0, 2), show_edge=False)
    for column in ("dimension", "score", "level", "coverage"):
        scores.add_column(say(column), justify="right" if column != "dimension" else "left")
    for score in assessment["scores"].values():
        value = f"{score['score']:.0f}/100" if score["score"] is not None else say("no_score")
        level = f"{score['level']} · {data(score['level_name'])}" if score["level"] else "—"
        coverage = f"{_percent(score['coverage'], lang)} ({score['answered']}/{score['total']})"
        scores.add_row(data(score["name"]), value, level, coverage)
    out.print(scores)

    out.print()
    out.print(f"[title]{say('findings')}[/]")
    if not assessment["findings"]:
        out.print(f"  [muted]{say('no_findings')}[/]")
    for finding in assessment["findings"]:
        style = _SEVERITY_STYLE.get(finding["severity"], "muted")
        severity = say("severity", finding["severity"])
        out.print(f"  [{style}]●[/] {data(finding['title'])} [muted]({severity})[/]")
        for item in finding["evidence"][:3]:
            out.print(indented(f"[muted]{data(_evidence_line(item, lang))}[/]", 6))

    out.print()
    out.print(f"[title]{say('verdicts')}[/]")
    table = Table(padding=(0, 1), show_lines=True, expand=True)
    table.add_column(f"{say('solution')}\n[muted]{say('offer')}[/]", ratio=1, min_width=16)
    table.add_column(say("verdict"), no_wrap=True)
    table.add_column(say("reason"), ratio=2, min_width=30)
    for verdict in assessment["verdicts"].values():
        style = _VERDICT_STYLE.get(verdict["verdict"], "")
        offer = data(verdict["offer_label"] or "—")
        # The headline, then every other reason that also stands in the way.
        others = [r for r in verdict.get("blocking", [])[1:] if r.get("text")]
        reason = data(verdict["headline"])
        if others:
            lines = "\n".join(f"• {data(r['text'])}" for r in others)
            reason += f"\n[muted]{say('also_in_the_way')}{colon(lang)}\n{lines}[/]"
        table.add_row(
            f"{data(verdict['name'])}\n[muted]{offer}[/]",
            f"[{style}]{data(verdict['verdict_label'])}[/]",
            reason,
        )
    out.print(table)

    out.print()
    out.print(f"[title]{say('roadmap')}[/]")
    if not assessment["roadmap"]:
        out.print(f"  [muted]{say('no_roadmap')}[/]")
    names = {key: v["name"] for key, v in assessment["verdicts"].items()}
    for step in assessment["roadmap"]:
        out.print(f"  [accent]{data(step['label'])}[/]")
        for item in step["items"]:
            solutions = ", ".join(names.get(s, s) for s in item["solutions"])
            out.print(
                indented(
                    f"• {data(item['title'])} [muted]— {data(item['owner'])}; "
                    f"{say('for_solutions')} {data(solutions)}[/]",
                    4,
                )
            )

    out.print()
    out.print(f"[title]{say('to_verify')}[/]")
    if not assessment["to_verify"]:
        out.print(f"  [muted]{say('nothing_to_verify')}[/]")
    for item in assessment["to_verify"]:
        section = f" [muted]({data(item['section'])})[/]" if item.get("section") else ""
        out.print(indented(f"? {data(item['text'])}{section}", 2))


def _evidence_line(item: dict[str, Any], lang: str) -> str:
    if item["kind"] == "answer":
        return f"{item['text']} → {item['answer']}"
    if item["kind"] == "fact":
        return f"{item['label']}{colon(lang)} {item['value']}"
    return str(item.get("title", ""))
