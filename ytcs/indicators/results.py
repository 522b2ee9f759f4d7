"""One indicator value as the contracts spell it: ``indicator,unit,period,numerator,denominator,value``.

Numbers are written locale-independently: a whole number without decimals, any other with at most 2; the
value with exactly 2 decimals (66.67), except for a count, whose value is its numerator. Empty (CSV) or
``null`` (JSON) when there is no figure: a zero or missing denominator, a count's absent denominator.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ytcs.indicators.engine import Figures, exact

KEYS = ("indicator", "unit", "period", "numerator", "denominator", "value")


def plain(number: float | Decimal | None) -> int | float | None:
    """A JSON number: an integer when whole, else rounded to 2 decimals."""
    if number is None:
        return None
    rounded = round(exact(float(number)), 2)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def text(number: int | float | None) -> str:
    return "" if number is None else str(number)


@dataclass(frozen=True)
class IndicatorResult:
    indicator: str  # the code as asked
    unit: str  # the unit code as given (``old:`` included)
    period: str  # the period code as given
    version: int
    is_count: bool
    figures: Figures
    value: Decimal | None

    def as_json(self) -> dict[str, str | int | float | None]:
        value = plain(self.value) if self.is_count else (None if self.value is None else float(self.value))
        return {
            "indicator": self.indicator, "unit": self.unit, "period": self.period,
            "numerator": plain(self.figures.numerator),
            "denominator": None if self.is_count else plain(self.figures.denominator),
            "value": value,
        }

    def as_row(self) -> list[str]:
        data = self.as_json()
        value = "" if self.value is None else (text(data["value"]) if self.is_count else f"{self.value:.2f}")
        return [self.indicator, self.unit, self.period, text(data["numerator"]), text(data["denominator"]), value]
