"""Reading one person's health record: the QĐ 831 record page and its exports (print page, PDF, JSON file).

Thin: each view calls one selector of ``record_selectors`` with the request's audit context. The selector
opens the record through the access module (404 outside the user's scope, the refusal audited), audits the
read and returns the viewer's masker with the data, so the page or file shows identifiers only as
``ytcs.accounts.masking`` allows. The writes of the record page (its section forms) live in ``views_register``.
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ytcs.audit.context import AuditContext
from ytcs.people import forms as f
from ytcs.people.completeness import record_completeness
from ytcs.people.exports import record_data, record_display, record_pdf
from ytcs.people.record_selectors import ExportFormat, HealthRecord, health_record, record_export
from ytcs.people.services import LIST_SECTIONS, ONE_TO_ONE_SECTIONS

RECORD_TEMPLATE = "people/register/record.html"


def record_context(page: HealthRecord, bound: dict | None = None) -> dict:
    """The record page's context: the record, and a pre-filled form for each section when the viewer may edit;
    ``bound`` replaces one form with the one that failed (keyed by section, or ``entry:<section>``)."""
    resident = page.resident
    context = {"resident": resident, "display": page.display, "completeness": page.completeness,
               "may_edit": page.may_edit, "sections": {}, "entries": {}}
    if not page.may_edit:
        return context
    bound = bound or {}
    for name, model in ONE_TO_ONE_SECTIONS.items():
        if name == "reproductive_history" and resident.sex != "F":
            continue
        instance = model.objects.filter(resident=resident).first()
        context["sections"][name] = bound.get(name) or f.SECTION_FORMS[name](instance=instance, prefix=name)
    for name, model in LIST_SECTIONS.items():
        context["entries"][name] = {
            "rows": list(model.objects.filter(resident=resident).order_by("pk")),
            "form": bound.get(f"entry:{name}") or f.ENTRY_FORMS[name](prefix=f"entry-{name}")}
    return context


@login_required
def record(request: HttpRequest, resident_id: int) -> HttpResponse:
    """The QĐ 831 personal health record of one resident, with a form for each section for those who edit it."""
    page = health_record(context=AuditContext.from_request(request), pk=resident_id)
    return render(request, RECORD_TEMPLATE, record_context(page))


@login_required
def export_print(request: HttpRequest, resident_id: int) -> HttpResponse:
    shown = record_export(context=AuditContext.from_request(request), pk=resident_id, fmt=ExportFormat.PRINT)
    return render(request, "people/export/record_print.html", {
        "resident": shown.resident, "display": record_display(shown.resident, masker=shown.masker),
        "completeness": record_completeness(shown.resident)})


@login_required
def export_pdf(request: HttpRequest, resident_id: int) -> HttpResponse:
    shown = record_export(context=AuditContext.from_request(request), pk=resident_id, fmt=ExportFormat.PDF)
    pdf = record_pdf(shown.resident, masker=shown.masker, station_name=shown.resident.commune.name)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ho-so-suc-khoe-{shown.resident.pk}.pdf"'
    return response


@login_required
def export_json(request: HttpRequest, resident_id: int) -> HttpResponse:
    shown = record_export(context=AuditContext.from_request(request), pk=resident_id, fmt=ExportFormat.JSON)
    data = record_data(shown.resident, masker=shown.masker)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ho-so-suc-khoe-{shown.resident.pk}.json"'
    return response
