"""Org units for the synthetic-population tests: a small province with communes, paths as the real loader sets.

Kept apart from ``factories.py`` (owned by the resident-register tests) until ``ytcs orgunits load`` and its
factories are on main.
"""

from datetime import date

import factory

from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"{n:05d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))
    level = OrgUnit.Level.COMMUNE
    valid_from = date(2025, 7, 1)
    valid_to = None
    path = ""

    @factory.post_generation
    def set_path(obj: OrgUnit, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
        if create:
            obj.save(update_fields=["path"])


def province_with_communes(*, name: str = "Cao Bằng", code: str = "04", communes: int = 3) -> OrgUnit:
    """A current province (under a country root) with ``communes`` current communes, one of them a ward."""
    country = OrgUnitFactory(code="VN", name="Việt Nam", level=OrgUnit.Level.COUNTRY)
    province = OrgUnitFactory(code=code, name=name, unit_type="Tỉnh", level=OrgUnit.Level.PROVINCE, parent=country)
    for i in range(communes):
        unit_type = "Phường" if i == 0 else "Xã"
        OrgUnitFactory(
            code=f"{int(code) * 1000 + i:05d}", name=f"{unit_type} Thử {i + 1}", unit_type=unit_type,
            level=OrgUnit.Level.COMMUNE, parent=province,
        )
    return province
