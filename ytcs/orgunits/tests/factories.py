"""Factories for facilities and staff; org units come from the real loader (``conftest.py``)."""

from datetime import date

import factory

from ytcs.orgunits.models import Cadre, FacilityKind, HealthFacility, StaffMember, TechnicalLevel


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
