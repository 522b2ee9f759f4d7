"""Server-rendered SVG line charts for the timeline (no JavaScript: CSP-friendly, prints well)."""

import math
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    label: str
    css_class: str
    points: list[tuple[date, float]]


@dataclass(frozen=True)
class ReferenceLine:
    value: float
    label: str


WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    span = high - low or 1.0
    raw = span / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step / 2:
        ticks.append(round(value, 6))
        value += step
    return ticks


def line_chart_svg(*, title: str, unit: str, series: list[Series], references: list[ReferenceLine] = ()) -> SafeString:
    """An accessible SVG chart (``role="img"`` with a title) of one or more dated series."""
    points = [p for s in series for p in s.points]
    if not points:
        return mark_safe("")  # noqa: S308 - constant empty string
    values = [v for _, v in points] + [r.value for r in references]
    ticks = _nice_ticks(min(values), max(values))
    y_low, y_high = ticks[0], ticks[-1]
    first, last = min(d for d, _ in points), max(d for d, _ in points)
    days = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + (plot_w / 2 if first == last else (day - first).days / days * plot_w)

    def y(value: float) -> float:
        return TOP + plot_h - (value - y_low) / ((y_high - y_low) or 1) * plot_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for tick in ticks:
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{escape(number_format(tick))}</text>"
        )
    for reference in references:
        parts.append(
            f'<line class="reference" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(reference.value):.1f}" '
            f'y2="{y(reference.value):.1f}"/><text class="reference-label" x="{WIDTH - RIGHT}" '
            f'y="{y(reference.value) - 4:.1f}" text-anchor="end">{escape(reference.label)}</text>'
        )
    for day in sorted({first, last}):
        parts.append(
            f'<text class="tick" x="{x(day):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
            f"{escape(date_format(day, 'SHORT_DATE_FORMAT'))}</text>"
        )
    legend_x = LEFT
    for item in series:
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in item.points)
        parts.append(f'<polyline class="series {escape(item.css_class)}" points="{coords}"/>')
        for d, v in item.points:
            parts.append(
                f'<circle class="dot {escape(item.css_class)}" cx="{x(d):.1f}" cy="{y(v):.1f}" r="3">'
                f"<title>{escape(date_format(d, 'SHORT_DATE_FORMAT'))}: {escape(number_format(v))} "
                f"{escape(unit)}</title></circle>"
            )
        parts.append(
            f'<text class="legend {escape(item.css_class)}" x="{legend_x}" y="{HEIGHT - 6}">'
            f"● {escape(item.label)}</text>"
        )
        legend_x += 12 + 9 * len(item.label)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
