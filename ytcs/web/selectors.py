"""Counts of health facilities and staff in a user's area, for the home page.

The facility models belong to ``ytcs.orgunits``; they are looked up by name so the home page shows
stations and staff as soon as those models exist, and leaves the two counts out until then.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models

from ytcs.accounts.models import User
from ytcs.accounts.scope import aggregate_scope
from ytcs.orgunits.models import OrgUnit


@dataclass(frozen=True)
class FacilityCounts:
    facilities: int
    staff: int | None


def _fk_to(model: type[models.Model], target: type[models.Model]) -> str | None:
    for field in model._meta.get_fields():
        if isinstance(field, models.ForeignKey) and field.related_model is target:
            return field.name
    return None


def facility_counts(*, actor: User) -> FacilityCounts | None:
    """Health facilities and active staff within the actor's aggregate scope, or None if not modelled yet."""
    try:
        facility_model = apps.get_model("orgunits", "HealthFacility")
    except LookupError:
        return None
    unit_field = _fk_to(facility_model, OrgUnit)
    if unit_field is None:
        return None
    area = aggregate_scope(actor)
    facilities = facility_model.objects.filter(area.q(unit_field)).count()
    staff = None
    try:
        staff_model = apps.get_model("orgunits", "StaffMember")
    except LookupError:
        staff_model = None
    if staff_model is not None and (facility_field := _fk_to(staff_model, facility_model)):
        staff_qs = staff_model.objects.filter(area.q(f"{facility_field}__{unit_field}"))
        if any(f.name == "active" for f in staff_model._meta.get_fields()):
            staff_qs = staff_qs.filter(active=True)
        staff = staff_qs.count()
    return FacilityCounts(facilities=facilities, staff=staff)
