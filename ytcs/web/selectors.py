"""Counts of health stations and staff in a user's area, for the home page.

``HealthFacility`` and ``StaffMember`` belong to ``ytcs.orgunits``; they are looked up through the
app registry so the home page leaves these two counts out on a database that predates them.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from ytcs.accounts.models import User
from ytcs.accounts.scope import aggregate_scope

COMMUNE_STATION = "commune_station"


@dataclass(frozen=True)
class FacilityCounts:
    stations: int
    staff: int


def facility_counts(*, actor: User) -> FacilityCounts | None:
    """Commune health stations and staff on active duty today within the actor's aggregate scope."""
    try:
        facility = apps.get_model("orgunits", "HealthFacility")
        staff = apps.get_model("orgunits", "StaffMember")
    except LookupError:
        return None
    area = aggregate_scope(actor)
    today = timezone.localdate()
    open_today = Q(valid_to__isnull=True) | Q(valid_to__gt=today)
    on_duty = Q(active_from__lte=today) & (Q(active_to__isnull=True) | Q(active_to__gt=today))
    return FacilityCounts(
        stations=facility.objects.filter(area.q("org_unit"), open_today, kind=COMMUNE_STATION).count(),
        staff=staff.objects.filter(area.q("facility__org_unit"), on_duty).count(),
    )
