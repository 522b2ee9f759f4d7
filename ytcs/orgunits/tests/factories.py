"""Factories for org units, facilities and staff, shared by every app's tests.

The orgunits tests themselves load the real tree (``conftest.py``); other apps build small trees with
``OrgUnitFactory``, whose rows follow the loader's contract: the country is "/<pk>/", a child is
``parent.path + f"{pk}/"``, and a current unit rolls up to itself with weight 1.
"""

from datetime import date

import factory

from ytcs.core.text import fold
from ytcs.orgunits.models import (
    Cadre,
    FacilityKind,
    HealthFacility,
    OrgUnit,
    OrgUnitRollup,
    OrgUnitSuccession,
    StaffMember,
    TechnicalLevel,
)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    level = OrgUnit.Level.COMMUNE
    parent = None
    valid_from = date(2025, 7, 1)
    valid_to = None
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))
    path = ""

    @classmethod
    def _create(cls, model_class: type[OrgUnit], *args: object, **kwargs: object) -> OrgUnit:
        unit = super()._create(model_class, *args, **kwargs)
        unit.path = (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"
        model_class.objects.filter(pk=unit.pk).update(path=unit.path)
        if unit.valid_to is None:
            OrgUnitRollup.objects.create(unit=unit, current_unit=unit, weight=1.0)
        return unit


MERGER_DAY = date(2025, 7, 1)


def abolished_unit(
    successors: dict[OrgUnit, float], *, name: str, parent: OrgUnit | None = None, level: int | None = None
) -> OrgUnit:
    """A unit abolished on 1 July 2025 whose population went to ``successors`` (unit → share, summing to 1).

    Written as the loader writes the crosswalk: one ``OrgUnitSuccession`` edge and one
    ``OrgUnitRollup`` row per successor. The old unit sits under ``parent`` (by default the first
    successor's parent) at the successors' level.
    """
    first = next(iter(successors))
    old = OrgUnitFactory(
        name=name, level=level if level is not None else first.level, parent=parent or first.parent,
        valid_from=date(2008, 8, 1), valid_to=MERGER_DAY,
    )
    for unit, weight in successors.items():
        OrgUnitSuccession.objects.create(predecessor=old, successor=unit, weight=weight, effective_date=MERGER_DAY)
        OrgUnitRollup.objects.create(unit=old, current_unit=unit, weight=weight)
    return old


class HealthFacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthFacility

    code = factory.Sequence(lambda n: f"F{n:05d}")
    name = factory.Sequence(lambda n: f"Trạm y tế {n}")
    kind = FacilityKind.COMMUNE_STATION
    technical_level = TechnicalLevel.PRIMARY
    beds = 5
    valid_from = date(2025, 7, 1)


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    facility = factory.SubFactory(HealthFacilityFactory)
    staff_code = factory.Sequence(lambda n: f"NV{n:04d}")
    full_name = "Nguyễn Văn An"
    cadre = Cadre.DOCTOR
    is_permanent = True
    is_trained = True
    active_from = date(2025, 7, 1)
