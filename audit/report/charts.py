"""Charts as plain SVG (no JavaScript, no plotting stack): maturity radar and bars.

Python computes the geometry; the markup lives in `reports/templates/charts/`. Text is
drawn fully opaque because WeasyPrint's SVG support ignores text opacity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from audit.report.templating import html_environment

RADAR_WIDTH, RADAR_HEIGHT, RADAR_RADIUS = 560, 340, 118
BAR_WIDTH, BAR_ROW, BAR_LABEL = 560, 34, 220


def _point(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    return round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1)


def _polygon(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def radar_chart(
    scores: Sequence[Mapping[str, Any]], label: str, colours: Mapping[str, str], font: str
) -> Markup:
    """A radar of dimension scores (0-100); needs three dimensions or more."""
    cx, cy, r = RADAR_WIDTH / 2, RADAR_HEIGHT / 2 + 4, RADAR_RADIUS
    n = len(scores)
    angles = [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]
    rings = [_polygon([_point(cx, cy, r * k / 5, a) for a in angles]) for k in range(1, 6)]
    axes = [_point(cx, cy, r, a) for a in angles]
    shape = _polygon(
        [
            _point(cx, cy, r * max(0.0, min(100.0, s["score"])) / 100, a)
            for s, a in zip(scores, angles, strict=True)
        ]
    )
    labels = []
    for s, a in zip(scores, angles, strict=True):
        x, y = _point(cx, cy, r + 14, a)
        cos, sin = math.cos(a), math.sin(a)
        anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
        y_top = y - 16 if sin < -0.5 else y + 14 if sin > 0.5 else y - 4
        labels.append(
            {"x": x, "y": y_top, "anchor": anchor, "name": s["name"], "score": round(s["score"])}
        )
    dots = [_point(cx, cy, r * s["score"] / 100, a) for s, a in zip(scores, angles, strict=True)]
    template = html_environment().get_template("charts/radar.svg.j2")
    return Markup(
        template.render(
            width=RADAR_WIDTH,
            height=RADAR_HEIGHT,
            rings=rings,
            centre=(cx, cy),
            axes=axes,
            shape=shape,
            dots=dots,
            labels=labels,
            label=label,
            colours=colours,
            font=font,
        )
    )


def bar_chart(
    bars: Sequence[Mapping[str, Any]], label: str, colours: Mapping[str, str], font: str
) -> Markup:
    """Horizontal bars: each item has `label`, `share` (0-1) and `share_text`."""
    area = BAR_WIDTH - BAR_LABEL - 70
    rows = []
    for index, bar in enumerate(bars):
        share = max(0.0, min(1.0, float(bar["share"])))
        rows.append(
            {
                "y": 8 + index * BAR_ROW,
                "label": bar["label"],
                "width": round(max(area * share, 1.5), 1),
                "text": bar["share_text"],
                "highlight": bar.get("highlight", False),
            }
        )
    template = html_environment().get_template("charts/bars.svg.j2")
    return Markup(
        template.render(
            width=BAR_WIDTH,
            height=16 + len(bars) * BAR_ROW,
            label_width=BAR_LABEL,
            area=area,
            rows=rows,
            row_height=BAR_ROW,
            label=label,
            colours=colours,
            font=font,
        )
    )


def maturity_chart(
    scores: Sequence[Mapping[str, Any]], label: str, colours: Mapping[str, str], font: str
) -> Markup:
    """The maturity picture: a radar from three dimensions up, bars below that."""
    if len(scores) >= 3:
        return radar_chart(scores, label, colours, font)
    bars = [
        {"label": s["name"], "share": s["score"] / 100, "share_text": str(round(s["score"]))}
        for s in scores
    ]
    return bar_chart(bars, label, colours, font)
