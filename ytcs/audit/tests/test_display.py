"""The audit page in words: role and data-type labels, and every shape of ``changes`` rendered as text."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from ytcs.accounts.models import Role
from ytcs.accounts.tests.factories import UserFactory
from ytcs.audit.display import KNOWN_DATA_TYPES, change_list, record_label, resource_label, role_label
from ytcs.audit.services import audit_record
from ytcs.core.tests.po import PACKAGE
from ytcs.web.tests.page_text import visible_text


def lines(resource_type, changes):
    return [(c.label, c.before, c.after) for c in change_list(resource_type, changes)]


def test_roles_and_data_types_are_named():
    with translation.override("vi"):
        assert role_label("system_admin") == "Quản trị hệ thống" and role_label("") == "—"
        assert resource_label("surveillance.CaseReport") == "Ca bệnh"
        assert resource_label("resident") == resource_label("people.Resident") == "Người dân"
        assert resource_label("people.Resident.record") == "Hồ sơ sức khỏe cá nhân"
        assert (record_label("resident:50"), record_label("all"), record_label("7")) == ("Người dân 50", "tất cả", "7")
        assert record_label("synth:04") == "Dân số mẫu, tỉnh 04"
    with translation.override("en"):
        assert role_label("system_admin") == "System administrator"
        assert resource_label("surveillance.Alert") == "Alert"


def test_every_data_type_the_code_writes_has_a_name():
    """Reads the sources: each ``resource_type="..."`` literal is a known, named data type."""
    written = {m for path in PACKAGE.rglob("*.py") if "tests" not in path.parts
               for m in re.findall(r'resource_type="([^"]+)"|_audit_denied\(\w+, \w+, "([^"]+)"', path.read_text())}
    codes = {code for pair in written for code in pair if code}
    assert codes and codes <= set(KNOWN_DATA_TYPES), sorted(codes - set(KNOWN_DATA_TYPES))
    with translation.override("vi"):
        assert [c for c in KNOWN_DATA_TYPES if resource_label(c) == c] == []


def test_a_stored_filter_is_a_value_not_a_before_and_after():
    """``{"status": "new"}`` used to read "status: n → e" (the template indexed the string)."""
    with translation.override("vi"):
        assert lines("people.DuplicateCandidate", {"status": "new", "page": 1}) == [
            ("Trạng thái", None, "Chờ xem xét"), ("Trang", None, "1")]


def test_changes_of_every_shape_read_as_text():
    with translation.override("vi"):
        assert lines("user", {"role": [None, "system_admin"], "is_active": [True, False]}) == [
            ("Vai trò", "∅", "Quản trị hệ thống"), ("Kích hoạt", "Có", "Không")]
        merge = lines("resident", {"moved": [None, {"people.LifeEvent.resident": 2, "people.Household.head": 1}],
                                   "filled": [None, ["social_insurance_number", "village_id"]]})
        assert merge == [("Hồ sơ liên quan đã chuyển", "∅", "Sự kiện hộ tịch: 2; Hộ gia đình (chủ hộ): 1"),
                         ("Ô được điền từ hồ sơ bị gộp", "∅", "Mã số BHXH, Thôn/bản")]
        assert lines("people.Resident", {"synth": [None, {"people": 50000, "as_of": "2026-12-06", "mode": "refuse"}]}) \
            == [("Tạo dân số mẫu", "∅", "Số người: 50000; Tính đến ngày: 06/12/2026; Chế độ: không ghi đè")]
        assert lines("encounter", {"diagnoses": [[], ["I10", "E11"]], "reason": ["", "[text]"]}) == [
            ("Chẩn đoán", "∅", "I10, E11"), ("Lý do khám", "∅", "(văn bản, nội dung không ghi vào nhật ký)")]
        assert lines("resident", {"query_kind": "name", "relationship_to_head": [None, "head"]}) == [
            ("Loại tìm kiếm", None, "họ tên"), ("Quan hệ với chủ hộ", "∅", "Chủ hộ")]
        assert lines("people.Resident", {"view": "timeline"}) == [("Trang đã xem", None, "Dòng thời gian sức khỏe")]
    with translation.override("en"):
        assert lines("people.Resident", {"view": "timeline"}) == [("Page viewed", None, "Health timeline")]


@pytest.mark.django_db
def test_the_weekly_report_lines_name_the_diseases():
    from ytcs.surveillance.diseases import ensure_diseases_loaded

    ensure_diseases_loaded()
    with translation.override("vi"):
        assert lines("surveillance.WeeklyReport", {"lines": [None, {"quai_bi": [3, 0]}]}) == [
            ("Số mắc, số tử vong theo bệnh", "∅", "Quai bị: 3/0")]


@pytest.mark.django_db
def test_the_audit_page_shows_labels_and_the_filter_offers_data_types_by_name(client, world):
    admin = UserFactory(username="quantri", role=Role.SYSTEM_ADMIN, org_unit=world.country)
    audit_record(actor=admin, action="update", resource_type="user", resource_id=admin.pk,
                 changes={"role": [None, "system_admin"], "org_unit": [None, world.country.pk]})
    audit_record(actor=admin, action="list", resource_type="people.DuplicateCandidate", changes={"status": "new"})
    client.force_login(admin)
    page = client.get(reverse("audit:list")).content.decode()
    assert "<td>Quản trị hệ thống</td>" in page and "<td>Người dùng</td>" in page
    assert "Vai trò: ∅ → Quản trị hệ thống" in page and "Đơn vị: ∅ → Việt Nam" in page
    assert "Trạng thái: Chờ xem xét" in page
    shown = " ".join(visible_text(page, "vi"))
    assert "system_admin" not in shown and "people.DuplicateCandidate" not in shown
    assert '<option value="people.DuplicateCandidate">Cặp nghi trùng</option>' in page
    filtered = client.get(reverse("audit:list"), {"resource_type": "people.DuplicateCandidate"})
    assert [e.resource_type for e in filtered.context["page"]] == ["people.DuplicateCandidate"]
