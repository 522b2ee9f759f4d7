"""Measures over the register: residents, households, births, deaths, insurance and record completeness.

Everything is read from dated data, so any past period is answered as it was: where a person lived when
(``ResidenceHistory``, half-open ``[valid_from, valid_to)``), birth and death dates (alive on a day ``d``:
born on or before ``d`` and not dead on or before it, so the year-end population equals the year-start one
plus the year's births minus its deaths and net moves), card validity dates and residence-status dates.
Registrations merged into another are left out (the surviving one counts). A person is counted in the village
and commune of the residence period that covers the day (:mod:`ytcs.indicators.placement`), with their
current commune as the hint for a split old commune.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from ytcs.core.periods import Aggregation
from ytcs.indicators.measures.base import Ask, measure
from ytcs.people.models import ResidenceHistory, ResidenceStatus

STATUSES = tuple(ResidenceStatus.values)
PRESENT = ["permanent", "temporary"]
# Age groups of the commune death report (TT 27/2014/TT-BYT, Biểu 16/BCH): < 1, 1–< 5, 5–< 15, 15–< 60, ≥ 60.
AGE_GROUPS = ((60, "60+"), (15, "15-59"), (5, "5-14"), (1, "1-4"), (0, "0"))


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def lived_on(day: dt.date) -> Q:
    """Residence periods that cover ``day``."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def alive_on(day: dt.date) -> Q:
    """Residents born by ``day`` and not dead by it (someone who died on ``day`` no longer counts that evening)."""
    return Q(resident__birth_date__lte=day) & (
        Q(resident__date_of_death__isnull=True) | Q(resident__date_of_death__gt=day)
    )


def _absent_on(day: dt.date) -> Q:
    """A temporary absence (tạm vắng) in force on ``day``; outside its dates the person is at home."""
    return (
        Q(resident__residence_status=ResidenceStatus.ABSENT)
        & (Q(resident__residence_status_from__isnull=True) | Q(resident__residence_status_from__lte=day))
        & (Q(resident__residence_status_to__isnull=True) | Q(resident__residence_status_to__gt=day))
    )


def status_on(statuses: Iterable[str], day: dt.date) -> Q:
    """Residents whose residence status on ``day`` is one of ``statuses``.

    Thường trú (permanent) and tạm trú (temporary) hold while the person is on the register here; a tạm vắng
    (temporarily absent) person is absent between the absence's dates and a permanent resident outside them.
    """
    wanted = set(statuses)
    conditions = []
    if ResidenceStatus.TEMPORARY in wanted:
        conditions.append(Q(resident__residence_status=ResidenceStatus.TEMPORARY))
    if ResidenceStatus.ABSENT in wanted:
        conditions.append(_absent_on(day))
    if ResidenceStatus.PERMANENT in wanted:
        conditions.append(Q(resident__residence_status=ResidenceStatus.PERMANENT)
                          | (Q(resident__residence_status=ResidenceStatus.ABSENT) & ~_absent_on(day)))
    if not conditions:
        return Q(pk__in=[])
    result = conditions.pop()
    for condition in conditions:
        result |= condition
    return result


def dimension(name: str, day: dt.date) -> Any:
    """The SQL expression of a breakdown column for residents, on ``day``."""
    if name == "sex":
        return F("resident__sex")
    if name == "ethnicity":
        return F("resident__ethnicity")
    if name == "age_group":
        return Case(*[When(resident__birth_date__lte=years_before(day, years), then=Value(label))
                      for years, label in AGE_GROUPS], output_field=CharField())
    if name == "residence_status":
        return Case(When(_absent_on(day), then=Value(ResidenceStatus.ABSENT)),
                    When(resident__residence_status=ResidenceStatus.TEMPORARY, then=Value(ResidenceStatus.TEMPORARY)),
                    default=Value(ResidenceStatus.PERMANENT), output_field=CharField())
    raise ValueError(f"no breakdown {name!r} for residents")


def periods(ask: Ask) -> QuerySet:
    """Residence periods recorded against the asked territory's units, of registrations still in use."""
    return ResidenceHistory.objects.filter(ask.in_territory(), resident__merged_into__isnull=True)


def grouped(queryset: QuerySet, ask: Ask, day: dt.date, *, count: str = "resident_id") -> list[tuple]:
    """``(commune, village, the person's current commune, *dims, n)`` rows; each person (or ``count``) once."""
    dims = {f"dim_{i}": dimension(name, day) for i, name in enumerate(ask.dims)}
    return list(
        queryset.order_by()
        .values("commune_id", "village_id", hint=F("resident__commune_id"), **dims)
        .annotate(n=Count(count, distinct=True))
        .values_list("commune_id", "village_id", "hint", *dims, "n")
    )


def present(ask: Ask, day: dt.date) -> QuerySet:
    """Residence periods of people living on the register on ``day`` with one of the asked statuses."""
    return periods(ask).filter(lived_on(day), alive_on(day), status_on(ask.params["residence"], day))


_RESIDENCE = {"residence": list(STATUSES)}
_DIMS = ("sex", "age_group", "ethnicity", "residence_status", "village")


@measure("residents", aggregation=Aggregation.STOCK, params=_RESIDENCE, dimensions=_DIMS, counts="""
    People on the register on the day, alive (born on or before it, not dead on or before it), with a residence
    period covering the day in the unit, whose residence status that day is one of `residence`. Not counted:
    registrations merged into another, people who moved away before the day or in after it.""")
def residents(ask: Ask) -> list[tuple]:
    return grouped(present(ask, ask.on), ask, ask.on)


@measure("residents_insured", aggregation=Aggregation.STOCK, params=_RESIDENCE, dimensions=_DIMS, counts="""
    The `residents` of the day whose health-insurance (BHYT) card is valid that day: a card number on record,
    valid from on or before the day (or no start date), valid to on or after it. A card without an expiry date
    is not counted: its validity cannot be told. Only the current card is on record (no card history).""")
def residents_insured(ask: Ask) -> list[tuple]:
    day = ask.on
    insured = (
        ~Q(resident__bhyt_card_number="")
        & (Q(resident__bhyt_valid_from__isnull=True) | Q(resident__bhyt_valid_from__lte=day))
        & Q(resident__bhyt_valid_to__gte=day)
    )
    return grouped(present(ask, day).filter(insured), ask, day)


@measure("residents_record_complete", aggregation=Aggregation.STOCK, params={**_RESIDENCE, "threshold": 80},
         dimensions=_DIMS, counts="""
    The `residents` of the day whose QĐ 831 personal health record is at least `threshold` % complete
    (`Resident.completeness_pct`, kept by the register's services; see people/completeness.py). The completeness
    is today's: the register keeps no history of it, so a past period is measured with today's figure.""")
def residents_record_complete(ask: Ask) -> list[tuple]:
    complete = Q(resident__completeness_pct__gte=ask.params["threshold"])
    return grouped(present(ask, ask.on).filter(complete), ask, ask.on)


@measure("residents_mid_year", aggregation=Aggregation.STOCK, params=_RESIDENCE, dimensions=_DIMS, counts="""
    The `residents` on 1 July of the period's year (the mid-year population of a crude rate), or today when
    1 July is still to come.""")
def residents_mid_year(ask: Ask) -> list[tuple]:
    day = min(dt.date(ask.period.start.year, 7, 1), ask.today)
    return grouped(present(ask, day), ask, day)


@measure("households", aggregation=Aggregation.STOCK, params=_RESIDENCE, counts="""
    Households with at least one of the day's `residents` living in them (the residence period names the
    household). A household is counted where its members' residence period places it.""")
def households(ask: Ask) -> list[tuple]:
    return grouped(present(ask, ask.on).filter(household__isnull=False), ask, ask.on, count="household_id")


@measure("births", aggregation=Aggregation.FLOW, dimensions=("sex", "ethnicity", "village"), counts="""
    People on the register born during the period, counted where they lived on the day they were born (the
    residence period covering the birth date: a newborn registered through the birth service lives in the
    mother's household from that day). A person born in the period who came onto the register here later,
    having been born elsewhere, is not a birth here.""")
def births(ask: Ask) -> list[tuple]:
    born = F("resident__birth_date")
    rows = periods(ask).filter(
        resident__birth_date__gte=ask.period.start, resident__birth_date__lte=ask.period.end,
        valid_from__lte=born,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=born))
    return grouped(rows, ask, ask.on)


@measure("deaths", aggregation=Aggregation.FLOW, dimensions=("sex", "ethnicity", "village"), counts="""
    People on the register who died during the period (date of death), counted where they lived on the day
    they died, whatever their residence status.""")
def deaths(ask: Ask) -> list[tuple]:
    died = F("resident__date_of_death")
    rows = periods(ask).filter(
        resident__date_of_death__gte=ask.period.start, resident__date_of_death__lte=ask.period.end,
        valid_from__lte=died,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=died))
    return grouped(rows, ask, ask.on)
