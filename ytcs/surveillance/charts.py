"""Epidemic curves as server-rendered SVG bar charts: no script, printable, readable on a phone.

This module only computes geometry; ``surveillance/_curve.html`` draws it. Every position the template
writes is computed here (the template does no arithmetic), and the template writes them with localisation
off: SVG lengths need a decimal point whatever the interface language (Vietnamese writes ``206,5``).

The chart is drawn in a 600 × 280 box scaled to the width of the page: on a 390 px phone that is about
0.6 px per unit, so the stylesheet enlarges the labels on narrow screens, and at most ``_MAX_X_LABELS``
dates are written under the axis so that they never overlap.
"""

import datetime as dt
import math
from dataclasses import dataclass

_PAD_LEFT, _PAD_RIGHT, _PAD_TOP, _PAD_BOTTOM = 44, 8, 16, 30
_MAX_X_LABELS = 6
_LABEL_GAP = 4  # between the count labels and the plot, and above a signal bar for its marker
_DATE_GAP = 8  # between the axis and the dates, clear of the "0" label on a phone


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    title: str
    signal: bool
    highlight: bool

    @property
    def marker_y(self) -> float:
        """Baseline of the ▲ drawn above a signal bar."""
        return round(self.y - _LABEL_GAP, 2)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    plot_left: int
    plot_bottom: float
    plot_right: float
    total: int

    @property
    def y_label_x(self) -> int:
        """Right edge of the count labels, left of the plot."""
        return self.plot_left - _LABEL_GAP

    @property
    def x_label_y(self) -> float:
        """Top of the date labels, under the axis."""
        return self.plot_bottom + _DATE_GAP


def _nice_step(top: int) -> int:
    """A round step giving at most ~5 gridlines up to ``top``."""
    if top <= 5:
        return 1
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    return int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))


def bar_chart(
    points: list[tuple[dt.date, int]],
    *,
    label: str,
    signal_days: set[dt.date] = frozenset(),
    highlight: dt.date | None = None,
    width: int = 600,
    height: int = 280,
    date_format: str = "%d/%m",
) -> BarChart:
    """Bars for ``points`` (day, count); days in ``signal_days`` are marked, ``highlight`` is outlined."""
    top = max((v for _, v in points), default=0)
    step = _nice_step(top)
    y_max = max(step * math.ceil(top / step), 1) if top else 1
    plot_w = width - _PAD_LEFT - _PAD_RIGHT
    plot_h = height - _PAD_TOP - _PAD_BOTTOM
    slot = plot_w / max(len(points), 1)
    gap = min(2.0, slot * 0.2)
    bottom = _PAD_TOP + plot_h
    bars = []
    for i, (day, value) in enumerate(points):
        h = plot_h * value / y_max
        bars.append(Bar(
            x=round(_PAD_LEFT + i * slot + gap / 2, 2), y=round(bottom - h, 2), width=round(slot - gap, 2),
            height=round(h, 2), value=value, title=f"{label} {day.strftime(date_format)}: {value}",
            signal=day in signal_days, highlight=day == highlight,
        ))
    every = max(1, math.ceil(len(points) / _MAX_X_LABELS))
    x_ticks = [Tick(round(_PAD_LEFT + (i + 0.5) * slot, 2), day.strftime(date_format))
               for i, (day, _) in enumerate(points) if i % every == 0]
    y_ticks = [Tick(round(bottom - plot_h * v / y_max, 2), str(v)) for v in range(0, y_max + 1, step)]
    return BarChart(width=width, height=height, bars=bars, y_ticks=y_ticks, x_ticks=x_ticks, plot_left=_PAD_LEFT,
                    plot_bottom=bottom, plot_right=width - _PAD_RIGHT, total=sum(v for _, v in points))
