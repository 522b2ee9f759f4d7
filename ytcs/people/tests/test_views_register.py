"""Register pages: household in one go, errors beside the field, record sections, events, import, exports."""

import datetime
import io
import json
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from ytcs.accounts.models import Role
from ytcs.audit.models import AuditEvent
from ytcs.orgunits.tests.factories import OrgUnitFactory, abolished_unit
from ytcs.people.models import Household, Resident
from ytcs.people.services import resident_create
from ytcs.people.tests.factories import UserFactory, acting, make_world, person_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def household_post(world, members):
    data = {"code": "", "village": world["village_a"].pk, "address": "Xóm Trên",
            "members-TOTAL_FORMS": str(len(members)), "members-INITIAL_FORMS": "0",
            "members-MIN_NUM_FORMS": "1", "members-MAX_NUM_FORMS": "30"}
    for i, member in enumerate(members):
        data.update({f"members-{i}-{k}": v for k, v in member.items()})
    return data


MEMBERS = [
    {"family_name": "Nông", "middle_name": "Văn", "given_name": "Dền", "sex": "M", "birth_date": "1980-03-02",
     "relationship_to_head": "head", "ethnicity": "Tày", "cccd": "004080001234"},
    {"family_name": "Lò", "middle_name": "Thị", "given_name": "Mai", "sex": "F", "birth_date": "1983-07-09",
     "relationship_to_head": "spouse", "ethnicity": "Tày", "cccd": "004183004321"},
    {"family_name": "Nông", "given_name": "Bảo", "sex": "M", "birth_date": "2015-01-20",
     "relationship_to_head": "child", "ethnicity": "Tày"},
]


def test_household_page_registers_three_members(world):
    client = client_for(world["nurse_a"])
    assert client.get(reverse("people:register_household")).status_code == 200
    response = client.post(reverse("people:register_household"), household_post(world, MEMBERS))
    assert response.status_code == 302
    household = Household.objects.get()
    assert household.members.count() == 3
    assert response["Location"] == reverse("people:register_record", args=[household.head_id])


def test_wrong_cccd_is_shown_beside_the_member_field(world):
    members = [dict(m) for m in MEMBERS]
    members[1]["cccd"] = "004083004321"
    response = client_for(world["nurse_a"]).post(reverse("people:register_household"), household_post(world, members))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_members-1-cccd_errors"' in html
    assert "Số CCCD: chữ số thứ 4 là “0”, tức giới tính nam, nhưng giới tính đã ghi là nữ." in html
    assert not Household.objects.exists()


def test_member_row_partial_for_htmx(world):
    response = client_for(world["nurse_a"]).get(reverse("people:register_member_row"), {"members-TOTAL_FORMS": "2"})
    html = response.content.decode()
    assert 'name="members-2-cccd"' in html and 'hx-swap-oob="true"' in html and 'value="3"' in html


def test_register_pages_are_403_for_provincial_users_and_404_for_another_province(world):
    """The province sees its communes but registers nobody (403); a commune it cannot see is a 404."""
    client = client_for(world["provincial"])
    assert client.get(reverse("people:register_household")).status_code == 403
    url = reverse("people:register_household")
    assert client.get(f"{url}?commune={world['commune_a'].pk}").status_code == 403
    elsewhere = OrgUnitFactory(level=world["commune_a"].level, parent=OrgUnitFactory(level=world["province"].level))
    assert client.get(f"{url}?commune={elsewhere.pk}").status_code == 404
    assert client_for(world["nurse_b"]).get(f"{url}?commune={world['commune_a'].pk}").status_code == 404


def test_record_page_sections_and_exports_are_audited(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields(
        sex="F", cccd="004180001234", given_name="Mai"))
    client = client_for(world["nurse_a"])
    page = client.get(reverse("people:register_record", args=[resident.pk]))
    assert page.status_code == 200 and "Hồ sơ quản lý sức khỏe cá nhân" in page.content.decode()
    bad = client.post(reverse("people:register_entry_add", args=[resident.pk, "medical_history"]), {
        "entry-medical_history-whose": "personal", "entry-medical_history-condition": "THA",
        "entry-medical_history-icd10_code": "XYZ"})
    assert bad.status_code == 422 and "Mã ICD-10 “XYZ”" in bad.content.decode()
    ok = client.post(reverse("people:register_section", args=[resident.pk, "risk_factors"]), {
        "risk_factors-tobacco": "thuoc_lao", "risk_factors-alcohol": "none",
        "risk_factors-physical_activity": "regular"})
    assert ok.status_code == 302
    assert resident.risk_factors.tobacco == "thuoc_lao"
    printed = client.get(reverse("people:register_export_print", args=[resident.pk]))
    assert "Thuốc lào" in printed.content.decode()
    pdf = client.get(reverse("people:register_export_pdf", args=[resident.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    data = json.loads(client.get(reverse("people:register_export_json", args=[resident.pk])).content)
    assert data["resident"]["cccd"] == "004180001234" and data["risk_factors"]["tobacco"] == "thuoc_lao"
    assert data["completeness"]["pct"] == Resident.objects.get(pk=resident.pk).completeness_pct
    exports = AuditEvent.objects.filter(action="export", resource_id=str(resident.pk))
    assert sorted(e.changes["format"] for e in exports) == ["html", "json", "pdf"]
    assert all(e.subjects.filter(resident_id=resident.pk).exists() for e in exports)


def test_exports_of_another_communes_resident_are_404_and_not_audited(world):
    resident = resident_create(context=acting(world["nurse_b"]), commune=world["commune_b"], fields=person_fields())
    client = client_for(world["nurse_a"])
    for name in ("register_export_print", "register_export_pdf", "register_export_json", "register_record"):
        assert client.get(reverse(f"people:{name}", args=[resident.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_death_form_shows_icd_error_beside_the_field(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields())
    response = client_for(world["nurse_a"]).post(reverse("people:register_event", args=[resident.pk, "death"]),
                                                 {"died_on": "2026-01-01", "cause_icd10": "K999"})
    assert 'id="id_cause_icd10_errors"' in response.content.decode()


def test_import_page_dry_run_then_confirm(world, imports_dir):
    client = client_for(world["nurse_a"])
    csv_text = ("ho_ten,gioi_tinh,ngay_sinh,thon,cccd\n"
                "Nông Văn Dền,Nam,02/03/1980,Bản Giang,004080001234\n"
                "Lò Thị Mai,Nữ,09/07/1983,Bản Giang,004083004321\n")
    upload = {"file": ("ds.csv", csv_text.encode())}
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("people:register_import"),
                           {"file": SimpleUploadedFile(*upload["file"], content_type="text/csv")})
    html = response.content.decode()
    assert 'id="import-errors"' in html and "<td>3</td><td>cccd</td>" in html
    assert not Resident.objects.exists()
    good = csv_text.replace("004083004321", "004183004321")
    response = client.post(reverse("people:register_import"),
                           {"file": SimpleUploadedFile("ds.csv", good.encode(), content_type="text/csv")})
    token = response.context["token"]
    assert token and not Resident.objects.exists()
    confirmed = client.post(reverse("people:register_import"), {"confirm": "1", "token": token})
    assert confirmed.status_code == 302 and Resident.objects.count() == 2


def test_a_merged_commune_user_registers_a_household_into_the_commune_it_became(world):
    old = abolished_unit({world["commune_a"]: 1.0}, name="Phường Sông Hiến")
    client = client_for(UserFactory(role=Role.STATION_STAFF, org_unit=old))
    start = client.get(reverse("people:register_start"))
    assert start.status_code == 200 and "Hoà An" in start.content.decode()
    assert client.get(reverse("people:register_household")).status_code == 200
    row = client.get(reverse("people:register_member_row"), {"commune": world["commune_a"].pk,
                                                             "members-TOTAL_FORMS": "1"})
    assert row.status_code == 200
    response = client.post(reverse("people:register_household"), household_post(world, MEMBERS))
    assert response.status_code == 302
    assert Household.objects.get().commune == world["commune_a"]
    assert set(Resident.objects.values_list("commune_id", flat=True)) == {world["commune_a"].pk}


def test_a_split_commune_user_chooses_the_successor_to_register_in(world):
    split = abolished_unit({world["commune_b"]: 0.4, world["commune_a"]: 0.6}, name="Xã Chia Đôi")
    client = client_for(UserFactory(role=Role.STATION_STAFF, org_unit=split))
    start = client.get(reverse("people:register_start")).content.decode()
    for commune in (world["commune_a"], world["commune_b"]):
        assert f'{reverse("people:register_household")}?commune={commune.pk}' in start
    url = f'{reverse("people:register_household")}?commune={world["commune_b"].pk}'
    page = client.get(url).content.decode()
    assert 'hx-get="' + reverse("people:register_member_row") + f'?commune={world["commune_b"].pk}"' in page
    data = {**household_post(world, MEMBERS[:1]), "village": world["village_b"].pk}
    assert client.post(url, data).status_code == 302
    assert Household.objects.get().commune == world["commune_b"]
    not_theirs = f'{reverse("people:register_household")}?commune={split.pk}'
    assert client.get(not_theirs).status_code == 404


def test_village_health_workers_are_neither_offered_nor_given_registration(world):
    vhw = UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world["village_a"])
    client = client_for(vhw)
    assert reverse("people:register_start") not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("people:register_start")).status_code == 403  # a village is not a commune's register


# --- import: the template, the message, and the uploaded file's lifetime ---

LIST = ("ho_ten,gioi_tinh,ngay_sinh,thon,cccd,dien_thoai\n"
        "Nông Văn Dền,Nam,02/03/1980,Bản Giang,004080001234,0912345678\n"
        "Lò Thị Mai,Nữ,09/07/1983,Bản Giang,004183004321,\n")


@pytest.fixture
def imports_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "imports"


def upload(client, text, name="ds.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("people:register_import"),
                       {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")})


def test_template_of_a_station_user_passes_the_dry_run_unchanged(world, imports_dir):
    """The template used to name "Bản Giang", a village of another commune; now the user's own are used."""
    from ytcs.people.tests.factories import ResidentFactory

    ResidentFactory(village=world["village_a"], cccd="004080000001", social_insurance_number="0400000001")
    client = client_for(world["nurse_b"])  # Xã Nguyên Bình: only "Bản Tấn"
    template = client.get(reverse("people:register_import_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("text/csv")
    text = template.content.decode("utf-8-sig")
    header, example = text.splitlines()
    assert header.startswith("ma_ho,thon,dia_chi,ho_ten") and "Bản Tấn" in example and "Bản Giang" not in example
    assert "004080000001" not in example and "0400000001" not in example  # taken: another example is chosen
    response = upload(client, text, name="mau-danh-sach-nguoi-dan.csv")
    report = response.context["report"]
    assert report.ok, report.errors
    assert (report.rows, report.created, report.households_created) == (1, 1, 1)
    assert 'id="import-errors"' not in response.content.decode() and response.context["token"]
    assert not Resident.objects.filter(commune=world["commune_b"]).exists()


def test_the_import_page_lists_the_communes_villages(world, imports_dir):
    html = client_for(world["nurse_a"]).get(reverse("people:register_import")).content.decode()
    assert "Bản Chang, Bản Giang" in html and "Bản Tấn" not in html


def test_import_success_message_is_shown_once(world, imports_dir):
    client = client_for(world["nurse_a"])
    token = upload(client, LIST).context["token"]
    page = client.post(reverse("people:register_import"), {"confirm": "1", "token": token}, follow=True)
    assert Resident.objects.count() == 2
    assert page.content.decode().count("Đã nhập 2 người mới, cập nhật 0 người.") == 1


def test_the_uploaded_file_is_deleted_once_confirmed(world, imports_dir):
    client = client_for(world["nurse_a"])
    token = upload(client, LIST).context["token"]
    assert len(list(imports_dir.iterdir())) == 1
    client.post(reverse("people:register_import"), {"confirm": "1", "token": token})
    assert Resident.objects.count() == 2 and list(imports_dir.iterdir()) == []


def test_cancel_deletes_the_uploaded_file_and_nothing_is_written(world, imports_dir):
    client = client_for(world["nurse_a"])
    response = upload(client, LIST)
    assert "Tệp đã tải lên được giữ trên máy chủ đến khi bạn ghi hoặc huỷ, lâu nhất 60 phút" in \
        response.content.decode()
    token = response.context["token"]
    cancelled = client.post(reverse("people:register_import"), {"cancel": "1", "token": token}, follow=True)
    assert "Đã huỷ; tệp đã tải lên được xoá khỏi máy chủ." in cancelled.content.decode()
    assert list(imports_dir.iterdir()) == []
    late = client.post(reverse("people:register_import"), {"confirm": "1", "token": token}, follow=True)
    assert "Tệp đã hết hạn; hãy tải lên lại." in late.content.decode()
    assert not Resident.objects.exists()


def test_an_expired_upload_is_not_imported_and_is_deleted(world, imports_dir, settings):
    import os
    import time

    client = client_for(world["nurse_a"])
    token = upload(client, LIST).context["token"]
    (path,) = imports_dir.iterdir()
    then = time.time() - settings.YTCS_IMPORT_FILE_MAX_AGE_SECONDS - 1
    os.utime(path, (then, then))
    late = client.post(reverse("people:register_import"), {"confirm": "1", "token": token}, follow=True)
    assert "Tệp đã hết hạn; hãy tải lên lại." in late.content.decode()
    assert not Resident.objects.exists() and not path.exists()


def test_an_upload_purges_other_users_expired_files(world, imports_dir, settings):
    import os
    import time

    imports_dir.mkdir()
    forgotten = imports_dir / "0123456789abcdef0123456789abcdef_ds.csv"
    forgotten.write_text(LIST, encoding="utf-8")
    then = time.time() - settings.YTCS_IMPORT_FILE_MAX_AGE_SECONDS - 1
    os.utime(forgotten, (then, then))
    upload(client_for(world["nurse_b"]), "ho_ten,gioi_tinh,ngay_sinh\nVi Văn Lợi,Nam,01/01/1990\n")
    assert not forgotten.exists() and len(list(imports_dir.iterdir())) == 1


def test_record_page_names_the_missing_sections_not_their_codes(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields(
        sex="F", cccd="004190001234", given_name="Mai", birth_date=datetime.date(1990, 5, 1)))
    client = client_for(world["nurse_a"])
    html = client.get(reverse("people:register_record", args=[resident.pk])).content.decode()
    missing = re.search(r"Còn thiếu: ([^<]*)<", html).group(1)
    assert "tiền sử bệnh của bản thân" in missing and "sức khỏe sinh sản" in missing
    assert not re.search(r"[a-z]+_[a-z]+|risk|contact|insurance|reproductive", missing)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("people:register_record", args=[resident.pk])).content.decode()
    assert "personal medical history" in re.search(r"Missing: ([^<]*)<", html).group(1)


def _zip_without_a_workbook() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ghi-chu.txt", "không phải bảng tính")
    return archive.getvalue()


@pytest.mark.parametrize(("content", "problem"), [
    (b"not really a workbook", "không phải là tệp Excel .xlsx"),
    (_zip_without_a_workbook(), "bị hỏng"),
])
def test_a_file_that_is_not_a_workbook_is_refused_in_vietnamese(world, content, problem):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(world["nurse_a"]).post(reverse("people:register_import"), {
        "file": SimpleUploadedFile("danh-sach.xlsx", content)})
    errors = " ".join(response.context["form"].errors["file"])
    assert "“danh-sach.xlsx”" in errors and problem in errors
    assert "zip" not in errors.lower() and "File is" not in errors


def test_record_pages_that_write_refuse_a_viewer_with_403_and_audit_it(world):
    """The administrator may open the record (and its page) but not its write pages; each refusal is audited."""
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                               fields=person_fields(village=world["village_a"]))
    admin = client_for(UserFactory(username="admin", role=Role.SYSTEM_ADMIN, org_unit=world["country"]))
    page = admin.get(reverse("people:register_record", args=[resident.pk]))
    assert page.status_code == 200 and reverse("people:register_resident_edit", args=[resident.pk]) not in \
        page.content.decode()
    writes = [("get", reverse("people:register_resident_edit", args=[resident.pk]), {}),
              ("post", reverse("people:register_resident_edit", args=[resident.pk]), {"given_name": "X"}),
              ("get", reverse("people:register_event", args=[resident.pk, "death"]), {}),
              ("post", reverse("people:register_section", args=[resident.pk, "risk_factors"]), {}),
              ("post", reverse("people:register_entry_add", args=[resident.pk, "allergies"]), {})]
    for method, url, data in writes:
        assert getattr(admin, method)(url, data).status_code == 403, url
    denied = AuditEvent.objects.filter(action="denied", subjects__resident_id=resident.pk)
    assert denied.count() == len(writes)
    assert client_for(world["nurse_b"]).get(writes[0][1]).status_code == 404


def test_a_village_health_worker_keeps_the_records_of_their_village(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                               fields=person_fields(village=world["village_a"]))
    vhw = client_for(UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world["village_a"]))
    form = vhw.get(reverse("people:register_event", args=[resident.pk, "death"]))
    assert form.status_code == 200
    assert AuditEvent.objects.filter(action="view", subjects__resident_id=resident.pk).exists()  # the form shows her
    saved = vhw.post(reverse("people:register_section", args=[resident.pk, "risk_factors"]), {
        "risk_factors-tobacco": "none", "risk_factors-alcohol": "none", "risk_factors-physical_activity": "regular"})
    assert saved.status_code == 302 and Resident.objects.get(pk=resident.pk).risk_factors.tobacco == "none"


def test_resident_form_edits_the_residence_status_and_shows_a_period_error_beside_the_field(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields())
    client = client_for(world["nurse_a"])
    url = reverse("people:register_resident_edit", args=[resident.pk])
    page = client.get(url)
    assert 'name="residence_status"' in page.content.decode() and "Tạm vắng" in page.content.decode()
    assert "Exclusive end" not in page.content.decode()
    data = {"family_name": "Nông", "middle_name": "Văn", "given_name": "Dền", "sex": "M", "birth_date": "1980-03-02",
            "cccd": "004080001234", "residence_status": "absent", "residence_status_from": "2026-01-01",
            "residence_status_to": "2025-12-01"}
    bad = client.post(url, data)
    assert bad.status_code == 200
    html = bad.content.decode()
    assert 'id="id_residence_status_to_errors"' in html
    assert "Ngày kết thúc tình trạng cư trú phải sau ngày bắt đầu." in html
    assert client.post(url, {**data, "residence_status_to": "2026-06-01"}).status_code == 302
    resident.refresh_from_db()
    assert (resident.residence_status, resident.residence_status_from, resident.residence_status_to) == (
        "absent", datetime.date(2026, 1, 1), datetime.date(2026, 6, 1))
    printed = client.get(reverse("people:register_export_print", args=[resident.pk])).content.decode()
    assert "Tạm vắng" in printed and "01/01/2026" in printed
    data = json.loads(client.get(reverse("people:register_export_json", args=[resident.pk])).content)
    assert json.dumps(data).count("absent") >= 1
