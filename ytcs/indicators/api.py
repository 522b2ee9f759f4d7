"""``/api/indicators/``: an indicator's value for a unit and a period, as ``ytcs indicators value`` gives it.

Aggregate figures: any signed-in user may ask for a unit inside their *aggregate* scope (a unit outside it is a
404, like an absent one). Bad input — an unknown indicator or unit, a malformed or unsupported period — is a 422
with the one error body, every problem at once.
"""

from django.http import HttpRequest
from ninja import Router, Schema

from ytcs.audit.context import AuditContext
from ytcs.indicators.selectors import indicator_value

router = Router(tags=["indicators"])


class IndicatorValueOut(Schema):
    """The keys of the CSV contract; ``null`` where the CSV is empty."""

    indicator: str
    unit: str
    period: str
    numerator: int | float | None
    denominator: int | float | None
    value: int | float | None


@router.get("/values", response=IndicatorValueOut)
def values(request: HttpRequest, indicator: str, unit: str, period: str) -> dict:
    """``indicator`` (e.g. d25.station_doctor), ``unit`` (VN, 04, 01234, a village code, old:CODE), ``period``
    (2025-06, 2025Q2, 2025S1, 2025-9M, 2025, 2025-W23)."""
    result = indicator_value(context=AuditContext.from_request(request), indicator=indicator, unit=unit,
                             period=period)
    return result.as_json()
