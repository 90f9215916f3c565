"""Terminal output of `audit validate`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from audit.questionnaire.summary import PackReport
from audit.ui.console import console, data


def show_validation(reports: Sequence[PackReport]) -> None:
    out = console()
    if not reports:
        out.print("[warn]No pack found.[/]")
        return
    for report in reports:
        out.print()
        count = len(report.problems)
        status = f"[bad]{count} problem(s)[/]" if count else "[ok]valid[/]"
        out.print(f"[title]{data(report.id)}[/] [muted]{data(report.path)}[/]  {status}")
        if report.pack is not None:
            table = Table(show_header=False, box=None, padding=(0, 2))
            table.add_row("questions", str(report.questions))
            table.add_row("quick questions", str(report.quick_questions))
            table.add_row("sections", str(report.sections))
            table.add_row("dimensions", str(report.dimensions))
            table.add_row("languages", data(", ".join(report.languages)))
            out.print(table)
        for problem in report.problems:
            out.print(f"  [bad]✗[/] {data(problem)}", soft_wrap=True)
