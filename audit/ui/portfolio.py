"""Terminal output of `audit portfolio stats`."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

from audit.questionnaire.loader import load_pack
from audit.questionnaire.model import Pack
from audit.ui.console import console


def _label(pack: Pack, qid: str, choice: str) -> str:
    question = pack.question(qid)
    found = question.choice(choice) if question is not None else None
    return found.label.en if found is not None else choice


def _table(title: str, group: dict[str, Any], names: dict[str, str]) -> Table:
    table = Table(title=f"{title} · {group['clients']} clients", title_justify="left")
    for name in ("dimension", "n", "q1", "median", "q3"):
        table.add_column(name, justify="left" if name == "dimension" else "right")
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


def show_stats(figures: dict[str, Any]) -> None:
    """Print the portfolio's statistics (see `audit.portfolio.records.stats`)."""
    out = console()
    pack = load_pack(figures["pack"])
    names = {d.id: d.name.en for d in pack.dimensions}
    out.print(f"[title]{figures['pack']}[/]: {figures['assessments']} assessments recorded")
    out.print(_table("All clients", figures["all"], names))
    for key, qid, label in (("size_band", "company_size", "Size"), ("sector", "sector", "Sector")):
        for choice, group in figures[key].items():
            out.print(_table(f"{label}: {_label(pack, qid, choice)}", group, names))
