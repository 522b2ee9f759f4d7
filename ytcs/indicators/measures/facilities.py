"""Measures over the facility registry and staff rosters: stations, doctors, villages and their workers.

A station is a ``HealthFacility`` of kind *commune health station* open on the day (its *điểm trạm* are part of
it, not stations of their own); a roster entry counts while the person is active (``active_from`` ≤ day <
``active_to``). Facilities are counted in the commune they sit in, villages in themselves.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ytcs.clinical.models import Encounter
from ytcs.core.periods import Aggregation
from ytcs.indicators.measures.base import Ask, measure
from ytcs.orgunits.models import Cadre, FacilityKind, HealthFacility, OrgUnit, StaffMember
from ytcs.orgunits.selectors import valid_at

STATION_KINDS = (FacilityKind.COMMUNE_STATION, FacilityKind.STATION_POINT)


def active_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}active_from__lte": day}) & (
        Q(**{f"{prefix}active_to__isnull": True}) | Q(**{f"{prefix}active_to__gt": day})
    )


def stations(ask: Ask) -> QuerySet:
    """Commune health stations open on the stock day in the asked territory."""
    return HealthFacility.objects.filter(valid_at(ask.on), kind=FacilityKind.COMMUNE_STATION,
                                         org_unit_id__in=ask.fact_units)


def by_unit(queryset: QuerySet, field: str = "org_unit_id", count: str = "pk") -> list[tuple]:
    """``(unit, None, None, n)`` rows: facts placed by the unit they name, with no village and no hint."""
    return [(unit, None, None, n) for unit, n in
            queryset.order_by().values(field).annotate(n=Count(count, distinct=True)).values_list(field, "n")]


@measure("stations", aggregation=Aggregation.STOCK, counts="""
    Commune health stations open on the day (station points — điểm trạm — are part of their station and not
    counted).""")
def station_count(ask: Ask) -> list[tuple]:
    return by_unit(stations(ask))


@measure("stations_with_permanent_doctor", aggregation=Aggregation.STOCK, counts="""
    The `stations` of the day with at least one doctor (cadre bác sĩ) on their own roster who is permanent
    staff (cơ hữu) and active that day. Assistant doctors (y sĩ) are not doctors; a doctor on a station point's
    roster does not count for the station.""")
def stations_with_permanent_doctor(ask: Ask) -> list[tuple]:
    doctor = StaffMember.objects.filter(active_on(ask.on), facility=OuterRef("pk"), cadre=Cadre.DOCTOR,
                                        is_permanent=True)
    return by_unit(stations(ask).filter(Exists(doctor)))


@measure("station_doctors", aggregation=Aggregation.STOCK, params={"permanent_only": False}, counts="""
    Doctors (cadre bác sĩ) active on the day on the roster of a commune health station or one of its station
    points open that day, permanent or not (only permanent ones with `permanent_only`). Each roster entry counts
    once; assistant doctors (y sĩ) do not count.""")
def station_doctors(ask: Ask) -> list[tuple]:
    staff = StaffMember.objects.filter(
        active_on(ask.on), valid_at(ask.on, "facility__"), cadre=Cadre.DOCTOR, facility__kind__in=STATION_KINDS,
        facility__org_unit_id__in=ask.fact_units,
    )
    if ask.params["permanent_only"]:
        staff = staff.filter(is_permanent=True)
    return by_unit(staff, "facility__org_unit_id")


@measure("doctors", aggregation=Aggregation.STOCK, counts="""
    Doctors (cadre bác sĩ) active on the day on the roster of any facility in the unit open that day (stations,
    centres, hospitals), permanent or not. Only facilities whose rosters are kept in ytcs count.""")
def doctors(ask: Ask) -> list[tuple]:
    staff = StaffMember.objects.filter(active_on(ask.on), valid_at(ask.on, "facility__"), cadre=Cadre.DOCTOR,
                                       facility__org_unit_id__in=ask.fact_units)
    return by_unit(staff, "facility__org_unit_id")


def villages(ask: Ask) -> QuerySet:
    return OrgUnit.objects.filter(valid_at(ask.on), level=OrgUnit.Level.VILLAGE, pk__in=ask.fact_units)


def by_village(queryset: QuerySet) -> list[tuple]:
    return [(commune, village, None, 1) for commune, village in queryset.order_by().values_list("parent_id", "pk")]


@measure("villages", aggregation=Aggregation.STOCK, dimensions=("village",), counts="""
    Villages (thôn, bản, tổ dân phố…) existing on the day. Villages of the pre-2025 communes are not
    modelled, so a period before 1 July 2025 has none.""")
def village_count(ask: Ask) -> list[tuple]:
    return by_village(villages(ask))


@measure("villages_with_trained_worker", aggregation=Aggregation.STOCK, dimensions=("village",), counts="""
    The `villages` of the day served by at least one village health worker (nhân viên y tế thôn bản) active that
    day and recorded as trained or given professional training.""")
def villages_with_trained_worker(ask: Ask) -> list[tuple]:
    worker = StaffMember.objects.filter(active_on(ask.on), village=OuterRef("pk"),
                                        cadre=Cadre.VILLAGE_HEALTH_WORKER, is_trained=True)
    return by_village(villages(ask).filter(Exists(worker)))


def local_midnight(day: dt.date) -> dt.datetime:
    """00:00 of ``day`` in Vietnam time, for comparing with visit timestamps."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@measure("stations_active", aggregation=Aggregation.STOCK, params={"days": 7}, counts="""
    The `stations` of the day with at least one visit (not voided) recorded at the station or one of its
    station points in the `days` days ending on the day (Simple's "inactive facility" turned round), so a
    station with no activity can be told from one that is not using ytcs.""")
def stations_active(ask: Ask) -> list[tuple]:
    since = local_midnight(ask.on - dt.timedelta(days=ask.params["days"] - 1))
    until = local_midnight(ask.on + dt.timedelta(days=1))
    visit = Encounter.objects.filter(
        Q(facility=OuterRef("pk")) | Q(facility__parent=OuterRef("pk")),
        voided_at__isnull=True, occurred_at__gte=since, occurred_at__lt=until,
    )
    return by_unit(stations(ask).filter(Exists(visit)))
