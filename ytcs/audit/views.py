"""Audit browser for system administrators: everything, per person, per user. Reading it is audited too."""

from dataclasses import replace
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ytcs.accounts.models import User
from ytcs.accounts.scope import OutOfScope
from ytcs.audit.context import AuditContext
from ytcs.audit.display import event_views
from ytcs.audit.forms import AuditFilterForm
from ytcs.audit.selectors import (
    AuditFilter,
    audit_event_page,
    require_audit_reader,
    resident_trail_open,
    residents_seen_count,
)


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    require_audit_reader(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.to_filter()
    subject_ids = [filters.resident_id] if filters.resident_id else []
    return _render(request, form, filters, resource_id="all", subject_ids=subject_ids, extra={})


@login_required
def audit_resident(request: HttpRequest, pk: int) -> HttpResponse:
    """Who saw, changed, exported or tried to open resident ``pk``.

    The person must be one the reader may open (404 otherwise, the attempt audited by the door); someone who
    may open them but is no audit reader may not take this action (403).
    """
    resident = resident_trail_open(context=AuditContext.from_request(request), pk=pk)
    form = AuditFilterForm(request.GET or None)
    filters = replace(form.to_filter(), resident_id=pk)
    extra = {"resident_pk": pk, "resident": {"pk": resident.pk, "full_name": resident.full_name}}
    return _render(request, form, filters, resource_id=f"resident:{pk}", subject_ids=[pk], extra=extra)


@login_required
def audit_user(request: HttpRequest, pk: int) -> HttpResponse:
    """What user ``pk`` did and how many people they were shown."""
    require_audit_reader(request.user)
    subject = User.objects.select_related("org_unit").filter(pk=pk).first()
    if subject is None:
        raise OutOfScope
    form = AuditFilterForm(request.GET or None)
    filters = replace(form.to_filter(), actor_id=pk)
    extra = {"subject_user": subject, "residents_seen": residents_seen_count(actor=request.user, user_id=pk)}
    return _render(request, form, filters, resource_id=f"user:{pk}", subject_ids=[], extra=extra)


def _render(
    request: HttpRequest,
    form: AuditFilterForm,
    filters: AuditFilter,
    *,
    resource_id: str,
    subject_ids: list[int],
    extra: dict[str, Any],
) -> HttpResponse:
    page = audit_event_page(context=AuditContext.from_request(request), filters=filters,
                            page=request.GET.get("page"), looked_at=resource_id, subject_ids=subject_ids)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "events": event_views(page.object_list), "query": query.urlencode(),
               **extra}
    return render(request, "audit/event_list.html", context)
