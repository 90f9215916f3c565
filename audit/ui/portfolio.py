"""Terminal output of `audit portfolio stats`, in French or English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from audit.diagnosis.wording import wording
from audit.questionnaire.loader import load_pack
from audit.questionnaire.model import Pack
from audit.typography import typeset
from audit.ui.console import console, set_language

_TEXTS = Path(__file__).with_name("portfolio.yaml")


def _say(lang: str, key: str, **values: object) -> str:
    text = wording(_TEXTS, lang, key)
    return typeset(text.format(**values) if values else text, lang)


def _label(pack: Pack, qid: str, choice: str, lang: str) -> str:
    question = pack.question(qid)
    found = question.choice(choice) if question is not None else None
    return found.label.get(lang) if found is not None else choice


def _table(title: str, group: dict[str, Any], names: dict[str, str], lang: str) -> Table:
    clients = _say(lang, "clients", count=group["clients"])
    table = Table(title=escape(f"{title} · {clients}"), title_justify="left")
    for name in ("dimension", "count", "q1", "median", "q3"):
        table.add_column(_say(lang, name), justify="left" if name == "dimension" else "right")
    for dim, q in group["dimensions"].items():
        if q is not None:
            table.add_row(
                escape(names.get(dim, dim)),
                str(q["count"]),
                f"{q['q1']:.0f}",
                f"{q['median']:.0f}",
                f"{q['q3']:.0f}",
            )
    return table


def show_stats(figures: dict[str, Any], lang: str = "fr") -> None:
    """Print the portfolio's statistics (see `audit.portfolio.records.stats`)."""
    out = console()
    set_language(lang)
    pack = load_pack(figures["pack"])
    names = {d.id: d.name.get(lang) for d in pack.dimensions}
    recorded = _say(lang, "recorded", pack=figures["pack"], count=figures["assessments"])
    out.print(f"[title]{escape(recorded)}[/]")
    if not figures["assessments"]:
        out.print(escape(_say(lang, "empty")))
        return
    out.print(_table(_say(lang, "all"), figures["all"], names, lang))
    for key, qid, label in (("size_band", "company_size", "size"), ("sector", "sector", "sector")):
        for choice, group in figures[key].items():
            title = _say(
                lang,
                label,
                **{"band" if key == "size_band" else "sector": _label(pack, qid, choice, lang)},
            )
            out.print(_table(title, group, names, lang))
