"""Resident import: dry run reports every bad row, all-or-nothing, re-runs create no duplicates."""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent
from ytcs.core.errors import DomainError, NotAllowed
from ytcs.people.import_template import template_csv
from ytcs.people.imports import COLUMNS, import_residents
from ytcs.people.models import Household, LifeEvent, ResidenceHistory, Resident
from ytcs.people.services import resident_create
from ytcs.people.tests.factories import acting, make_world, person_fields

pytestmark = pytest.mark.django_db

HEADER = "Mã hộ,Thôn,Họ và tên,Giới tính,Ngày sinh,Quan hệ với chủ hộ,Dân tộc,CCCD,Số điện thoại,Mã thẻ BHYT\n"
GOOD = (
    "H001,Bản Giang,Nông Văn Dền,Nam,02/03/1980,Chủ hộ,Tày,004080001234,0912345678,HN2040123456789\n"
    "H001,Bản Giang,Lò Thị Mai,Nữ,09/07/1983,Vợ,Tày,004183004321,,\n"
    "H001,Bản Giang,Nông Bảo An,Nam,20/01/2015,Con,Tày,,,\n"
    "H002,Bản Chang,Hoàng Văn Bình,Nam,1990-05-05,Chủ hộ,Nùng,,0987654321,\n"
)


@pytest.fixture
def world():
    return make_world()


def run(world, text, *, dry_run=False, name="ds.csv"):
    return import_residents(context=acting(world["nurse_a"]), commune=world["commune_a"], name=name,
                            content=text.encode("utf-8"), dry_run=dry_run)


def test_import_creates_households_residents_and_history(world):
    report = run(world, HEADER + GOOD)
    assert report.ok and (report.rows, report.created, report.households_created) == (4, 4, 2)
    assert Resident.objects.count() == 4
    household = Household.objects.get(code="H001")
    assert household.head.full_name == "Nông Văn Dền"
    assert household.members.count() == 3
    mai = Resident.objects.get(cccd="004183004321")
    assert (mai.family_name, mai.middle_name, mai.given_name, mai.relationship_to_head) == ("Lò", "Thị", "Mai",
                                                                                           "spouse")
    den = Resident.objects.get(cccd="004080001234")
    assert (den.social_insurance_number, den.bhyt_group_code, den.village) == ("0123456789", "HN", world["village_a"])
    assert 0 < den.completeness_pct < 100
    assert ResidenceHistory.objects.count() == 4 and LifeEvent.objects.count() == 4
    event = AuditEvent.objects.get(resource_type="people.Resident", changes__file=[None, "ds.csv"])
    assert event.subjects.count() == 4 and event.changes["created"] == [None, 4]
    assert (event.action, event.changes["commune"]) == ("create", world["commune_a"].code)


def test_dry_run_writes_nothing_and_counts(world):
    report = run(world, HEADER + GOOD, dry_run=True)
    assert report.ok and (report.created, report.households_created) == (4, 2)
    assert not Resident.objects.exists() and not Household.objects.exists()


def test_every_bad_row_is_reported_with_row_column_reason_and_nothing_written(world):
    bad = (GOOD
           + "H003,Bản Giang,Vi Văn Lợi,Nam,31/02/1990,Chủ hộ,Tày,,,\n"          # row 6: impossible date
           + "H003,Bản Không Có,Vi Thị Hoa,Nữ,01/01/1991,Vợ,Tày,004091000001,,\n"  # row 7: village, cccd sex
           + "H004,Bản Giang,Ma Văn Tú,Nam,01/01/1970,Cháu nội,Tày,,0123,XX\n"     # row 8: rel., phone, bhyt
           + "H001,Bản Giang,Nông Văn Dền Hai,Nam,02/03/1980,Con,Tày,004080001234,,\n")  # row 9: repeated CCCD
    report = run(world, HEADER + bad)
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(6, "ngay_sinh"), (7, "thon"), (7, "cccd"), (8, "quan_he_chu_ho"), (8, "dien_thoai"),
                     (8, "ma_the_bhyt"), (9, "cccd")}
    assert {(e.row, e.error.code) for e in report.errors if e.row in (7, 9)} == {
        (7, "village_unknown"), (7, "cccd_sex_mismatch"), (9, "repeated")}
    message = next(e.message for e in report.errors if (e.row, e.column) == (7, "cccd"))
    assert message.startswith("Số CCCD: chữ số thứ 4 là “0”")
    assert next(e.message for e in report.errors if e.row == 9) == "Trùng với dòng 2 của cùng tệp."
    assert not Resident.objects.exists() and not Household.objects.exists()


def test_rerunning_the_same_file_creates_no_duplicates(world):
    run(world, HEADER + GOOD)
    again = run(world, HEADER + GOOD)
    assert again.ok and (again.created, again.updated, again.unchanged, again.households_created) == (0, 0, 4, 0)
    assert Resident.objects.count() == 4 and Household.objects.count() == 2


def test_rerun_with_a_correction_updates_the_matched_person(world):
    run(world, HEADER + GOOD)
    corrected = GOOD.replace("Hoàng Văn Bình,Nam,1990-05-05,Chủ hộ,Nùng,,0987654321",
                             "Hoàng Văn Bình,Nam,1990-05-05,Chủ hộ,Nùng,,0987000000")
    report = run(world, HEADER + corrected)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert Resident.objects.get(full_name="Hoàng Văn Bình").phone == "0987000000"


def test_cccd_registered_in_another_commune_is_refused_without_naming_anyone(world):
    resident_create(context=acting(world["nurse_b"]), commune=world["commune_b"], fields=person_fields())
    report = run(world, HEADER + GOOD)
    [error] = report.errors
    assert (error.row, error.column) == (2, "cccd")
    assert "xã/phường khác" in error.message and "Dền" not in error.message


def test_xlsx_with_real_dates(world):
    book = Workbook()
    sheet = book.active
    sheet.append(["ho", "ten_dem", "ten", "gioi_tinh", "ngay_sinh", "thon"])
    sheet.append(["Nông", "Văn", "Dền", "Nam", datetime.datetime(1980, 3, 2), "Bản Giang"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_residents(context=acting(world["nurse_a"]), commune=world["commune_a"], name="ds.xlsx",
                              content=buffer.getvalue(), dry_run=False)
    assert report.ok and report.created == 1
    assert Resident.objects.get().birth_date == datetime.date(1980, 3, 2)


def test_missing_required_columns_is_a_file_error(world):
    with pytest.raises(DomainError, match="gioi_tinh") as exc:
        run(world, "ho_ten,ngay_sinh\nA B,01/01/2000\n")
    assert [(e.field, e.code) for e in exc.value.errors] == [("file", "columns_missing")]


def test_a_province_user_may_not_import_into_its_communes(world):
    with pytest.raises(NotAllowed):
        import_residents(context=acting(world["provincial"]), commune=world["commune_a"], name="ds.csv",
                         content=(HEADER + GOOD).encode(), dry_run=True)


def test_template_has_every_column_and_imports_cleanly_as_it_stands(world):
    text = template_csv(world["commune_a"]).decode("utf-8-sig")
    header, example = text.splitlines()
    assert header.split(",") == [c.key for c in COLUMNS]
    report = run(world, text)
    assert report.ok, report.errors
    resident = Resident.objects.get()
    assert (resident.village, resident.household.code) == (world["village_a2"], f"{world['commune_a'].code}-00001")
    assert resident.cccd == "004080000001" and resident.bhyt_card_number == "HN2040400000001"


def test_template_of_a_commune_without_villages_leaves_household_and_village_empty(world):
    from ytcs.orgunits.tests.factories import OrgUnitFactory

    bare = OrgUnitFactory(name="Xã Mới", level=world["commune_a"].level, parent=world["province"])
    _, example = template_csv(bare).decode("utf-8-sig").splitlines()
    assert example.startswith(",,")
    report = import_residents(context=AuditContext.system("import"), commune=bare, name="mau.csv",
                              content=template_csv(bare), dry_run=True)
    assert report.ok and (report.created, report.households_created) == (1, 0)


def test_management_command_dry_run(world, tmp_path, capsys):
    path = tmp_path / "ds.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    call_command("import", "residents", str(path), "--commune", world["commune_a"].code, "--dry-run")
    assert "would create 4 residents" in capsys.readouterr().out
    assert not Resident.objects.exists()
    call_command("import", "residents", str(path), "--commune", world["commune_a"].code)
    assert Resident.objects.count() == 4
    event = AuditEvent.objects.get(resource_type="people.Resident", action="create")
    assert (event.actor, event.client) == (None, "job:import")


def test_residence_status_columns_take_the_vietnamese_labels_and_the_codes(world):
    header = "Họ và tên,Giới tính,Ngày sinh,Tình trạng cư trú,Cư trú từ ngày,Cư trú đến ngày\n"
    report = run(world, header + "Lò Thị Mai,Nữ,09/07/1983,Tạm vắng,01/01/2026,01/07/2026\n"
                                 "Nông Văn Dền,Nam,02/03/1980,temporary,,\n"
                                 "Hoàng Văn Bình,Nam,1990-05-05,,,\n")
    assert report.ok, report.errors
    statuses = dict(Resident.objects.values_list("given_name", "residence_status"))
    assert statuses == {"Mai": "absent", "Dền": "temporary", "Bình": "permanent"}
    assert Resident.objects.get(given_name="Mai").residence_status_from == datetime.date(2026, 1, 1)
    bad = run(world, header + "Lò Thị Hoa,Nữ,09/07/1983,Tạm vắng,,\n"
                              "Nông Văn Tú,Nam,02/03/1980,Đi xa,,\n", dry_run=True)
    assert [(e.row, e.column, e.error.code) for e in bad.errors] == [
        (2, "cu_tru_tu_ngay", "residence_absent_from_required"), (3, "tinh_trang_cu_tru", "invalid_choice")]
