"""The duplicate review queue: list, one pair side by side, merge / not a duplicate, the merge page and undo."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ytcs.audit.context import AuditContext
from ytcs.core.decorators import login_required_htmx
from ytcs.core.errors import DomainError
from ytcs.core.labels import field_label, relation_label
from ytcs.people.dedup import selectors, services
from ytcs.people.dedup.models import CandidateStatus
from ytcs.people.models import Resident


def _show(request: HttpRequest, exc: DomainError) -> None:
    for error in exc.errors:
        messages.error(request, error.message)


@login_required_htmx
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """Pairs waiting for review in the user's capture scope, highest score first."""
    status = request.GET.get("status", CandidateStatus.NEW)
    if status not in CandidateStatus.values:
        status = CandidateStatus.NEW
    page = selectors.duplicate_queue(context=AuditContext.from_request(request), status=status,
                                     page=request.GET.get("page", 1))
    return render(request, "people/dedup/queue.html",
                  {"page": page, "status": status, "statuses": CandidateStatus.choices})


@login_required_htmx
@require_POST
def scan(request: HttpRequest) -> HttpResponse:
    """Re-scan the user's communes now (a station's register scans in about a second)."""
    result = services.duplicates_scan_for(context=AuditContext.from_request(request))
    messages.success(request, _("Đã quét %(n)s người; %(likely)s cặp rất có thể trùng, %(possible)s cặp có thể trùng.")
                     % {"n": result.residents, "likely": result.likely, "possible": result.possible})
    return redirect("people:dedup-queue")


@login_required_htmx
@require_http_methods(["GET"])
def pair(request: HttpRequest, pk: int) -> HttpResponse:
    """Two registrations side by side with the reasons they were paired."""
    view = selectors.candidate_detail(context=AuditContext.from_request(request), pk=pk)
    return render(request, "people/dedup/pair.html", {"v": view, "c": view.candidate})


@login_required_htmx
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """"Merge into left", "merge into right" or "not a duplicate"."""
    context = AuditContext.from_request(request)
    view = selectors.candidate_detail(context=context, pk=pk)
    decision = request.POST.get("decision", "")
    candidate = view.candidate
    if candidate.status != CandidateStatus.NEW:
        messages.error(request, _("Cặp này đã được xử lý."))
        return redirect("people:dedup-pair", pk=pk)
    if decision == "not_duplicate":
        services.candidate_mark_not_duplicate(context=context, candidate=candidate)
        messages.success(request, _("Đã ghi nhận: hai người khác nhau."))
        return redirect("people:dedup-queue")
    if decision not in ("keep_left", "keep_right"):
        messages.error(request, _("Hãy chọn giữ hồ sơ bên trái, bên phải, hoặc “không trùng”."))
        return redirect("people:dedup-pair", pk=pk)
    keep, remove = (view.left, view.right) if decision == "keep_left" else (view.right, view.left)
    try:
        log = services.resident_merge(context=context, keep=keep, remove=remove, candidate=candidate)
    except DomainError as exc:
        _show(request, exc)
        return redirect("people:dedup-pair", pk=pk)
    messages.success(request, _("Đã gộp hồ sơ. Có thể hoàn tác trên trang này."))
    return redirect("people:dedup-merge", pk=log.pk)


@login_required_htmx
@require_http_methods(["GET"])
def merge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What one merge moved, with the undo button for those who may undo it."""
    log = selectors.merge_log_detail(context=AuditContext.from_request(request), pk=pk)
    moved = [(relation_label(label), len(pks)) for label, pks in log.moved.items()]
    left_behind = [(relation_label(label), len(pks)) for label, pks in log.left_behind.items()]
    filled = [field_label(Resident, attname) for attname in sorted(log.filled)]
    return render(request, "people/dedup/merge.html", {
        "log": log, "moved": moved, "left_behind": left_behind, "filled": filled,
        "may_undo": selectors.may_capture_both(request.user, log.kept, log.removed)})


@login_required_htmx
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    context = AuditContext.from_request(request)
    log = selectors.merge_log_detail(context=context, pk=pk)
    try:
        services.resident_merge_undo(context=context, merge_log=log)
    except DomainError as exc:
        _show(request, exc)
    else:
        messages.success(request, _("Đã hoàn tác: hai hồ sơ lại tách riêng như trước khi gộp."))
    return redirect("people:dedup-merge", pk=pk)
