"""The benchmark chapter: the client's scores among the agency's past clients.

`benchmark_view` turns `audit.portfolio.records.benchmark()` into what the chapter shows
(texts, a quartile chart); the chart's geometry is computed here, its markup is
`reports/templates/charts/benchmark.svg.j2`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from audit.report.context import format_number, localised_texts
from audit.report.templating import html_environment

WIDTH, LEFT, ROW = 560, 170, 30


def _x(score: float, area: float) -> float:
    return round(LEFT + area * max(0.0, min(100.0, score)) / 100, 1)


def benchmark_chart(
    dimensions: list[dict[str, Any]], label: str, colours: Mapping[str, str], font: str
) -> Markup:
    """Per dimension: the peers' middle half as a bar, their median, the client as a dot."""
    area = WIDTH - LEFT - 10
    rows = []
    for index, d in enumerate(dimensions):
        spread = d["peers"]
        box = None
        if spread is not None:
            box = {
                "x": _x(spread["q1"], area),
                "width": max(round(_x(spread["q3"], area) - _x(spread["q1"], area), 1), 2.0),
                "median": _x(spread["median"], area),
            }
        dot = _x(d["score"], area) if d["score"] is not None else None
        rows.append({"y": 6 + index * ROW, "name": d["name"], "box": box, "dot": dot})
    ticks = [{"x": _x(v, area), "value": v} for v in (0, 25, 50, 75, 100)]
    height = 6 + len(rows) * ROW + 18
    template = html_environment().get_template("charts/benchmark.svg.j2")
    return Markup(
        template.render(
            width=WIDTH,
            height=height,
            left=LEFT,
            area=area,
            rows=rows,
            ticks=ticks,
            label=label,
            colours=colours,
            font=font,
        )  # fmt: skip
    )


def _band_label(assessment: dict[str, Any]) -> str:
    for section in assessment.get("answers", []):
        for q in section["questions"]:
            if q["id"] == "company_size" and q.get("answer"):
                return str(q["answer"])
    return ""


def benchmark_view(
    bench: dict[str, Any],
    assessment: dict[str, Any],
    lang: str,
    colours: Mapping[str, str],
    font: str,
) -> dict[str, Any]:
    """What the benchmark chapter shows, in `lang`."""
    tb = localised_texts("benchmark", lang)
    dims = []
    for d in bench["dimensions"]:
        d = dict(d, name=assessment["scores"].get(d["id"], {}).get("name", d["name"]))
        spread = d["peers"]
        dims.append(
            dict(
                d,
                score_text=format_number(d["score"], lang)
                if d["score"] is not None
                else tb["not_assessed"],
                range_text="—"
                if spread is None
                else f"{format_number(spread['q1'], lang)}–{format_number(spread['q3'], lang)}",
                median_text="—" if spread is None else format_number(spread["median"], lang),
                position_text=tb["position"][d["position"]] if d["position"] else "",
            )
        )
    key = "intro_band" if bench["scope"] == "size_band" else "intro_all"
    intro = (
        tb[key].replace("{count}", str(bench["peers"])).replace("{band}", _band_label(assessment))
    )
    too_few = (
        tb["too_few"]
        .replace("{count}", str(bench["peers"]))
        .replace("{min}", str(bench["min_peers"]))
    )
    return {
        **bench,
        "dimensions": dims,
        "intro": intro,
        "too_few": too_few,
        "chart": benchmark_chart(dims, tb["chart_label"], colours, font) if bench["enough"] else "",
    }
