"""Epidemic curves as server-rendered SVG bar charts: no script, printable, readable on a phone.

This module only computes geometry; ``surveillance/_curve.html`` draws it.
"""

import datetime as dt
import math
from dataclasses import dataclass

_PAD_LEFT, _PAD_RIGHT, _PAD_TOP, _PAD_BOTTOM = 36, 8, 12, 34


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
    width: int = 760,
    height: int = 240,
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
    every = max(1, math.ceil(len(points) / 10))
    x_ticks = [Tick(round(_PAD_LEFT + (i + 0.5) * slot, 2), day.strftime(date_format))
               for i, (day, _) in enumerate(points) if i % every == 0]
    y_ticks = [Tick(round(bottom - plot_h * v / y_max, 2), str(v)) for v in range(0, y_max + 1, step)]
    return BarChart(width=width, height=height, bars=bars, y_ticks=y_ticks, x_ticks=x_ticks, plot_left=_PAD_LEFT,
                    plot_bottom=bottom, plot_right=width - _PAD_RIGHT, total=sum(v for _, v in points))
