"""``ytcs orgunits synth``: villages named for their region, the demo network of facilities and its staff."""

import pytest
from django.core.management import CommandError, call_command

from ytcs.orgunits.models import (
    Cadre,
    FacilityKind,
    HealthFacility,
    OrgUnit,
    OrgUnitRollup,
    StaffMember,
    TechnicalLevel,
)
from ytcs.orgunits.selectors import stations_with_permanent_doctor, villages_with_trained_worker
from ytcs.synth.orgunits import facilities_for_province_create, staff_synthesise, villages_synthesise

Level = OrgUnit.Level


@pytest.fixture
def communes(cao_bang):
    """Two current communes of Cao Bằng (a xã and a phường)."""
    xa = cao_bang.children.filter(unit_type="Xã").order_by("code").first()
    phuong = cao_bang.children.filter(unit_type="Phường").order_by("code").first()
    return xa, phuong


def test_synthesised_villages_follow_the_region_and_are_idempotent(communes):
    xa, phuong = communes
    made = villages_synthesise(commune=xa, count=6, seed=3)
    assert len(made) == 6 and all(v.name.startswith("Bản ") and v.unit_type == "Bản" for v in made)
    assert len({v.name for v in made}) == 6
    assert [v.code for v in made] == [f"{xa.code}-{i:02d}" for i in range(1, 7)]
    assert villages_synthesise(commune=xa, count=6, seed=3) == made
    assert OrgUnit.objects.filter(level=Level.VILLAGE).count() == 6
    wards = villages_synthesise(commune=phuong, count=3, seed=3)
    assert [v.name for v in wards] == ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3"]
    assert OrgUnitRollup.objects.filter(unit__level=Level.VILLAGE).count() == 9


@pytest.fixture
def network(cao_bang):
    for commune in cao_bang.children.all():
        villages_synthesise(commune=commune, count=3, seed=1)
    return facilities_for_province_create(province=cao_bang, seed=1)


def test_one_station_per_commune_plus_provincial_facilities(cao_bang, network):
    communes = set(cao_bang.children.filter(level=Level.COMMUNE))
    stations = [f for f in network if f.kind == FacilityKind.COMMUNE_STATION]
    assert {s.org_unit for s in stations} == communes and len(stations) == len(communes)
    assert {s.technical_level for s in stations} == {TechnicalLevel.PRIMARY}
    hospital = HealthFacility.objects.get(kind=FacilityKind.PROVINCIAL_GENERAL_HOSPITAL)
    assert hospital.org_unit == cao_bang and hospital.technical_level == TechnicalLevel.SPECIALISED
    assert hospital.beds >= 600
    assert HealthFacility.objects.get(kind=FacilityKind.PROVINCIAL_CDC).technical_level == ""
    centres = HealthFacility.objects.filter(kind=FacilityKind.HEALTH_CENTRE)
    assert centres.count() == OrgUnit.objects.filter(level=Level.DISTRICT, parent__code="04").count()
    for point in HealthFacility.objects.filter(kind=FacilityKind.STATION_POINT).select_related("parent"):
        assert point.parent.kind == FacilityKind.COMMUNE_STATION and point.parent.org_unit_id == point.org_unit_id
    assert facilities_for_province_create(province=cao_bang, seed=1) == network


def test_staff_shares_drive_the_directive_25_counts(cao_bang, network):
    created = staff_synthesise(province=cao_bang, seed=1, doctor_share=1.0, permanent_doctor_share=1.0,
                               village_worker_share=1.0, trained_worker_share=1.0)
    assert created > 0
    doctors = stations_with_permanent_doctor(cao_bang)
    workers = villages_with_trained_worker(cao_bang)
    assert doctors.covered == doctors.total == cao_bang.children.count()
    assert workers.covered == workers.total == 3 * cao_bang.children.count()
    assert staff_synthesise(province=cao_bang, seed=1) == 0


def test_no_doctors_and_no_village_workers_when_the_shares_are_zero(cao_bang, network):
    staff_synthesise(province=cao_bang, seed=1, doctor_share=0.0, village_worker_share=0.0)
    assert stations_with_permanent_doctor(cao_bang).covered == 0
    assert villages_with_trained_worker(cao_bang).share == 0
    assert not StaffMember.objects.filter(cadre=Cadre.DOCTOR).exists()


def test_the_orgunits_command_still_offers_synth_with_its_flags_and_output(cao_bang, capsys):
    call_command("orgunits", "synth", "--province", "Cao Bằng", "--villages-per-commune", "2", "--seed", "1",
                 "--doctor-share", "1.0")
    communes = cao_bang.children.filter(level=Level.COMMUNE).count()
    facilities = HealthFacility.objects.count()
    staff = StaffMember.objects.count()
    expected = f"Tỉnh Cao Bằng: {2 * communes} villages, {facilities} facilities, {staff} new staff\n"
    assert capsys.readouterr().out == expected
    with pytest.raises(CommandError, match="Atlantis"):
        call_command("orgunits", "synth", "--province", "Atlantis")
