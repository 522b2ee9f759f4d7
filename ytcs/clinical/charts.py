"""Server-rendered SVG line charts for the timeline (no JavaScript: CSP-friendly, prints well).

Coordinates are written with ``_num`` (a decimal point in every interface language: SVG rejects the
Vietnamese ``206,5``); only the visible text (tick values, dates, tooltips) follows the language.
The chart is drawn in a 480 × 260 box scaled to the page width, and ``clinical.css`` enlarges its
labels, lines and dots on a phone, where one unit is about 0.75 px.
"""

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


WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 32, 16, 44  # reference values are labelled in the right margin


def _num(value: float) -> str:
    """A coordinate for an SVG attribute: one decimal, always with a point."""
    return f"{value:.1f}"


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
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(y(tick))}" y2="{_num(y(tick))}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{_num(y(tick) + 4)}" text-anchor="end">'
            f"{escape(number_format(tick))}</text>"
        )
    for reference in references:
        parts.append(
            f'<line class="reference" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(y(reference.value))}" '
            f'y2="{_num(y(reference.value))}"/><text class="reference-label" x="{WIDTH - 2}" '
            f'y="{_num(y(reference.value) + 4)}" text-anchor="end">{escape(reference.label)}</text>'
        )
    # The first and last dates stay inside the box: anchored at their outer end, not their middle.
    anchors = {first: "middle"} if first == last else {first: "start", last: "end"}
    for day, anchor in anchors.items():
        parts.append(
            f'<text class="tick" x="{_num(x(day))}" y="{HEIGHT - BOTTOM + 18}" text-anchor="{anchor}">'
            f"{escape(date_format(day, 'SHORT_DATE_FORMAT'))}</text>"
        )
    legend_x = LEFT
    for item in series:
        coords = " ".join(f"{_num(x(d))},{_num(y(v))}" for d, v in item.points)
        parts.append(f'<polyline class="series {escape(item.css_class)}" points="{coords}"/>')
        for d, v in item.points:
            parts.append(
                f'<circle class="dot {escape(item.css_class)}" cx="{_num(x(d))}" cy="{_num(y(v))}" r="3">'
                f"<title>{escape(date_format(d, 'SHORT_DATE_FORMAT'))}: {escape(number_format(v))} "
                f"{escape(unit)}</title></circle>"
            )
        parts.append(
            f'<text class="legend {escape(item.css_class)}" x="{legend_x}" y="{HEIGHT - 6}">'
            f"● {escape(item.label)}</text>"
        )
        legend_x += 24 + 9 * (len(item.label) + 2)  # room for the larger labels of a phone
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
