"""Org units for the synthetic-population tests: a small province with communes, paths as the real loader sets."""

from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.tests.factories import OrgUnitFactory


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
