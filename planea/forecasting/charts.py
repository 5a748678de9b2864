"""Small SVG charts for the printed documents of P5 (the annex of the proposal): a monthly forecast with its 80 % and
95 % bands and the POM goal's monthly equivalent as a dashed line. Drawn here, without a plotting library, so that
what is printed is plain vector text and lines that WeasyPrint embeds in the PDF; sizes are in points and every
text is at least MIN_TEXT points, legible when printed."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from planea.core import periods
from planea.core.numbers import grouped

MIN_TEXT = 7.0
BAND95 = "#d6e2f0"
BAND80 = "#9fbbdc"
LINE = "#1d3f72"
GOAL = "#b04a00"
AXIS = "#666666"


@dataclass(frozen=True)
class MonthBand:
    """A month of the chart: forecast and its bounds (floats: a chart needs no cents)."""

    yhat: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float


def month_bands(bands: Sequence[object]) -> list[MonthBand]:
    """Twelve MonthBand from objects with Decimal attributes yhat, lo80, hi80, lo95, hi95 (proposal.Band)."""
    return [
        MonthBand(*(float(getattr(band, name)) for name in ("yhat", "lo80", "hi80", "lo95", "hi95"))) for band in bands
    ]


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 × 10ⁿ) that divides `span` in about `ticks` parts."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def _label(value: float) -> str:
    return grouped(int(round(value)))


def _points(xs: Sequence[float], ys: Sequence[float]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))


def band_chart(
    months: Sequence[MonthBand],
    *,
    goal_monthly: Decimal | float | None = None,
    width: float = 330.0,
    height: float = 150.0,
    title: str = "",
) -> str:
    """An SVG (width × height points) of twelve months: 95 % band, 80 % band, the forecast line with its points and,
    when given, the POM goal's monthly equivalent (the year's goal ÷ 12) as a dashed line; y axis from zero with
    round ticks, month initials below, a legend on top."""
    esc = html.escape
    top = (MIN_TEXT + 6) * (2 if title else 1) + 4
    left, right, bottom = 8.0, 6.0, MIN_TEXT + 8
    values = [m.hi95 for m in months] + [m.yhat for m in months]
    if goal_monthly is not None:
        values.append(float(goal_monthly))
    peak = max([*values, 0.0]) or 1.0
    step = nice_step(peak)
    ceiling = step * math.ceil(peak / step)
    ticks = [step * i for i in range(int(round(ceiling / step)) + 1)]
    label_width = max(len(_label(t)) for t in ticks) * MIN_TEXT * 0.6
    left += label_width
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(index: int) -> float:
        return left + plot_w * (index + 0.5) / 12

    def y(value: float) -> float:
        return top + plot_h * (1 - max(value, 0.0) / ceiling)

    font = f'font-family="DejaVu Sans, sans-serif" font-size="{MIN_TEXT}"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}">'
    ]
    line = 0
    if title:
        parts.append(f'<text x="{left}" y="{MIN_TEXT + 2}" {font} font-weight="bold">{esc(title)}</text>')
        line = 1
    legend_y = (MIN_TEXT + 6) * line + MIN_TEXT + 2
    legend = [("rect", BAND95, "IC 95 %"), ("rect", BAND80, "IC 80 %"), ("line", LINE, "Pronóstico")]
    if goal_monthly is not None:
        legend.append(("dash", GOAL, "Meta POM ÷ 12"))
    cursor = left
    for shape, color, text in legend:
        if shape == "rect":
            parts.append(f'<rect x="{cursor}" y="{legend_y - 6}" width="10" height="6" fill="{color}"/>')
        else:
            dash = ' stroke-dasharray="3,2"' if shape == "dash" else ""
            parts.append(
                f'<line x1="{cursor}" y1="{legend_y - 3}" x2="{cursor + 10}" y2="{legend_y - 3}" '
                f'stroke="{color}" stroke-width="1.5"{dash}/>'
            )
        parts.append(f'<text x="{cursor + 13}" y="{legend_y}" {font}>{esc(text)}</text>')
        cursor += 13 + len(text) * MIN_TEXT * 0.62 + 10
    for tick in ticks:
        ty = y(tick)
        parts.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" stroke="#e2e2e2"/>')
        parts.append(
            f'<text x="{left - 3}" y="{ty + MIN_TEXT * 0.35:.1f}" {font} text-anchor="end" fill="{AXIS}">'
            f"{_label(tick)}</text>"
        )
    xs = [x(i) for i in range(len(months))]
    if months:
        for lo, hi, color in (("lo95", "hi95", BAND95), ("lo80", "hi80", BAND80)):
            upper = [y(getattr(m, hi)) for m in months]
            lower = [y(getattr(m, lo)) for m in months]
            polygon = _points(xs + xs[::-1], upper + lower[::-1])
            parts.append(f'<polygon points="{polygon}" fill="{color}" stroke="none"/>')
        parts.append(
            f'<polyline points="{_points(xs, [y(m.yhat) for m in months])}" fill="none" stroke="{LINE}" '
            'stroke-width="1.5"/>'
        )
        parts += [
            f'<circle cx="{px:.1f}" cy="{y(m.yhat):.1f}" r="1.6" fill="{LINE}"/>'
            for px, m in zip(xs, months, strict=True)
        ]
    if goal_monthly is not None:
        gy = y(float(goal_monthly))
        parts.append(
            f'<line x1="{left}" y1="{gy:.1f}" x2="{left + plot_w}" y2="{gy:.1f}" stroke="{GOAL}" '
            'stroke-width="1.2" stroke-dasharray="4,3"/>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{AXIS}"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{AXIS}"/>'
    )
    for index in range(12):
        initial = esc(periods.month_abbr(index + 1)[:3])
        parts.append(
            f'<text x="{x(index):.1f}" y="{top + plot_h + MIN_TEXT + 3}" {font} text-anchor="middle" '
            f'fill="{AXIS}">{initial}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
