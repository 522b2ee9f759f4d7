"""Measures over the examination register: visits (``clinical.Encounter``) at commune health stations."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q

from ytcs.clinical.models import Encounter, Payer
from ytcs.core.periods import Aggregation
from ytcs.indicators.measures.base import Ask, measure
from ytcs.indicators.measures.facilities import STATION_KINDS, local_midnight

PAYERS = ("", *Payer.values)


@measure("station_visits", aggregation=Aggregation.FLOW, params={"payer": ""}, counts="""
    Visits (lượt khám) recorded during the period at a commune health station or station point — or with no
    facility, which ytcs records only where the commune has no station on file — and not voided; with `payer`,
    only those paid that way (`bhyt`: by health insurance). Counted in the commune of the station; a visit to
    a hospital recorded in ytcs is not a station visit.""")
def station_visits(ask: Ask) -> list[tuple]:
    visits = Encounter.objects.filter(
        Q(facility__isnull=True) | Q(facility__kind__in=STATION_KINDS),
        voided_at__isnull=True, commune_id__in=ask.fact_units,
        occurred_at__gte=local_midnight(ask.period.start),
        occurred_at__lt=local_midnight(ask.period.end + dt.timedelta(days=1)),
    )
    if ask.params["payer"]:
        visits = visits.filter(payer=ask.params["payer"])
    rows = visits.order_by().values("commune_id", hint=F("facility__org_unit_id")).annotate(n=Count("pk"))
    return [(commune, None, hint, n) for commune, hint, n in rows.values_list("commune_id", "hint", "n")]
