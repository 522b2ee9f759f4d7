"""Villages (thôn, bản, tổ dân phố) for communes that have too few.

Stand-in for ``ytcs.orgunits.services.villages_synthesise`` (same signature and idempotency) until the
org-units service is merged; swap the import in ``service.py`` then and delete this module.
"""

import numpy as np

from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit


def villages_synthesise(*, commune: OrgUnit, count: int, seed: int) -> list[OrgUnit]:
    """Return at least ``count`` current villages of ``commune``, creating numbered ones as needed."""
    existing = list(
        OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE, valid_to=None).order_by("code", "pk")
    )
    if len(existing) >= count:
        return existing
    if "phường" in f"{commune.unit_type} {commune.name}".lower():
        unit_type = "Tổ dân phố"
    else:
        unit_type = str(np.random.default_rng([seed, commune.pk]).choice(["Thôn", "Bản"], p=[0.6, 0.4]))
    created = [
        OrgUnit(
            code=f"{commune.code}-{number:03d}",
            name=f"{unit_type} {number}",
            name_folded=fold(f"{unit_type} {number}"),
            unit_type=unit_type,
            level=OrgUnit.Level.VILLAGE,
            parent=commune,
            valid_from=commune.valid_from,
            path="",
        )
        for number in range(len(existing) + 1, count + 1)
    ]
    OrgUnit.objects.bulk_create(created)
    for unit in created:
        unit.path = f"{commune.path}{unit.pk}/"
    OrgUnit.objects.bulk_update(created, ["path"])
    return existing + created
