"""Reads of the indicator engine: the definitions in force and a value for a unit and a period.

Aggregate figures are not personal data, so nothing here is audited; what a user may see is still decided by
the access module (the *aggregate* scope): a unit outside it answers 404, as every other read does. A command
or job (an ``AuditContext`` without an actor) sees every unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.accounts.scope import require_aggregate
from ytcs.audit.context import AuditContext
from ytcs.core.errors import DomainError, FieldError, OutOfScope
from ytcs.core.periods import Period, parse_period
from ytcs.indicators.definitions import CODE, Definition
from ytcs.indicators.engine import check_period, figures
from ytcs.indicators.models import IndicatorDefinition
from ytcs.indicators.results import IndicatorResult
from ytcs.indicators.units import UnitRef, resolve_unit
from ytcs.orgunits.selectors import current_units_for


def indicator_list() -> list[Definition]:
    """The definitions in force (the current version of each), by code."""
    return [Definition.from_row(row) for row in IndicatorDefinition.objects.filter(is_current=True).order_by("code")]


def current_definition(code: str, *, field: str = "indicator") -> Definition:
    """The version in force of indicator ``code``; :class:`DomainError` when there is none."""
    row = None
    if isinstance(code, str) and CODE.fullmatch(code):
        row = IndicatorDefinition.objects.filter(code=code, is_current=True).first()
    if row is None:
        raise DomainError.one(field, "unknown_indicator", _(
            "Không có chỉ số nào mang mã “%(code)s”."
        ) % {"code": str(code)[:60]})
    return Definition.from_row(row)


def require_unit_in_scope(context: AuditContext, ref: UnitRef) -> None:
    """404 unless the actor's aggregate scope covers the unit (an old unit: every current unit it became)."""
    if context.actor is None:
        return
    units = current_units_for(ref.unit) if ref.old else [ref.unit]
    if not units:
        raise OutOfScope
    for unit in units:
        require_aggregate(context.actor, unit)


def _parsed(indicator: str, unit: str, period: str) -> tuple[Definition, UnitRef, Period]:
    """The three inputs, each checked; every problem found is reported at once."""
    errors: list[FieldError] = []

    def checked(parse: Callable[[str], Any], text: str) -> Any:
        try:
            return parse(text)
        except DomainError as exc:
            errors.extend(exc.errors)
            return None

    parsed = (checked(current_definition, indicator), checked(resolve_unit, unit), checked(parse_period, period))
    if errors:
        raise DomainError(errors)
    return parsed


def indicator_value(*, context: AuditContext, indicator: str, unit: str, period: str,
                    today: dt.date | None = None) -> IndicatorResult:
    """The value of ``indicator`` for ``unit`` (a ``UNIT_CODE``) and ``period`` (a period code), computed now."""
    definition, ref, parsed = _parsed(indicator, unit, period)
    require_unit_in_scope(context, ref)
    today = today or timezone.localdate()
    check_period(definition, ref, parsed, today)
    result = figures(definition, ref, parsed, today)
    return IndicatorResult(
        indicator=indicator, unit=unit, period=period, version=definition.version or 0,
        is_count=definition.is_count, figures=result, value=result.value(definition),
    )
