"""Writes to the QĐ 831 record sections: the one-to-one sections replaced whole, the list sections row by row.

Each service takes the section's typed input (``inputs.section_input(model)``), checks the refusal rule on
the resident's record (:mod:`ytcs.people.capture`), validates the whole row on the server (the model's own
rules, ICD-10 codes, the rules below) and writes one audited change, recomputing the record's completeness.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import FieldError, OutOfScope
from ytcs.core.text import nfc
from ytcs.people.capture import require_capture_of_record
from ytcs.people.inputs import LIST_SECTIONS, ONE_TO_ONE_SECTIONS, Input, section_fields, section_input
from ytcs.people.models import HealthProfile, MedicalHistory, Resident
from ytcs.people.validation import errors_from_validation, normalise_icd10
from ytcs.people.writes import audit_value, diff, raise_on_errors, refresh_completeness, snapshot

BIRTH_WEIGHT_GRAMS = (300, 7000)


def _model_of(fields: Input, sections: dict[str, type[models.Model]]) -> type[models.Model]:
    for model in sections.values():
        if isinstance(fields, section_input(model)):
            return model
    raise TypeError(f"{type(fields).__name__} is not the input of one of {sorted(sections)}")


def _set(instance: models.Model, fields: Input) -> None:
    """Every field of the input onto the row; an empty text is stored as the model stores it ("" or NULL)."""
    for name, value in fields.given().items():
        field = instance._meta.get_field(name)
        if isinstance(value, str):
            value = nfc(value)
        if value is None and not field.null and isinstance(field, models.CharField | models.TextField):
            value = ""
        setattr(instance, name, value)


def _section_errors(resident: Resident, instance: models.Model) -> list[FieldError]:
    """The rules beyond the model's own: who a section is for, ICD-10 codes, plausible values."""
    errors = []
    if instance._meta.model_name == "reproductivehistory" and resident.sex != "F":
        errors.append(FieldError(None, "reproductive_women_only", _("Phần sức khỏe sinh sản chỉ ghi cho nữ.")))
    if isinstance(instance, HealthProfile) and instance.birth_weight_g is not None:
        low, high = BIRTH_WEIGHT_GRAMS
        if not low <= instance.birth_weight_g <= high:
            errors.append(FieldError("birth_weight_g", "out_of_range", _(
                "Cân nặng lúc đẻ phải từ %(low)s đến %(high)s gam.") % {"low": low, "high": high}))
    if isinstance(instance, MedicalHistory):
        instance.icd10_code, icd_errors = normalise_icd10(instance.icd10_code, field="icd10_code")
        errors += icd_errors
        if instance.whose == MedicalHistory.Whose.FAMILY and not instance.relation:
            errors.append(FieldError("relation", "family_relation_required", _(
                "Tiền sử gia đình: hãy ghi người mắc bệnh là ai (bố, mẹ, anh chị em…).")))
    try:
        instance.full_clean(exclude=["resident"])
    except ValidationError as exc:
        errors += errors_from_validation(exc)
    return errors


def section_save(*, context: AuditContext, resident: Resident, fields: Input) -> models.Model:
    """Create or replace one of the one-to-one sections (health profile, risk factors, reproductive history).

    ``fields`` is the section's input; the fields it gives replace the stored ones.
    """
    require_capture_of_record(context, resident)
    model = _model_of(fields, ONE_TO_ONE_SECTIONS)
    names = section_fields(model)
    instance = model.objects.filter(resident=resident).first() or model(resident=resident)
    before = snapshot(instance, names) if instance.pk else {}
    _set(instance, fields)
    if hasattr(instance, "recorded_on") and not instance.recorded_on:
        instance.recorded_on = timezone.localdate()
    raise_on_errors(_section_errors(resident, instance))
    with transaction.atomic():
        instance.save()
        refresh_completeness(resident)
        audit_record(context=context, action=AuditAction.UPDATE if before else AuditAction.CREATE,
                     resource_type=ResourceType.of(model), resource_id=instance.pk, subject_ids=[resident.pk],
                     changes=diff(before, instance, names))
    return instance


def section_entry_add(*, context: AuditContext, resident: Resident, fields: Input) -> models.Model:
    """Add one row to a list section (allergies, disabilities, medical history, surgeries)."""
    require_capture_of_record(context, resident)
    model = _model_of(fields, LIST_SECTIONS)
    entry = model(resident=resident)
    _set(entry, fields)
    raise_on_errors(_section_errors(resident, entry))
    with transaction.atomic():
        entry.save()
        refresh_completeness(resident)
        audit_record(context=context, action=AuditAction.CREATE, resource_type=ResourceType.of(model),
                     resource_id=entry.pk, subject_ids=[resident.pk], changes=diff({}, entry, section_fields(model)))
    return entry


def section_entry_remove(*, context: AuditContext, resident: Resident, section: str, entry_id: int) -> None:
    """Remove one row of a list section; 404 for a section or row that is not the resident's."""
    require_capture_of_record(context, resident)
    model = LIST_SECTIONS.get(section)
    entry = model.objects.filter(resident=resident, pk=entry_id).first() if model is not None else None
    if entry is None:
        raise OutOfScope
    names = section_fields(model)
    with transaction.atomic():
        before = snapshot(entry, names)
        entry.delete()
        refresh_completeness(resident)
        audit_record(context=context, action=AuditAction.DELETE, resource_type=ResourceType.of(model),
                     resource_id=entry_id, subject_ids=[resident.pk],
                     changes={k: [audit_value(k, v), None] for k, v in before.items()})
