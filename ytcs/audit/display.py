"""How an audit event reads on the audit page: the actor's role, the kind of data, each change, in words.

The trail stores codes so that it stays stable and searchable when wording changes: a role code
(``system_admin``), a data type (a member of ``ytcs.audit.vocabulary.ResourceType``, a model label such as
``surveillance.CaseReport``; events stored before the vocabulary may hold an older code such as ``resident``,
read as its member), and ``changes`` as ``{field: [before, after]}`` — or, for reads, ``{key: value}`` (the
filter of a list, what was viewed: ``{"format": "fhir"}``).
Values are JSON: strings, numbers, booleans, lists and dicts (a merge's ``{"people.LifeEvent.resident": 2}``).
This module turns each into text in the reader's language — field names into the model's verbose names,
choice codes into their labels, lists and dicts into readable lines — never into a Python repr.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ytcs.accounts.models import Role
from ytcs.audit.context import JOB_PREFIX
from ytcs.audit.models import AuditEvent
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.labels import field_label, model_for, relation_label
from ytcs.orgunits.models import OrgUnit
from ytcs.people.models import Relationship
from ytcs.surveillance.models import Disease

EMPTY = "∅"
# Data types written before the vocabulary, each read as the member it stands for, so events already stored
# still show the model's name and come up when the filter asks for that model. Nothing new is written with them:
# a variant of a read (the FHIR form, the timeline, an import) is the event's ``action`` and ``changes``.
LEGACY_TYPES: dict[str, ResourceType] = {
    "resident": ResourceType.RESIDENT,
    "people.Resident.record": ResourceType.RESIDENT,
    "people.Resident.fhir": ResourceType.RESIDENT,
    "people.Resident.import": ResourceType.RESIDENT,
    "resident_timeline": ResourceType.RESIDENT,
    "household": ResourceType.HOUSEHOLD,
    "encounter": ResourceType.ENCOUNTER,
    "encounter_synthetic": ResourceType.ENCOUNTER,
    "condition": ResourceType.CONDITION,
    "user": ResourceType.USER,
    "session": ResourceType.USER,  # a login or logout: the user's own account
    "audit": ResourceType.AUDIT_EVENT,
}
# Every data type an event can hold: the vocabulary, then the legacy codes; the filter offers the members.
KNOWN_DATA_TYPES: tuple[str, ...] = (*(member.value for member in ResourceType), *LEGACY_TYPES)
# Actors that are not users: the import command line writes "operator".
EXTRA_ROLES = {"operator": gettext_lazy("Người vận hành (dòng lệnh)")}
OUTCOMES = {"ok": gettext_lazy("Thành công"), "denied": gettext_lazy("Bị từ chối")}
# Keys of ``changes`` (and of the dicts inside them) that are not a field of the event's model.
KEY_LABELS = {
    "query_kind": gettext_lazy("loại tìm kiếm"),
    "page": gettext_lazy("trang"),
    "results": gettext_lazy("số kết quả"),
    "format": gettext_lazy("định dạng"),
    "view": gettext_lazy("nội dung xem"),
    "merged_from": gettext_lazy("gộp từ hồ sơ số"),
    "moved": gettext_lazy("hồ sơ liên quan đã chuyển"),
    "moved_back": gettext_lazy("hồ sơ liên quan đã chuyển lại"),
    "filled": gettext_lazy("ô được điền từ hồ sơ bị gộp"),
    "cleared": gettext_lazy("ô được xoá để chuyển sang hồ sơ giữ lại"),
    "emptied": gettext_lazy("ô được làm trống lại"),
    "restored": gettext_lazy("ô được khôi phục"),
    "child_registered": gettext_lazy("con được đăng ký (số hồ sơ)"),
    "member_added": gettext_lazy("thành viên được thêm (số hồ sơ)"),
    "moved_on": gettext_lazy("ngày chuyển"),
    "synth": gettext_lazy("tạo dân số mẫu"),
    "synth_events": gettext_lazy("tạo sự kiện mẫu"),
    "scan": gettext_lazy("quét hồ sơ trùng lặp"),
    "cases": gettext_lazy("ca bệnh (số)"),
    "lines": gettext_lazy("số mắc, số tử vong theo bệnh"),
    "acknowledged": gettext_lazy("đã xác nhận"),
    "reason": gettext_lazy("lý do"),
    "visits": gettext_lazy("số lượt khám"),
    "seed": gettext_lazy("hạt giống ngẫu nhiên"),
    "years": gettext_lazy("số năm"),
    "voided": gettext_lazy("đã huỷ"),
    "diagnoses": gettext_lazy("chẩn đoán"),
    "prescription_lines": gettext_lazy("số dòng đơn thuốc"),
    "conditions_added": gettext_lazy("bệnh mạn tính được thêm"),
    "conditions_removed": gettext_lazy("bệnh mạn tính được bỏ"),
    "file": gettext_lazy("tệp"),
    "created": gettext_lazy("số người tạo mới"),
    "updated": gettext_lazy("số người cập nhật"),
    "households_created": gettext_lazy("số hộ tạo mới"),
    "province": gettext_lazy("tỉnh (mã)"),
    "commune": gettext_lazy("xã/phường (mã)"),
    "people": gettext_lazy("số người"),
    "residents": gettext_lazy("số người dân"),
    "found": gettext_lazy("số cặp tìm thấy"),
    "as_of": gettext_lazy("tính đến ngày"),
    "start": gettext_lazy("từ ngày"),
    "end": gettext_lazy("đến ngày"),
    "mode": gettext_lazy("chế độ"),
    "births": gettext_lazy("số trẻ sinh"),
    "deaths": gettext_lazy("số người mất"),
    "people_moved": gettext_lazy("số người chuyển đi"),
    "households_moved": gettext_lazy("số hộ chuyển đi"),
}
# Values that are codes of something other than a model field's choices.
VALUE_LABELS = {
    "query_kind": {
        "empty": gettext_lazy("trống"), "name": gettext_lazy("họ tên"), "cccd": gettext_lazy("số CCCD"),
        "bhxh_or_phone": gettext_lazy("mã số BHXH hoặc số điện thoại"), "phone": gettext_lazy("số điện thoại"),
        "bhyt": gettext_lazy("mã thẻ BHYT"), "unknown_number": gettext_lazy("số không nhận ra"),
    },
    "format": {"html": gettext_lazy("bản in"), "pdf": "PDF", "json": "JSON", "fhir": "FHIR"},
    "view": {"record": gettext_lazy("Hồ sơ sức khỏe cá nhân"), "timeline": gettext_lazy("Dòng thời gian sức khỏe")},
    "mode": {"refuse": gettext_lazy("không ghi đè"), "append": gettext_lazy("thêm vào"),
             "replace": gettext_lazy("thay thế")},
    "relationship_to_head": dict(Relationship.choices),  # a code without choices on the field (free import text)
}
# Values that list fields of the event's model, or count rows per link to a resident (a merge and its undo).
FIELD_LIST_KEYS = {"filled", "cleared", "emptied", "restored"}
RELATION_KEYS = {"moved", "moved_back"}
REDACTED_TEXT = "[text]"  # free text whose content the trail does not keep (clinical.services)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|T)")


# Record ids that say what they are ("resident:50": the audit page of resident 50; "synth:04": a province).
RECORD_PREFIXES = {
    "synth": gettext_lazy("Dân số mẫu, tỉnh"),
    "synth-events": gettext_lazy("Sự kiện mẫu, tỉnh"),
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: a plain value (the filter of a read), not a before → after pair
    after: str


@dataclass(frozen=True)
class EventView:
    """One row of the audit page."""

    event: AuditEvent
    role: str
    data_type: str
    record: str
    outcome: str
    changes: list[Change]
    resident_id: int | None  # the resident the event is about, for the "who saw this person" link
    client: str  # the browser, or "command line" for a ytcs command or job (``AuditContext.system``)


def client_label(client: str) -> str:
    """The client as stored, except a command or job, which reads as the command line."""
    return str(gettext_lazy("Dòng lệnh")) if client.startswith(JOB_PREFIX) else client


def role_label(code: str) -> str:
    if not code:
        return "—"
    if code in Role.values:
        return str(Role(code).label)
    return str(EXTRA_ROLES.get(code, code))


def member_of(code: str) -> ResourceType | None:
    """The vocabulary member a stored data type is: itself, or the member a legacy code stands for."""
    if code in LEGACY_TYPES:
        return LEGACY_TYPES[code]
    try:
        return ResourceType(code)
    except ValueError:
        return None


def data_model(code: str) -> type[Model] | None:
    """The model a data type is about: ``resident`` and ``people.Resident.record`` are both residents."""
    member = member_of(code)
    return model_for(member.value) if member else None


def resource_label(code: str) -> str:
    """``surveillance.CaseReport`` → "Ca bệnh"; ``resident`` → "Người dân"; an unknown code as it is."""
    member = member_of(code)
    return capfirst(ResourceType.label_for(member.value)) if member else code


def data_type_groups() -> dict[str, list[str]]:
    """Every member with the legacy codes that stand for it: ``people.Resident`` also finds ``resident``."""
    groups: dict[str, list[str]] = {member.value: [member.value] for member in ResourceType}
    for code, member in LEGACY_TYPES.items():
        groups[member.value].append(code)
    return groups


def data_type_choices() -> list[tuple[str, str]]:
    """(code, label) of each known data type, in the reader's language and alphabetical order."""
    return sorted(((code, resource_label(code)) for code in data_type_groups()), key=lambda choice: choice[1])


def _choice(model: type[Model] | None, key: str, value: Any) -> str | None:
    if key in VALUE_LABELS and value in VALUE_LABELS[key]:
        return str(VALUE_LABELS[key][value])
    if model is None:
        return None
    try:
        choices = dict(getattr(model._meta.get_field(key), "flatchoices", None) or ())
    except FieldDoesNotExist:
        return None
    return str(choices[value]) if value in choices else None


def _date_text(value: str) -> str | None:
    """An ISO date or date-time as the pages write dates ("2026-12-06" → "06/12/2026"); None for other text."""
    if not ISO_DATE.match(value):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) == 10:
        return formats.date_format(parsed.date(), "d/m/Y")
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return formats.date_format(parsed, "d/m/Y H:i")


def key_label(model: type[Model] | None, key: str) -> str:
    label = field_label(model, key) if model is not None else key
    if label == key:
        label = str(KEY_LABELS.get(key, key))
    return capfirst(label)


def value_text(model: type[Model] | None, key: str, value: Any) -> str:
    """One value of ``changes`` as text: labels for codes, dates as dd/mm/yyyy, lists and dicts spelt out."""
    if value is None or value in ("", [], {}):
        return EMPTY
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dict):
        if key in RELATION_KEYS:
            return "; ".join(f"{relation_label(k)}: {value_text(None, k, v)}" for k, v in value.items())
        if key == "lines":  # weekly report: disease code → [cases, deaths]
            return "; ".join(f"{_disease_name(k)}: {v[0]}/{v[1]}" for k, v in value.items())
        return "; ".join(f"{key_label(None, k)}: {value_text(None, k, v)}" for k, v in value.items())
    if isinstance(value, list):
        if key in FIELD_LIST_KEYS:
            return ", ".join(field_label(model, name) if model else name for name in value)
        return ", ".join(value_text(model, key, item) for item in value)
    if key == "disease" and isinstance(value, str):
        return _disease_name(value)
    if isinstance(value, int) and _points_to_a_unit(model, key):
        return _unit_name(value)
    if isinstance(value, str):
        if value == REDACTED_TEXT:
            return _("(văn bản, nội dung không ghi vào nhật ký)")
        return _choice(model, key, value) or _date_text(value) or value
    return formats.localize(value) if isinstance(value, float) else str(value)


def _points_to_a_unit(model: type[Model] | None, key: str) -> bool:
    """A user's unit, a resident's village: numbers in the trail, names on the page (units are not personal)."""
    try:
        field = model._meta.get_field(key) if model is not None else None
    except FieldDoesNotExist:
        return False
    return field is not None and field.is_relation and field.related_model is OrgUnit


def _unit_name(pk: int) -> str:
    return OrgUnit.objects.filter(pk=pk).values_list("name", flat=True).first() or str(pk)


def _disease_name(code: str) -> str:
    disease = Disease.objects.filter(code=code).first()
    return disease.name if disease else code


def change_list(resource_type: str, changes: dict) -> list[Change]:
    """``changes`` as labelled lines: ``[before, after]`` pairs as before → after, anything else as a value."""
    model = data_model(resource_type)
    result = []
    for key, value in (changes or {}).items():
        label = key_label(model, key)
        if isinstance(value, list) and len(value) == 2:
            result.append(Change(label, value_text(model, key, value[0]), value_text(model, key, value[1])))
        else:
            result.append(Change(label, None, value_text(model, key, value)))
    return result


def record_label(resource_id: str) -> str:
    """The record column: a number as it is, ``resident:50`` as "Người dân 50", ``all`` as "tất cả"."""
    if resource_id == "all":
        return _("tất cả")
    prefix, separator, rest = resource_id.partition(":")
    if separator and prefix in LEGACY_TYPES:
        return f"{resource_label(prefix)} {rest}"
    if separator and prefix in RECORD_PREFIXES:
        return f"{RECORD_PREFIXES[prefix]} {rest}"
    return resource_id or "—"


def _resident_of(event: AuditEvent) -> int | None:
    """The resident an event is about (its record, or the audit page of that resident), for the link."""
    if member_of(event.resource_type) == ResourceType.RESIDENT and event.resource_id.isdigit():
        return int(event.resource_id)
    prefix, _separator, rest = event.resource_id.partition(":")
    return int(rest) if prefix == "resident" and rest.isdigit() else None


def event_views(events: list[AuditEvent]) -> list[EventView]:
    return [
        EventView(
            event=event,
            role=role_label(event.actor_role),
            data_type=resource_label(event.resource_type),
            record=record_label(event.resource_id),
            outcome=str(OUTCOMES.get(event.outcome, event.outcome)),
            changes=change_list(event.resource_type, event.changes),
            resident_id=_resident_of(event),
            client=client_label(event.client),
        )
        for event in events
    ]
