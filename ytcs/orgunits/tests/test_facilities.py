from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from ytcs.orgunits.csvio import CsvImportError
from ytcs.orgunits.facility_services import facilities_import, staff_import
from ytcs.orgunits.models import Cadre, FacilityKind, HealthFacility, OrgUnit, StaffMember, TechnicalLevel
from ytcs.orgunits.selectors import stations_with_permanent_doctor, villages_with_trained_worker
from ytcs.synth.orgunits import villages_synthesise

from .factories import HealthFacilityFactory, StaffMemberFactory

Level = OrgUnit.Level


def test_counts_ignore_rotating_departed_and_untrained_staff(cao_bang):
    communes = list(cao_bang.children.order_by("code")[:3])
    stations = [HealthFacilityFactory(org_unit=c) for c in communes]
    StaffMemberFactory(facility=stations[0])
    StaffMemberFactory(facility=stations[1], is_permanent=False)
    StaffMemberFactory(facility=stations[2], active_to=date(2025, 12, 31))
    village = villages_synthesise(commune=communes[0], count=2, seed=1)
    StaffMemberFactory(facility=stations[0], cadre=Cadre.VILLAGE_HEALTH_WORKER, village=village[0])
    StaffMemberFactory(facility=stations[0], cadre=Cadre.VILLAGE_HEALTH_WORKER, village=village[1], is_trained=False)
    coverage = stations_with_permanent_doctor(cao_bang, as_of=date(2026, 3, 1))
    assert (coverage.total, coverage.covered) == (3, 1)
    assert stations_with_permanent_doctor(cao_bang, as_of=date(2025, 9, 1)).covered == 2
    workers = villages_with_trained_worker(communes[0], as_of=date(2026, 3, 1))
    assert (workers.total, workers.covered) == (2, 1)


FACILITY_HEADER = "facility_code,facility_name,kind,technical_level,unit_code,parent_code,beds\n"


def test_facility_csv_imports_stations_and_points_and_reimport_is_idempotent(cao_bang):
    commune = cao_bang.children.order_by("code").first()
    text = (FACILITY_HEADER
            + f"DT1,Điểm trạm y tế Nà Phia,Điểm trạm y tế,ban đầu,{commune.code},TYT1,0\n"
            + f"TYT1,Trạm y tế xã A,commune_station,Ban đầu,{commune.code},,5\n"
            + "BV04,Bệnh viện Đa khoa tỉnh Cao Bằng,provincial_general_hospital,chuyên sâu,04,,700\n")
    result = facilities_import(csv_text=text)
    assert result.created == 3
    point = HealthFacility.objects.get(code="DT1")
    assert point.parent.code == "TYT1" and point.kind == FacilityKind.STATION_POINT
    assert HealthFacility.objects.get(code="BV04").technical_level == TechnicalLevel.SPECIALISED
    again = facilities_import(csv_text=text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_facility_csv_errors_name_row_and_column_and_write_nothing(cao_bang):
    commune = cao_bang.children.order_by("code").first()
    text = (FACILITY_HEADER
            + f"OK1,Trạm y tế xã A,commune_station,ban dau,{commune.code},,5\n"
            + f"OK1,Trùng mã,commune_station,ban dau,{commune.code},,5\n"
            + "X2,Trạm,bệnh xá,ban dau,77777,,-1\n"
            + f"X3,Điểm trạm,station_point,tuyến xã,{commune.code},,2\n"
            + "X4,Trạm,commune_station,ban dau,04,,2\n")
    with pytest.raises(CsvImportError) as info:
        facilities_import(csv_text=text)
    assert [(e.line, e.column) for e in info.value.errors] == [
        (3, "facility_code"), (4, "kind"), (4, "unit_code"), (4, "beds"),
        (5, "technical_level"), (5, "parent_code"), (6, "unit_code"),
    ]
    assert not HealthFacility.objects.exists()


STAFF_HEADER = ("facility_code,staff_code,full_name,cadre,qualification,is_permanent,is_trained,village_code,"
                "active_from\n")


def test_staff_csv_import_and_errors(cao_bang):
    commune, other = cao_bang.children.order_by("code")[:2]
    station = HealthFacilityFactory(code="TYT1", org_unit=commune)
    village = villages_synthesise(commune=commune, count=1, seed=1)[0]
    foreign = villages_synthesise(commune=other, count=1, seed=1)[0]
    good = (STAFF_HEADER + "TYT1,NV1,Nguyễn Văn An,Bác sĩ,Bác sĩ đa khoa,có,,,2025-07-01\n"
            + f"TYT1,NV2,Lò Thị Mai,village_health_worker,,0,1,{village.code},01/08/2025\n")
    assert staff_import(csv_text=good).created == 2
    assert staff_import(csv_text=good).unchanged == 2
    vhw = StaffMember.objects.get(staff_code="NV2")
    assert (vhw.village, vhw.is_permanent, vhw.active_from) == (village, False, date(2025, 8, 1))
    assert stations_with_permanent_doctor(commune).covered == 1
    bad = (STAFF_HEADER + "NOPE,NV3,Ai Đó,doctor,,,,,\n"
           + "TYT1,NV4,Ai Đó,phù thủy,,có lẽ,,,\n"
           + "TYT1,NV5,Ai Đó,village_health_worker,,,,,\n"
           + f"TYT1,NV6,Ai Đó,village_health_worker,,,,{foreign.code},31/02/2025\n"
           + "TYT1,NV1,,doctor,,,,,\n")
    with pytest.raises(CsvImportError) as info:
        staff_import(csv_text=bad)
    assert [(e.line, e.column) for e in info.value.errors] == [
        (2, "facility_code"), (3, "cadre"), (3, "is_permanent"), (4, "village_code"), (5, "village_code"),
        (5, "active_from"), (6, "full_name"),
    ]
    assert StaffMember.objects.filter(facility=station).count() == 2


def test_shipped_example_files_import_cleanly(cao_bang, capsys):
    examples = Path(__file__).resolve().parent.parent / "examples"
    for command in ("import-villages", "import-facilities", "import-staff"):
        call_command("orgunits", command, str(examples / f"{command.removeprefix('import-')}.csv"))
    assert capsys.readouterr().out.count("0 cập nhật") == 3
    commune = OrgUnit.objects.get(code="01290", level=Level.COMMUNE, valid_to__isnull=True)
    assert stations_with_permanent_doctor(commune, as_of=date(2025, 9, 1)).covered == 1
    workers = villages_with_trained_worker(commune, as_of=date(2025, 9, 1))
    assert (workers.total, workers.covered) == (3, 1)
