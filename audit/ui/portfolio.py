"""Terminal output of `audit portfolio stats`."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from audit.ui.console import console


def _table(title: str, group: dict[str, Any]) -> Table:
    table = Table(title=f"{title} · {group['clients']} clients", title_justify="left")
    for name in ("dimension", "n", "q1", "median", "q3"):
        table.add_column(name, justify="left" if name == "dimension" else "right")
    for dim, q in group["dimensions"].items():
        if q is not None:
            table.add_row(
                dim, str(q["count"]), f"{q['q1']:.0f}", f"{q['median']:.0f}", f"{q['q3']:.0f}"
            )
    return table


def show_stats(figures: dict[str, Any]) -> None:
    """Print the portfolio's statistics (see `audit.portfolio.records.stats`)."""
    out = console()
    out.print(f"[title]{figures['pack']}[/]: {figures['assessments']} assessments recorded")
    out.print(_table("all clients", figures["all"]))
    for key, label in (("size_band", "size band"), ("sector", "sector")):
        for name, group in figures[key].items():
            out.print(_table(f"{label} {name}", group))
