"""Computing an indicator for a unit and a period from the records, at the moment it is asked.

Each term (numerator, denominator) is one measure evaluated in SQL and placed into the asked territory; the
value is numerator ÷ denominator × factor, rounded half up to 2 decimals in the factor's unit (66.67 for a
percentage). A count has no denominator and its value is the numerator; a zero or missing denominator gives no
value. Nothing is cached, so a value reflects every committed write.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from ytcs.core.errors import DomainError
from ytcs.core.periods import Period, stock_date
from ytcs.indicators.definitions import Definition, Term
from ytcs.indicators.measures import MEASURES, Ask
from ytcs.indicators.models import Factor
from ytcs.indicators.placement import Key, Placer
from ytcs.indicators.units import UnitRef
from ytcs.orgunits.selectors import current_units_for

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figures:
    """A numerator and a denominator (``None``: no figure, e.g. no population estimate entered)."""

    numerator: float | None
    denominator: float | None

    def value(self, definition: Definition) -> Decimal | None:
        """numerator ÷ denominator × factor, rounded half up to 2 decimals; the numerator for a count."""
        if self.numerator is None:
            return None
        if definition.is_count:
            return exact(self.numerator).quantize(CENT, ROUND_HALF_UP)
        if not self.denominator:
            return None
        ratio = exact(self.numerator) / exact(self.denominator) * Factor(definition.factor).multiplier
        return ratio.quantize(CENT, ROUND_HALF_UP)


def exact(number: float) -> Decimal:
    """A measured amount as a decimal, without binary noise (weighted sums carry crosswalk fractions)."""
    return Decimal(repr(round(number, 9)))


def check_period(definition: Definition, ref: UnitRef, period: Period, today: dt.date, *,
                 field: str = "period") -> None:
    """Refuse a period the indicator or the unit cannot answer, saying why."""
    if period.type not in definition.period_types:
        allowed = ", ".join(f"{t.label} ({t.example})" for t in definition.period_types)
        raise DomainError.one(field, "unsupported_period", _(
            "Chỉ số %(indicator)s không tính cho kỳ %(kind)s; các kỳ được tính: %(allowed)s."
        ) % {"indicator": definition.code, "kind": period.type.label, "allowed": allowed})
    if not period.has_started(today):
        raise DomainError.one(field, "period_not_started", _(
            "Kỳ %(period)s chưa bắt đầu (bắt đầu ngày %(start)s)."
        ) % {"period": period.code, "start": period.start.strftime("%d/%m/%Y")})
    if definition.complete_periods_only and not period.is_complete(today):
        raise DomainError.one(field, "period_incomplete", _(
            "Chỉ số %(indicator)s chỉ tính cho kỳ đã kết thúc; kỳ %(period)s kết thúc ngày %(end)s."
        ) % {"indicator": definition.code, "period": period.code, "end": period.end.strftime("%d/%m/%Y")})
    if not ref.covers_day(period.end):
        successors = ", ".join(f"{u.name} ({u.code})" for u in current_units_for(ref.unit))
        last = ref.unit.valid_to - dt.timedelta(days=1)
        raise DomainError.one(field, "period_after_unit", _(
            "Đơn vị cũ %(unit)s chỉ tồn tại đến ngày %(last)s, trước khi kỳ %(period)s kết thúc; hãy hỏi đơn vị "
            "hiện hành: %(successors)s."
        ) % {"unit": ref.unit.name, "last": last.strftime("%d/%m/%Y"), "period": period.code,
             "successors": successors or "-"})


def term_amounts(term: Term, ref: UnitRef, period: Period, today: dt.date, *,
                 breakdown: int | None = None, dims: tuple[str, ...] = ()) -> dict[Key, float] | None:
    """One term's amounts per (unit key, *dims); ``None`` when the measure has no figure."""
    measure = MEASURES[term.measure]
    ask = Ask(ref=ref, period=period, on=stock_date(period, today), today=today,
              params=term.effective_params(), dims=dims)
    rows = measure.rows(ask)
    if rows is None:
        return None
    placer = Placer(ref, breakdown=breakdown)
    return placer.weighted(rows) if measure.weighted else placer.discrete(rows)


def _total(amounts: dict[Key, float] | None) -> float | None:
    return None if amounts is None else sum(amounts.values())


def figures(definition: Definition, ref: UnitRef, period: Period, today: dt.date) -> Figures:
    """The total numerator and denominator for the asked unit and period (the period already checked)."""
    numerator = term_amounts(definition.numerator, ref, period, today)
    if definition.denominator is None:
        return Figures(_total(numerator), None)
    return Figures(_total(numerator), _total(term_amounts(definition.denominator, ref, period, today)))


@dataclass(frozen=True)
class Breakdown:
    """A unit's total and the figures of each unit at one depth under it (see :func:`figures_by_unit`)."""

    total: Figures
    parts: dict[int | None, Figures]

    def part(self, key: int | None) -> Figures:
        """The figures of ``key``; a unit with no facts has zeros (or no figure where the total has none)."""
        if key in self.parts:
            return self.parts[key]
        return Figures(None if self.total.numerator is None else 0.0,
                       None if self.total.denominator is None else 0.0)


def figures_by_unit(definition: Definition, ref: UnitRef, period: Period, today: dt.date, *,
                    depth: int) -> Breakdown:
    """The total and the figures of each unit at ``depth`` of the current tree under ``ref`` (its communes…).

    The part ``None`` holds what was recorded above that depth (a provincial hospital's doctors, a province's
    population estimate), so the parts add up to the total. One evaluation of each term, whatever the number
    of units.
    """
    numerator = term_amounts(definition.numerator, ref, period, today, breakdown=depth)
    denominator = None
    if definition.denominator is not None:
        denominator = term_amounts(definition.denominator, ref, period, today, breakdown=depth)
    total = Figures(_total(numerator), _total(denominator))
    keyed: dict[int | None, list[float | None]] = defaultdict(
        lambda: [None if numerator is None else 0.0, None if denominator is None else 0.0])
    for index, amounts in enumerate((numerator, denominator)):
        for key, amount in (amounts or {}).items():
            keyed[key[0]][index] += amount
    return Breakdown(total, {key: Figures(*pair) for key, pair in keyed.items()})


VILLAGE_DEPTH = 3  # country / province / commune / village in a current path


def figures_by(definition: Definition, ref: UnitRef, period: Period, today: dt.date, *,
               dimension: str) -> dict[object, Figures]:
    """The figures broken down by one of the definition's disaggregations (breakdowns are never stored).

    ``village`` keys by village (``None``: facts recorded with no village); the other dimensions key by the
    value of the column (``F``/``M`` for sex, the age group, the ethnicity, the residence status).
    """
    if dimension not in definition.disaggregations:
        raise DomainError.one("by", "unsupported_breakdown", _(
            "Chỉ số %(indicator)s không phân tổ theo “%(by)s”."
        ) % {"indicator": definition.code, "by": dimension})
    if dimension == "village":
        breakdown = figures_by_unit(definition, ref, period, today, depth=VILLAGE_DEPTH)
        return dict(breakdown.parts)
    parts = []
    for term in (definition.numerator, definition.denominator):
        amounts = term_amounts(term, ref, period, today, dims=(dimension,)) if term else None
        parts.append(None if amounts is None else _by_dimension(amounts))
    keys = set(parts[0] or ()) | set(parts[1] or ())
    return {
        key: Figures(None if parts[0] is None else parts[0].get(key, 0.0),
                     None if definition.denominator is None or parts[1] is None else parts[1].get(key, 0.0))
        for key in keys
    }


def _by_dimension(amounts: dict[Key, float]) -> dict[object, float]:
    result: dict[object, float] = defaultdict(float)
    for (_unit, value), amount in amounts.items():
        result[value] += amount
    return dict(result)
