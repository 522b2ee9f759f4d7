"""``/api/orgunits/``: units of either era, the crosswalk, facilities and rosters (session login required).

Units default to the structure in force today; ``as_of`` asks about another
date (``as_of=2024-06-30`` gives the 63-province structure). Units and facilities
are reference data; a roster names people, so it goes through the access module
(``accounts.rosters``): this edge therefore sits in the web layer, above it.
"""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from ytcs.accounts.rosters import facility_staff_list
from ytcs.audit.context import AuditContext
from ytcs.core.api import Pages
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.selectors import (
    facilities_in,
    rollup_targets,
    stations_with_permanent_doctor,
    today,
    unit_search,
    villages_with_trained_worker,
)

router = Router(tags=["orgunits"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    unit_type: str
    level: int
    parent_id: int | None
    valid_from: date
    valid_to: date | None
    latitude: float | None
    longitude: float | None
    area_km2: float | None


class UnitDetailOut(UnitOut):
    children: list[UnitOut]

    @staticmethod
    def resolve_children(obj: OrgUnit) -> list[OrgUnit]:
        return list(obj.children.order_by("code"))


class RollupOut(Schema):
    current_unit: UnitOut
    weight: float


class SuccessionOut(Schema):
    unit: UnitOut
    weight: float
    weight_source: str


class CrosswalkOut(Schema):
    rolls_up_to: list[RollupOut]
    successors: list[SuccessionOut]
    predecessors: list[SuccessionOut]


class FacilityOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    technical_level: str
    org_unit_id: int
    parent_id: int | None
    beds: int
    valid_from: date
    valid_to: date | None


class StaffOut(Schema):
    id: int
    staff_code: str
    full_name: str
    cadre: str
    qualification: str
    is_permanent: bool
    is_trained: bool
    village_id: int | None
    active_from: date
    active_to: date | None


class CoverageOut(Schema):
    total: int
    covered: int
    share: float | None


class TargetsOut(Schema):
    stations_with_permanent_doctor: CoverageOut
    villages_with_trained_worker: CoverageOut


@router.get("/units", response=list[UnitOut])
@paginate(Pages)
def list_units(request, q: str = "", level: int | None = None, parent: int | None = None,
               as_of: date | None = None):
    """Search units by name (any case, with or without marks) or exact code."""
    parent_unit = get_object_or_404(OrgUnit, pk=parent) if parent is not None else None
    return unit_search(query=q, as_of=as_of, level=level, parent=parent_unit)


@router.get("/units/{unit_id}", response=UnitDetailOut)
def get_unit(request, unit_id: int):
    return get_object_or_404(OrgUnit, pk=unit_id)


@router.get("/units/{unit_id}/crosswalk", response=CrosswalkOut)
def get_crosswalk(request, unit_id: int):
    """Which current unit(s) this unit counts toward, and its direct successors/predecessors with weights."""
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    return {
        "rolls_up_to": list(rollup_targets(unit)),
        "successors": [{"unit": e.successor, "weight": e.weight, "weight_source": e.weight_source}
                       for e in unit.successions.select_related("successor").order_by("-weight")],
        "predecessors": [{"unit": e.predecessor, "weight": e.weight, "weight_source": e.weight_source}
                         for e in unit.predecessions.select_related("predecessor").order_by("predecessor__code")],
    }


@router.get("/units/{unit_id}/facilities", response=list[FacilityOut])
@paginate(Pages)
def list_facilities(request, unit_id: int, kind: str = "", as_of: date | None = None):
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    facilities = facilities_in(unit, as_of=as_of or today())
    return facilities.filter(kind=kind) if kind else facilities


@router.get("/units/{unit_id}/targets", response=TargetsOut)
def get_targets(request, unit_id: int, as_of: date | None = None):
    """Directive 25 / QĐ 281 coverage: stations with a permanent doctor, villages with a trained worker."""
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    as_of = as_of or today()
    doctors = stations_with_permanent_doctor(unit, as_of=as_of)
    workers = villages_with_trained_worker(unit, as_of=as_of)
    return {
        "stations_with_permanent_doctor": {"total": doctors.total, "covered": doctors.covered, "share": doctors.share},
        "villages_with_trained_worker": {"total": workers.total, "covered": workers.covered, "share": workers.share},
    }


@router.get("/facilities/{facility_id}/staff", response=list[StaffOut])
def list_staff(request, facility_id: int, as_of: date | None = None):
    """The active roster of one facility: 404 unless the user's aggregate scope covers its unit; audited."""
    return facility_staff_list(context=AuditContext.from_request(request), facility_id=facility_id, as_of=as_of)
