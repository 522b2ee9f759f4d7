"""Writes: record, correct and void visits; keep the problem list. One transaction and one audit row each.

Every function takes the :class:`~ytcs.audit.context.AuditContext` of whoever acts (a page, the API, a
command), checks that the actor may *capture* data for the resident (:func:`ensure_capture`), validates
with ``validation.encounter_errors`` — the same rules for the form and the API — and raises
``ytcs.core.errors.DomainError`` with every problem found.
"""

from datetime import UTC, date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ytcs.accounts.models import User
from ytcs.accounts.scope import effective_units, require_capture, search_scope
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.clinical.icd10 import icd10_get, icd10_is_chronic
from ytcs.clinical.inputs import ConditionIn, EncounterIn
from ytcs.clinical.models import (
    Condition,
    ConditionSource,
    ConditionStatus,
    Diagnosis,
    Encounter,
    PrescriptionLine,
)
from ytcs.clinical.validation import encounter_errors
from ytcs.clinical.vitals import VITAL_FIELDS, bmi_of
from ytcs.core.errors import DomainError, FieldError, NotAllowed, OutOfScope
from ytcs.orgunits.models import FacilityKind, HealthFacility, OrgUnit
from ytcs.people.models import Resident

_AUDITED_FIELDS = ("occurred_at", "payer", "outcome", "follow_up_on", *VITAL_FIELDS, "bmi")
# Free text may hold names or phone numbers: the trail records that it changed, not what it says.
_FREE_TEXT_FIELDS = ("reason", "practitioner_name", "facility_name", "advice")
_REDACTED = "[text]"


def ensure_capture(*, context: AuditContext, resident: Resident, record: Encounter | Condition | None = None) -> None:
    """Refuse a write on ``resident``'s clinical data (``record``, or a new one) unless the actor captures where
    the resident lives: their commune, or their village for a village health worker.

    The refusal rule (``docs/architecture.md``, "Refusals"): 403 (``NotAllowed``) when the actor can open the
    resident's record but may not enter data there (a system administrator, a provincial user who opens
    records); 404 when they cannot even open it. Either refusal is audited as ``denied`` naming the resident,
    as the access module does for reads.
    """
    try:
        require_capture(context.actor, resident.commune, village=resident.village, seen=search_scope)
    except (NotAllowed, OutOfScope):
        target = record or resident
        audit_record(
            context=context,
            action=AuditAction.DENIED,
            resource_type=ResourceType.of(target),
            resource_id=target.pk,
            subject_ids=[resident.pk],
            outcome="denied",
        )
        raise


def _visit_commune(actor: User, resident: Resident) -> OrgUnit:
    """The commune where the visit happened: the actor's station's commune, else the resident's.

    After a merger the station's commune is the one it became; of a commune split across
    several, the resident's when it is one of them.
    """
    communes = [unit.parent if unit.level == OrgUnit.Level.VILLAGE else unit for unit in effective_units(actor)]
    communes = [unit for unit in communes if unit is not None and unit.level == OrgUnit.Level.COMMUNE]
    if not communes or resident.commune in communes:
        return resident.commune
    return communes[0]


def _station_of(commune: OrgUnit) -> HealthFacility | None:
    """The commune's current health station, where a visit recorded by its staff takes place."""
    return (
        HealthFacility.objects.filter(org_unit=commune, kind=FacilityKind.COMMUNE_STATION, valid_to=None)
        .order_by("pk")
        .first()
    )


def _snapshot(encounter: Encounter) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(encounter, name) for name in _AUDITED_FIELDS}
    values["occurred_at"] = encounter.occurred_at.astimezone(UTC).isoformat() if encounter.occurred_at else None
    values["follow_up_on"] = encounter.follow_up_on.isoformat() if encounter.follow_up_on else None
    for name in _FREE_TEXT_FIELDS:
        values[name] = getattr(encounter, name)
    return values


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    changed = {}
    for name, new in after.items():
        old = before.get(name)
        if old != new:
            if name in _FREE_TEXT_FIELDS:
                changed[name] = [_REDACTED if old else "", _REDACTED if new else ""]
            else:
                changed[name] = [old, new]
    return changed


def _apply(encounter: Encounter, data: EncounterIn) -> None:
    for name in (
        "occurred_at",
        "payer",
        "outcome",
        "reason",
        "practitioner_name",
        "facility_name",
        "advice",
        "follow_up_on",
        "glucose_fasting",
    ):
        setattr(encounter, name, getattr(data, name))
    for name, value in data.vitals.items():
        setattr(encounter, name, value)
    encounter.bmi = bmi_of(encounter.weight_kg, encounter.height_cm)


def _write_lines(encounter: Encounter, data: EncounterIn) -> None:
    Diagnosis.objects.bulk_create(
        [
            Diagnosis(
                encounter=encounter,
                resident_id=encounter.resident_id,
                icd10_code=d.code,
                is_primary=d.is_primary,
                note=d.note,
                position=i,
            )
            for i, d in enumerate(data.diagnoses)
        ]
    )
    PrescriptionLine.objects.bulk_create(
        [
            PrescriptionLine(
                encounter=encounter,
                drug_name=p.drug_name,
                strength=p.strength,
                dose_instructions=p.dose_instructions,
                quantity=p.quantity,
                unit=p.unit,
                days=p.days,
                position=i,
            )
            for i, p in enumerate(data.prescriptions)
        ]
    )


def _conditions_from_diagnoses(*, actor: User, encounter: Encounter, codes: list[str]) -> list[str]:
    """Open a problem-list entry for each chronic code whose 3-character category has no active entry."""
    active = set(
        code[:3]
        for code in Condition.objects.filter(
            resident_id=encounter.resident_id, status=ConditionStatus.ACTIVE
        ).values_list("icd10_code", flat=True)
    )
    added = []
    onset = timezone.localtime(encounter.occurred_at).date()
    for code in codes:
        if icd10_is_chronic(code) and code[:3] not in active:
            Condition.objects.create(
                resident_id=encounter.resident_id,
                icd10_code=code,
                onset_date=onset,
                source=ConditionSource.DIAGNOSIS,
                source_encounter=encounter,
                recorded_by=actor,
            )
            active.add(code[:3])
            added.append(code)
    return added


def _validated(data: EncounterIn, resident: Resident) -> EncounterIn:
    """A copy of ``data`` with its codes normalised and its primary diagnosis chosen; ``DomainError`` if it
    breaks a rule. The caller's input is left as it was sent (a form re-shows it)."""
    data = data.model_copy(deep=True)
    errors = encounter_errors(data, resident=resident)
    if errors:
        raise DomainError(errors)
    return data


def _write_lines_and_audit(
    *,
    context: AuditContext,
    encounter: Encounter,
    data: EncounterIn,
    action: str,
    before: dict[str, Any],
    line_changes: dict[str, list],
) -> None:
    """The shared tail of recording and correcting a visit: write its diagnosis and prescription lines, open the
    chronic conditions they imply, and audit the field diff plus ``line_changes`` and any conditions opened."""
    _write_lines(encounter, data)
    codes = [d.code for d in data.diagnoses]
    added = _conditions_from_diagnoses(actor=context.actor, encounter=encounter, codes=codes)
    changes = _changes(before, _snapshot(encounter)) | line_changes
    if added:
        changes["conditions_added"] = [[], added]
    audit_record(
        context=context,
        action=action,
        resource_type=ResourceType.ENCOUNTER,
        resource_id=encounter.pk,
        subject_ids=[encounter.resident_id],
        changes=changes,
    )


def encounter_record(*, context: AuditContext, resident: Resident, data: EncounterIn) -> Encounter:
    """Store a new visit with its diagnoses and prescription lines, open problem-list entries for chronic
    diagnoses, and audit it. Refused by :func:`ensure_capture`; ``DomainError`` on input that breaks a rule.
    """
    ensure_capture(context=context, resident=resident)
    data = _validated(data, resident)
    actor = context.actor
    with transaction.atomic():
        commune = _visit_commune(actor, resident)
        facility = _station_of(commune)
        encounter = Encounter(
            resident=resident, commune=commune, facility=facility, recorded_by=actor, practitioner=actor
        )
        if not data.facility_name and facility is not None:
            data.facility_name = facility.name
        if not data.practitioner_name:
            data.practitioner_name = actor.get_full_name() or actor.username
        _apply(encounter, data)
        encounter.save()
        line_changes = {
            "diagnoses": [[], [d.code for d in data.diagnoses]],
            "prescription_lines": [0, len(data.prescriptions)],
        }
        _write_lines_and_audit(
            context=context, encounter=encounter, data=data, action="create", before={}, line_changes=line_changes
        )
    return encounter


def encounter_update(*, context: AuditContext, encounter: Encounter, data: EncounterIn) -> Encounter:
    """Correct a visit: every field, diagnosis and prescription line is replaced by ``data``; audited as a diff."""
    resident = encounter.resident
    ensure_capture(context=context, resident=resident, record=encounter)
    with transaction.atomic():
        encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
        if encounter.is_voided:
            raise DomainError.one("encounter", "voided", gettext("Lượt khám đã bị huỷ, không sửa được"))
        data = _validated(data, resident)
        before = _snapshot(encounter)
        data.practitioner_name = data.practitioner_name or encounter.practitioner_name
        data.facility_name = data.facility_name or encounter.facility_name
        old_codes = list(encounter.diagnoses.values_list("icd10_code", flat=True))
        old_lines = encounter.prescription_lines.count()
        _apply(encounter, data)
        encounter.save()
        encounter.diagnoses.all().delete()
        encounter.prescription_lines.all().delete()
        codes = [d.code for d in data.diagnoses]
        line_changes = {}
        if old_codes != codes:
            line_changes["diagnoses"] = [old_codes, codes]
        if old_lines != len(data.prescriptions) or data.prescriptions:
            line_changes["prescription_lines"] = [old_lines, len(data.prescriptions)]
        _write_lines_and_audit(
            context=context,
            encounter=encounter,
            data=data,
            action="update",
            before=before,
            line_changes=line_changes,
        )
    return encounter


def encounter_void(*, context: AuditContext, encounter: Encounter, reason: str) -> Encounter:
    """Soft-delete a visit entered in error: it stays in the database, leaves lists and indicators, and the
    problem-list entries it alone opened are removed."""
    resident = encounter.resident
    ensure_capture(context=context, resident=resident, record=encounter)
    reason = reason.strip()
    if not reason:
        raise DomainError.one("reason", "required", gettext("Cần ghi lý do huỷ lượt khám"))
    if len(reason) > 300:
        raise DomainError.one("reason", "too_long", gettext("Tối đa %(limit)s ký tự") % {"limit": 300})
    with transaction.atomic():
        encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
        if encounter.is_voided:
            raise DomainError.one("encounter", "voided", gettext("Lượt khám đã bị huỷ trước đó"))
        encounter.voided_at = timezone.now()
        encounter.voided_by = context.actor
        encounter.void_reason = reason
        encounter.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
        removed = []
        for condition in Condition.objects.filter(source_encounter=encounter, source=ConditionSource.DIAGNOSIS):
            still_diagnosed = Diagnosis.objects.filter(
                resident_id=resident.pk, icd10_code__startswith=condition.icd10_code[:3], encounter__voided_at=None
            ).exists()
            if not still_diagnosed:
                removed.append(condition.icd10_code)
                condition.delete()
        changes: dict[str, list] = {"voided": [False, True], "void_reason": ["", _REDACTED]}
        if removed:
            changes["conditions_removed"] = [removed, []]
        audit_record(
            context=context,
            action="delete",
            resource_type=ResourceType.ENCOUNTER,
            resource_id=encounter.pk,
            subject_ids=[resident.pk],
            changes=changes,
        )
    return encounter


def condition_add(*, context: AuditContext, resident: Resident, data: ConditionIn) -> Condition:
    """Add a problem-list entry by hand (e.g. hypertension diagnosed elsewhere)."""
    ensure_capture(context=context, resident=resident)
    entry = icd10_get(data.icd10_code)
    errors = []
    if entry is None:
        errors.append(
            FieldError(
                "icd10_code",
                "unknown_code",
                gettext("Mã ICD-10 “%(code)s” không có trong danh mục WHO ICD-10") % {"code": data.icd10_code},
            )
        )
    onset_date = data.onset_date
    if onset_date and (onset_date > timezone.localdate() or onset_date < resident.birth_date):
        errors.append(
            FieldError("onset_date", "out_of_range", gettext("Ngày phát hiện phải sau ngày sinh và không ở tương lai"))
        )
    if len(data.note) > 300:
        errors.append(FieldError("note", "too_long", gettext("Tối đa %(limit)s ký tự") % {"limit": 300}))
    if (
        entry
        and Condition.objects.filter(
            resident=resident, icd10_code__startswith=entry.code[:3], status=ConditionStatus.ACTIVE
        ).exists()
    ):
        errors.append(
            FieldError("icd10_code", "duplicate", gettext("Người bệnh đã có vấn đề sức khoẻ này trong danh sách"))
        )
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        condition = Condition.objects.create(
            resident=resident,
            icd10_code=entry.code,
            onset_date=onset_date,
            source=ConditionSource.MANUAL,
            note=data.note,
            recorded_by=context.actor,
        )
        audit_record(
            context=context,
            action="create",
            resource_type=ResourceType.CONDITION,
            resource_id=condition.pk,
            subject_ids=[resident.pk],
            changes={"icd10_code": [None, entry.code]},
        )
    return condition


def condition_resolve(*, context: AuditContext, condition: Condition, resolved_on: date | None = None) -> Condition:
    """Mark a problem-list entry resolved (cured, or no longer followed)."""
    ensure_capture(context=context, resident=condition.resident, record=condition)
    if condition.status != ConditionStatus.ACTIVE:
        raise DomainError.one("status", "resolved", gettext("Vấn đề sức khoẻ này đã kết thúc"))
    resolved_on = resolved_on or timezone.localdate()
    if condition.onset_date and resolved_on < condition.onset_date:
        raise DomainError.one("resolved_on", "out_of_range", gettext("Ngày kết thúc phải sau ngày phát hiện"))
    with transaction.atomic():
        condition.status = ConditionStatus.RESOLVED
        condition.resolved_on = resolved_on
        condition.save(update_fields=["status", "resolved_on", "updated_at"])
        audit_record(
            context=context,
            action="update",
            resource_type=ResourceType.CONDITION,
            resource_id=condition.pk,
            subject_ids=[condition.resident_id],
            changes={"status": ["active", "resolved"]},
        )
    return condition
