"""The audit page in words: role and data-type labels, and every shape of ``changes`` rendered as text."""

import ast

import pytest
from django.urls import reverse
from django.utils import translation

from ytcs.accounts.models import Role
from ytcs.accounts.tests.factories import UserFactory
from ytcs.audit.context import AuditContext
from ytcs.audit.display import (
    KNOWN_DATA_TYPES,
    change_list,
    member_of,
    record_label,
    resource_label,
    role_label,
)
from ytcs.audit.models import AuditEvent
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.tests.po import PACKAGE
from ytcs.web.tests.page_text import visible_text


def lines(resource_type, changes):
    return [(c.label, c.before, c.after) for c in change_list(resource_type, changes)]


def test_roles_and_data_types_are_named():
    with translation.override("vi"):
        assert role_label("system_admin") == "Quản trị hệ thống" and role_label("") == "—"
        assert resource_label("surveillance.CaseReport") == "Ca bệnh"
        assert resource_label("resident") == resource_label("people.Resident") == "Người dân"
        # a code of before the vocabulary reads as the member it stands for
        assert resource_label("people.Resident.record") == resource_label("resident_timeline") == "Người dân"
        assert resource_label("session") == "Người dùng" and resource_label("no.Such") == "no.Such"
        assert (record_label("resident:50"), record_label("all"), record_label("7")) == ("Người dân 50", "tất cả", "7")
        assert record_label("synth:04") == "Dân số mẫu, tỉnh 04"
    with translation.override("en"):
        assert role_label("system_admin") == "System administrator"
        assert resource_label("surveillance.Alert") == "Alert"


def _written_types(tree: ast.AST) -> list[str]:
    """The ``resource_type`` of every ``audit_record(...)`` call in ``tree``: a member's value when the source
    shows one (a literal, ``ResourceType.X``, ``ResourceType.of(model)``, a parameter annotated ``ResourceType``),
    the literal when it is not a member, ``"?"`` when the source cannot tell."""
    annotated: set[int] = set()
    found = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            typed = {a.arg for a in (*function.args.args, *function.args.kwonlyargs)
                     if isinstance(a.annotation, ast.Name) and a.annotation.id == "ResourceType"}
            for node in ast.walk(function):
                if isinstance(node, ast.Name) and node.id in typed:
                    annotated.add(id(node))
    for call in ast.walk(tree):
        name = getattr(call.func, "id", getattr(call.func, "attr", "")) if isinstance(call, ast.Call) else ""
        if name != "audit_record":
            continue
        value = next((k.value for k in call.keywords if k.arg == "resource_type"), None)
        found.extend(_types_of(value, annotated))
    return found


def _types_of(value: ast.AST | None, annotated: set[int]) -> list[str]:
    """What one ``resource_type=`` expression can be: a literal, a member, ``ResourceType.of(...)``, a
    ``ResourceType`` parameter, or either side of a conditional; ``?`` for anything else."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [value.value]
    if (isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name)
            and value.value.id == "ResourceType" and value.attr in ResourceType.__members__):
        return [ResourceType[value.attr].value]
    if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
            and getattr(value.func.value, "id", "") == "ResourceType" and value.func.attr == "of"):
        return [ResourceType.RESIDENT.value]  # ``of`` raises for a model outside the vocabulary
    if isinstance(value, ast.Name) and id(value) in annotated:
        return [ResourceType.RESIDENT.value]  # a ``ResourceType`` parameter: a member by its type
    if isinstance(value, ast.IfExp):
        return _types_of(value.body, annotated) + _types_of(value.orelse, annotated)
    return ["?"]


def test_every_resource_type_written_is_a_member_of_the_vocabulary():
    """Reads the sources: each ``audit_record`` names its resource with a ``ResourceType`` member."""
    members = {member.value for member in ResourceType}
    outside: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        others = set(_written_types(ast.parse(path.read_text(), str(path)))) - members
        if others:
            outside[path.relative_to(PACKAGE).as_posix()] = others
    assert outside == {}


def test_every_known_data_type_is_named_and_stands_for_a_member():
    with translation.override("vi"):
        assert [c for c in KNOWN_DATA_TYPES if resource_label(c) == c] == []
    assert {member_of(code) for code in KNOWN_DATA_TYPES} == set(ResourceType)


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
        assert lines("people.Resident", {"view": "timeline"}) == [("Nội dung xem", None, "Dòng thời gian sức khỏe")]
    with translation.override("en"):
        assert lines("people.Resident", {"view": "timeline"}) == [("What was viewed", None, "Health timeline")]


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
    audit_record(context=AuditContext(admin), action="update", resource_type=ResourceType.USER, resource_id=admin.pk,
                 changes={"role": [None, "system_admin"], "org_unit": [None, world.country.pk]})
    audit_record(context=AuditContext(admin), action="list", resource_type=ResourceType.DUPLICATE_CANDIDATE,
                 changes={"status": "new"})
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


def test_a_read_says_what_was_read():
    with translation.override("vi"):
        assert lines("people.Resident", {"format": "fhir"}) == [("Định dạng", None, "FHIR")]
        assert lines("people.Resident", {"view": "record"}) == [("Nội dung xem", None, "Hồ sơ sức khỏe cá nhân")]
    with translation.override("en"):
        assert lines("people.Resident", {"view": "timeline"}) == [("What was viewed", None, "Health timeline")]


@pytest.mark.django_db
def test_events_stored_with_a_legacy_code_come_up_under_their_member(client, world, residents):
    """Filtering on "Người dân" finds ``resident`` and ``people.Resident.fhir`` rows written before the
    vocabulary, and "who saw this person" finds a legacy row that names the person only by its record id."""
    admin = UserFactory(role=Role.SYSTEM_ADMIN, org_unit=world.country)
    person = residents["a1"].pk
    for legacy in ("people.Resident.fhir", "resident_timeline"):  # stored before the vocabulary existed
        AuditEvent.objects.create(actor=admin, action="view", resource_type=legacy, resource_id=str(person))
    audit_record(context=AuditContext(admin), action="view", resource_type=ResourceType.RESIDENT, resource_id=person,
                 subject_ids=[person])
    audit_record(context=AuditContext(admin), action="view", resource_type=ResourceType.HOUSEHOLD, resource_id=1)
    client.force_login(admin)
    found = client.get(reverse("audit:list"), {"resource_type": "people.Resident"}).context["page"]
    assert sorted(e.resource_type for e in found) == ["people.Resident", "people.Resident.fhir", "resident_timeline"]
    seen = client.get(reverse("audit:resident", args=[person])).context["page"]
    assert {e.resource_type for e in seen} >= {"people.Resident", "people.Resident.fhir", "resident_timeline"}
    choices = dict(client.get(reverse("audit:list")).context["form"].fields["resource_type"].choices)
    assert "resident" not in choices and choices["people.Resident"] == "Người dân"
