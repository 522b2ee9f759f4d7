"""HTML pages: the visit form (with the htmx ICD-10 picker), a visit, and the person timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ytcs.audit.context import AuditContext
from ytcs.clinical import selectors, services
from ytcs.clinical.charts import ReferenceLine, Series, line_chart_svg
from ytcs.clinical.forms import FormState, form_state, raw_from_encounter, raw_from_post
from ytcs.clinical.icd10 import icd10_get, icd10_search
from ytcs.clinical.inputs import ConditionIn, EncounterIn, VoidIn, from_form
from ytcs.clinical.models import Encounter, Outcome, Payer
from ytcs.clinical.validation import bhyt_valid_on
from ytcs.clinical.vitals import VITALS
from ytcs.core.errors import DomainError
from ytcs.people.models import Resident


def _age_years(resident: Resident) -> int:
    today = timezone.localdate()
    born = resident.birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _measured(value: float) -> str:
    """A measured value for reading, in the user's language: 162 cm, 61,5 kg (not 162,0 or 61,50)."""
    return number_format(value, decimal_pos=None if value != int(value) else 0)


def _form_context(
    resident: Resident,
    state: FormState,
    *,
    encounter: Encounter | None = None,
    last: dict[str, selectors.LastMeasurement] | None = None,
) -> dict:
    last = last or {}
    vital_fields = [
        {
            "spec": spec,
            "value": state.values.get(spec.field, ""),
            "errors": state.errors.get(spec.field, []),
            "last": last.get(spec.field),
            "last_value": _measured(last[spec.field].value) if spec.field in last else "",
        }
        for spec in VITALS
    ]
    has_errors = bool(
        state.errors
        or state.other_errors
        or any(row["errors"] for row in [*state.diagnosis_rows, *state.prescription_rows])
    )
    return {
        "resident": resident,
        "age": _age_years(resident),
        "state": state,
        "encounter": encounter,
        "vital_fields": vital_fields,
        "has_errors": has_errors,
        "payers": Payer.choices,
        "outcomes": Outcome.choices,
    }


def _submit(
    request: HttpRequest, context: AuditContext, resident: Resident, encounter: Encounter | None
) -> HttpResponse:
    """Save the posted visit through the same typed input and service as the API, or re-show the form with
    each error beside its field (422)."""
    raw = raw_from_post(request.POST)
    try:
        data = from_form(EncounterIn, raw)
        if encounter is None:
            encounter = services.encounter_record(context=context, resident=resident, data=data)
            messages.success(request, gettext("Đã lưu lượt khám"))
        else:
            encounter = services.encounter_update(context=context, encounter=encounter, data=data)
            messages.success(request, gettext("Đã sửa lượt khám"))
    except DomainError as exc:
        last = selectors.last_measurements(resident=resident, before=encounter)
        context_data = _form_context(resident, form_state(raw, exc.errors), encounter=encounter, last=last)
        return render(request, "clinical/visit_form.html", context_data, status=422)
    return redirect("clinical:visit_detail", pk=encounter.pk)


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, resident_pk: int) -> HttpResponse:
    context = AuditContext.from_request(request)
    resident = selectors.resident_for_write(context=context, resident_id=resident_pk)
    services.ensure_capture(context=context, resident=resident)
    if request.method == "POST":
        return _submit(request, context, resident, None)
    last = selectors.visit_form_opened(context=context, resident=resident)
    now = timezone.localtime()
    # No measured value is prefilled: earlier ones are shown beside their fields (``last``), not carried forward.
    initial = {
        "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
        "outcome": Outcome.TREATED,
        "payer": Payer.BHYT if bhyt_valid_on(resident, now.date()) else Payer.SELF_PAY,
        "practitioner_name": request.user.get_full_name() or request.user.username,
        "diagnoses": [],
        "prescriptions": [],
    }
    return render(request, "clinical/visit_form.html", _form_context(resident, form_state(initial), last=last))


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    context = AuditContext.from_request(request)
    encounter = selectors.encounter_for_write(context=context, encounter_id=pk)
    services.ensure_capture(context=context, resident=encounter.resident, record=encounter)
    if request.method == "POST":
        return _submit(request, context, encounter.resident, encounter)
    last = selectors.visit_form_opened(context=context, resident=encounter.resident, encounter=encounter)
    state = form_state(raw_from_encounter(encounter))
    return render(
        request, "clinical/visit_form.html", _form_context(encounter.resident, state, encounter=encounter, last=last)
    )


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    encounter = selectors.encounter_get(context=AuditContext.from_request(request), encounter_id=pk)
    return render(
        request,
        "clinical/visit_detail.html",
        {
            "encounter": encounter,
            "resident": encounter.resident,
            "age": _age_years(encounter.resident),
            "alerts": selectors.encounter_alerts(encounter),
            "can_capture": selectors.may_capture(request.user, encounter.resident),
        },
    )


@login_required
@require_POST
def visit_void(request: HttpRequest, pk: int) -> HttpResponse:
    context = AuditContext.from_request(request)
    encounter = selectors.encounter_for_write(context=context, encounter_id=pk)
    services.ensure_capture(context=context, resident=encounter.resident, record=encounter)
    try:
        data = from_form(VoidIn, {"reason": request.POST.get("reason", "")})
        services.encounter_void(context=context, encounter=encounter, reason=data.reason)
    except DomainError as exc:
        _show_errors(request, exc)
        return redirect("clinical:visit_detail", pk=pk)
    messages.success(request, gettext("Đã huỷ lượt khám"))
    return redirect("clinical:timeline", resident_pk=encounter.resident_id)


def _show_errors(request: HttpRequest, exc: DomainError) -> None:
    """A refused action of a page without a form of its own (void, problem list): its messages on the next page."""
    for error in exc.errors:
        messages.error(request, error.message)


@login_required
@require_GET
def timeline(request: HttpRequest, resident_pk: int) -> HttpResponse:
    data = selectors.resident_timeline(context=AuditContext.from_request(request), resident_id=resident_pk)
    bp_chart = line_chart_svg(
        title=gettext("Huyết áp theo thời gian"),
        unit="mmHg",
        series=[
            Series(gettext("Tâm thu"), "systolic", [(d, s) for d, s, _ in data.bp_points]),
            Series(gettext("Tâm trương"), "diastolic", [(d, di) for d, _, di in data.bp_points]),
        ],
        references=[ReferenceLine(140, "140"), ReferenceLine(90, "90")],
    )
    weight_chart = line_chart_svg(
        title=gettext("Cân nặng theo thời gian"),
        unit="kg",
        series=[Series(gettext("Cân nặng"), "weight", data.weight_points)],
    )
    return render(
        request,
        "clinical/timeline.html",
        {
            "timeline": data,
            "resident": data.resident,
            "age": _age_years(data.resident),
            "bp_chart": bp_chart,
            "weight_chart": weight_chart,
        },
    )


@login_required
@require_POST
def condition_new(request: HttpRequest, resident_pk: int) -> HttpResponse:
    context = AuditContext.from_request(request)
    resident = selectors.resident_for_write(context=context, resident_id=resident_pk)
    services.ensure_capture(context=context, resident=resident)  # refused before the input is read, as a visit
    raw = {name: request.POST.get(name, "") for name in ("icd10_code", "onset_date", "note")}
    try:
        services.condition_add(context=context, resident=resident, data=from_form(ConditionIn, raw))
        messages.success(request, gettext("Đã thêm vào danh sách vấn đề sức khoẻ"))
    except DomainError as exc:
        _show_errors(request, exc)
    return redirect("clinical:timeline", resident_pk=resident.pk)


@login_required
@require_POST
def condition_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    context = AuditContext.from_request(request)
    condition = selectors.condition_for_write(context=context, condition_id=pk)
    try:
        services.condition_resolve(context=context, condition=condition)
    except DomainError as exc:
        _show_errors(request, exc)
    return redirect("clinical:timeline", resident_pk=condition.resident_id)


@login_required
@require_GET
def icd10_picker(request: HttpRequest) -> HttpResponse:
    """htmx partial: matching codes as buttons that add a diagnosis row. The query is not personal data."""
    query = request.GET.get("q", "")[:100]
    return render(request, "clinical/_icd10_results.html", {"query": query, "results": icd10_search(query, 12)})


@login_required
@require_GET
def diagnosis_row(request: HttpRequest) -> HttpResponse:
    """htmx partial: one diagnosis row for the chosen code."""
    entry = icd10_get(request.GET.get("code", ""))
    if entry is None:
        return HttpResponse(status=404)
    row = {
        "code": entry.code,
        "title": entry.title,
        "note": "",
        "is_primary": request.GET.get("primary") == "1",
        "errors": {},
    }
    return render(request, "clinical/_diagnosis_row.html", {"row": row, "clear_results": True})


@login_required
@require_GET
def prescription_row(request: HttpRequest) -> HttpResponse:
    """htmx partial: an empty prescription line."""
    return render(request, "clinical/_prescription_row.html", {"row": {"unit": "viên", "errors": {}}})
