"""Reads of the register pages: the QĐ 831 record page, the forms of a write, and the record's exports.

Each is given a resident already opened through the door (``get_resident_for``: 404 outside the search
scope, the refusal audited) and writes the audit row of what the page or file shows: a ``view`` of the
resident (the record page says so in ``changes``: ``{"view": "record"}``), an ``export`` with its format.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from ytcs.accounts.scope import capture_scope
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.people.completeness import Completeness, record_completeness
from ytcs.people.exports import DisplaySection, record_data, record_display, record_pdf
from ytcs.people.inputs import LIST_SECTIONS, ONE_TO_ONE_SECTIONS
from ytcs.people.models import Resident

EXPORT_FORMATS = ("html", "pdf", "json")


@dataclass(frozen=True)
class RecordPage:
    """What the record page shows: the sections' rows (for their forms), the labelled record, completeness."""

    resident: Resident
    sections: dict[str, models.Model | None]  # one-to-one sections the resident has a form for
    entries: dict[str, list[models.Model]]  # the rows of each list section
    completeness: Completeness
    display: list[DisplaySection]
    may_edit: bool  # the actor captures data where the resident lives


def _audit_view(context: AuditContext, resident: Resident, changes: dict | None = None) -> None:
    audit_record(context=context, action=AuditAction.VIEW, resource_type=ResourceType.RESIDENT,
                 resource_id=resident.pk, subject_ids=[resident.pk], changes=changes)


def may_edit(actor: object, resident: Resident) -> bool:
    """Whether the record page offers its forms: the actor captures data where the resident lives."""
    return capture_scope(actor).covers_place(resident.commune, resident.village)


def record_page(*, context: AuditContext, resident: Resident) -> RecordPage:
    """The record page of ``resident``, audited as a view of the record."""
    sections = {name: model.objects.filter(resident=resident).first() for name, model in ONE_TO_ONE_SECTIONS.items()
                if name != "reproductive_history" or resident.sex == "F"}
    entries = {name: list(model.objects.filter(resident=resident).order_by("pk"))
               for name, model in LIST_SECTIONS.items()}
    _audit_view(context, resident, {"view": "record"})
    return RecordPage(resident, sections, entries, record_completeness(resident), record_display(resident),
                      may_edit(context.actor, resident))


def section_row(resident: Resident, section: str) -> models.Model | None:
    """The stored row of a one-to-one section, for its form (read as part of a write: not audited again)."""
    return ONE_TO_ONE_SECTIONS[section].objects.filter(resident=resident).first()


def write_form_opened(*, context: AuditContext, resident: Resident) -> None:
    """Audit the form of a write (the edit form, a life event's form) shown with the resident's details."""
    _audit_view(context, resident)


@dataclass(frozen=True)
class RecordExport:
    """One export of a record: the printable page's sections, or the PDF's bytes, or the JSON data."""

    display: list[DisplaySection] | None = None
    completeness: Completeness | None = None
    pdf: bytes | None = None
    data: dict | None = None


def record_export(*, context: AuditContext, resident: Resident, fmt: str) -> RecordExport:
    """``resident``'s record as the printable page (``html``), a PDF or JSON, audited as an export."""
    if fmt == "html":
        export = RecordExport(display=record_display(resident), completeness=record_completeness(resident))
    elif fmt == "pdf":
        export = RecordExport(pdf=record_pdf(resident, station_name=resident.commune.name))
    elif fmt == "json":
        export = RecordExport(data=record_data(resident))
    else:
        raise ValueError(f"unknown export format {fmt!r}; one of {EXPORT_FORMATS}")
    audit_record(context=context, action=AuditAction.EXPORT, resource_type=ResourceType.RESIDENT,
                 resource_id=resident.pk, subject_ids=[resident.pk], changes={"format": [None, fmt]})
    return export
