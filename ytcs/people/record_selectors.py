"""Reads of one resident's record in every form it leaves the system: the API's resident, the QĐ 831 record
as JSON, the FHIR Patient, the health-record page and its exports (print page, PDF, JSON file).

Each opens the resident through the access module's getter (404 outside the viewer's search scope; a refused
attempt on an existing record is audited ``denied``), writes the audit row of the read, and hands back the
viewer's :class:`~ytcs.accounts.masking.Masker` with the data, so every output shows identifiers exactly as
:func:`~ytcs.accounts.masking.masker_for` decides and no caller can forget the audit. Every event names the
resource ``ResourceType.RESIDENT``; what was read goes in ``changes`` (``{"view": "record"}``, ``{"format":
"fhir"}``) and exports are the action ``export``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ytcs.accounts.masking import Masker, masker_for
from ytcs.accounts.scope import capture_scope
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import NotAllowed
from ytcs.people.access import get_resident_for
from ytcs.people.completeness import Completeness, record_completeness
from ytcs.people.exports import DisplaySection, record_data, record_display
from ytcs.people.fhir import patient_resource
from ytcs.people.models import Resident


class ExportFormat(StrEnum):
    """The files a record is exported as; the audit's ``changes["format"]``."""

    PRINT = "html"
    PDF = "pdf"
    JSON = "json"


@dataclass(frozen=True)
class ShownRecord:
    """A resident and how the viewer sees their identifiers: what every export builder needs."""

    resident: Resident
    masker: Masker


@dataclass(frozen=True)
class HealthRecord:
    """The health-record page: the record in QĐ 831 order, its completeness, and whether the viewer may edit."""

    resident: Resident
    masker: Masker
    display: list[DisplaySection]
    completeness: Completeness
    may_edit: bool


def _audit_read(context: AuditContext, resident: Resident, action: str, changes: dict | None = None) -> None:
    audit_record(context=context, action=action, resource_type=ResourceType.RESIDENT, resource_id=resident.pk,
                 subject_ids=[resident.pk], changes=changes)


def _open(context: AuditContext, pk: Any) -> Resident:
    return get_resident_for(context, pk)


def resident_view(*, context: AuditContext, pk: Any) -> Resident:
    """The resident ``pk`` (the API's resident); audited as a view. The API's schema masks for the viewer."""
    resident = _open(context, pk)
    _audit_read(context, resident, AuditAction.VIEW)
    return resident


def resident_record(*, context: AuditContext, pk: Any) -> dict:
    """The whole QĐ 831 record as JSON-ready data, identifiers as the viewer may see them; audited."""
    resident = _open(context, pk)
    _audit_read(context, resident, AuditAction.VIEW, {"format": ExportFormat.JSON.value})
    return record_data(resident, masker=masker_for(context.actor, resident))


def resident_fhir(*, context: AuditContext, pk: Any) -> dict:
    """The resident as a FHIR ``Patient`` (a dict), identifiers as the viewer may see them; audited."""
    resident = _open(context, pk)
    _audit_read(context, resident, AuditAction.VIEW, {"format": "fhir"})
    return patient_resource(resident, masker=masker_for(context.actor, resident))


def health_record(*, context: AuditContext, pk: Any) -> HealthRecord:
    """The health-record page's data; audited as a view of the record."""
    resident = _open(context, pk)
    _audit_read(context, resident, AuditAction.VIEW, {"view": "record"})
    return health_record_of(context.actor, resident)


def health_record_of(actor: Any, resident: Resident) -> HealthRecord:
    """The health-record page of a resident a page has already opened and audited (a section form that failed
    is shown again on it)."""
    masker = masker_for(actor, resident)
    return HealthRecord(resident, masker, record_display(resident, masker=masker), record_completeness(resident),
                        may_edit=may_edit(actor, resident))


def record_export(*, context: AuditContext, pk: Any, fmt: ExportFormat) -> ShownRecord:
    """The resident to export as ``fmt``, with the viewer's masker; audited as an export in that format."""
    resident = _open(context, pk)
    _audit_read(context, resident, AuditAction.EXPORT, {"format": fmt.value})
    return ShownRecord(resident, masker_for(context.actor, resident))


def resident_for_edit(*, context: AuditContext, pk: Any) -> Resident:
    """The resident whose administrative part the viewer is about to edit; audited as a view.

    The refusal rule (``docs/architecture.md``): outside the search scope the record does not exist (404, from
    the getter); a viewer who can open it but does not capture where it lies (an administrator, a provincial
    user) may not take this action (403). Both refusals are audited ``denied`` naming the person.
    """
    resident = _open(context, pk)
    if not may_edit(context.actor, resident):
        audit_record(context=context, action=AuditAction.DENIED, resource_type=ResourceType.RESIDENT,
                     resource_id=resident.pk, subject_ids=[resident.pk], outcome="denied")
        raise NotAllowed
    _audit_read(context, resident, AuditAction.VIEW)
    return resident


def may_edit(actor: Any, resident: Resident) -> bool:
    """Whether ``actor`` captures data where the resident lives (their commune, or their village for a village
    health worker): the record page then offers its forms."""
    return capture_scope(actor).covers_place(resident.commune, resident.village)
