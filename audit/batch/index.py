"""The batch index: `index.csv` (for a spreadsheet) and `index.html` (to open the reports).

One line per input, failures included: company, date, level per dimension, verdict per
solution, the report's file name, and for a failure, the problem with its file and row.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from audit.batch.inputs import Failure
from audit.batch.runner import JobResult
from audit.errors import ReportError
from audit.outputs import output_target
from audit.prescription.rules import Solution
from audit.report.context import localised_texts, report_texts
from audit.report.templating import html_environment
from audit.report.theme import Theme
from audit.yamlio import write_atomic


def _rows(results: list[JobResult], failures: list[Failure]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for failure in failures:
        rows.append(
            {
                "client": "",
                "date": "",
                "levels": {},
                "verdicts": {},
                "report": "",
                "status": "failed",
                "source": failure.label,
                "file": failure.source.name,
                "row": failure.row,
                "error": failure.message,
            }
        )
    for result in results:
        summary = result.summary
        rows.append(
            {
                "client": summary.get("client", ""),
                "date": str(summary.get("date") or "")[:10],
                "levels": {k: v["level"] for k, v in summary.get("levels", {}).items()},
                "verdicts": summary.get("verdicts", {}),
                "report": result.output or "",
                "status": result.status,
                "source": result.label,
                "file": Path(result.source).name,
                "row": result.row,
                "error": result.error or "",
            }
        )
    return sorted(rows, key=lambda r: (r["file"], r["row"] or 0))


def _headings(results: list[JobResult], lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """Dimension and solution names, from the assessments in the index's language first."""
    dimensions: dict[str, str] = {}
    solutions: dict[str, str] = {}
    ranked = sorted(results, key=lambda r: r.summary.get("language") != lang)
    for result in ranked:
        for key, level in result.summary.get("levels", {}).items():
            dimensions.setdefault(key, level["name"])
        for key, verdict in result.summary.get("verdicts", {}).items():
            solutions.setdefault(key, verdict["name"])
    order = [s.value for s in Solution]
    ordered = sorted(solutions.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    return dimensions, dict(ordered)


def write_index(
    out_dir: Path, results: list[JobResult], failures: list[Failure], lang: str, theme: Theme
) -> list[Path]:
    """Write `index.csv` and `index.html` in `out_dir`; return their paths."""
    t = localised_texts("batch", lang)
    rows = _rows(results, failures)
    dimensions, solutions = _headings(results, lang)
    labels = report_texts(lang)["verdicts"]  # one language for the whole index
    for row in rows:  # what the reader sees, in the index's language
        row["status_text"] = t["status"][row["status"]]
        if row["row"] is not None:
            row["source"] = t["source_row"].format(file=row["file"], row=row["row"])
        row["verdicts"] = {
            key: dict(v, label=labels.get(v["verdict"], v["label"]))
            for key, v in row["verdicts"].items()
        }
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    cols = t["columns"]
    writer.writerow(
        [cols["client"], cols["date"]]
        + [f"{name} ({cols['level']})" for name in dimensions.values()]
        + list(solutions.values())
        + [cols["report"], cols["status"], cols["source"], cols["error"]]
    )
    for row in rows:
        writer.writerow(
            [row["client"], row["date"]]
            + [row["levels"].get(key) or "" for key in dimensions]
            + [row["verdicts"].get(key, {}).get("label", "") for key in solutions]
            + [row["report"], row["status_text"], row["source"], row["error"]]
        )
    csv_path = out_dir / "index.csv"
    # With a byte-order mark, Excel opens the accents right.
    write_atomic(output_target(csv_path, error=ReportError), "\ufeff" + buffer.getvalue())
    counts = {
        s: sum(1 for r in rows if r["status"] == s) for s in ("rendered", "skipped", "failed")
    }
    model = theme.model
    html = (
        html_environment()
        .get_template("batch/index.html.j2")
        .render(
            lang=lang,
            t=t,
            agency=model.agency.name,
            font=model.font.family,
            c=model.colours.model_dump(),
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            counts=t["counts"].format(**counts),
            dimensions=dimensions,
            solutions=solutions,
            rows=rows,
        )
    )
    html_path = out_dir / "index.html"
    write_atomic(output_target(html_path, error=ReportError), html)
    return [csv_path, html_path]
