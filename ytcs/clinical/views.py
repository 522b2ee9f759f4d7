"""HTML pages: the visit form (with the htmx ICD-10 picker), a visit, and the person timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ytcs.clinical import selectors, services
from ytcs.clinical.charts import ReferenceLine, Series, line_chart_svg
from ytcs.clinical.errors import ClinicalValidationError
from ytcs.clinical.forms import FormState, form_state, raw_from_encounter, raw_from_post
from ytcs.clinical.icd10 import icd10_get, icd10_search
from ytcs.clinical.inputs import parse_encounter
from ytcs.clinical.models import Encounter, Outcome, Payer
from ytcs.clinical.validation import bhyt_valid_on, encounter_errors
from ytcs.clinical.vitals import VITALS
from ytcs.people.access import get_resident_for
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


def _submit(request: HttpRequest, resident: Resident, encounter: Encounter | None) -> HttpResponse:
    raw = raw_from_post(request.POST)
    data, parse_errors = parse_encounter(raw)
    try:
        if parse_errors:
            raise ClinicalValidationError(parse_errors + encounter_errors(data, resident=resident))
        if encounter is None:
            encounter = services.encounter_record(actor=request.user, resident=resident, data=data, request=request)
            messages.success(request, gettext("Đã lưu lượt khám"))
        else:
            encounter = services.encounter_update(actor=request.user, encounter=encounter, data=data, request=request)
            messages.success(request, gettext("Đã sửa lượt khám"))
    except ClinicalValidationError as exc:
        last = selectors.last_measurements(resident=resident, before=encounter)
        context = _form_context(resident, form_state(raw, exc.errors), encounter=encounter, last=last)
        return render(request, "clinical/visit_form.html", context, status=422)
    return redirect("clinical:visit_detail", pk=encounter.pk)


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, resident_pk: int) -> HttpResponse:
    resident = get_resident_for(request.user, resident_pk, request=request)
    services.ensure_capture(request.user, resident)
    if request.method == "POST":
        return _submit(request, resident, None)
    last = selectors.visit_form_opened(actor=request.user, resident=resident, request=request)
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
    encounter = selectors.encounter_for_write(actor=request.user, encounter_id=pk)
    services.ensure_capture(request.user, encounter.resident)
    if request.method == "POST":
        return _submit(request, encounter.resident, encounter)
    last = selectors.visit_form_opened(
        actor=request.user, resident=encounter.resident, encounter=encounter, request=request
    )
    state = form_state(raw_from_encounter(encounter))
    context = _form_context(encounter.resident, state, encounter=encounter, last=last)
    return render(request, "clinical/visit_form.html", context)


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    encounter = selectors.encounter_get(actor=request.user, encounter_id=pk, request=request)
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
    encounter = selectors.encounter_for_write(actor=request.user, encounter_id=pk)
    try:
        services.encounter_void(
            actor=request.user, encounter=encounter, reason=request.POST.get("reason", ""), request=request
        )
    except ClinicalValidationError as exc:
        for error in exc.errors:
            messages.error(request, error.message)
        return redirect("clinical:visit_detail", pk=pk)
    messages.success(request, gettext("Đã huỷ lượt khám"))
    return redirect("clinical:timeline", resident_pk=encounter.resident_id)


@login_required
@require_GET
def timeline(request: HttpRequest, resident_pk: int) -> HttpResponse:
    data = selectors.resident_timeline(actor=request.user, resident_id=resident_pk, request=request)
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
    resident = get_resident_for(request.user, resident_pk, request=request)
    onset = parse_date(request.POST.get("onset_date", "") or "") if request.POST.get("onset_date") else None
    try:
        services.condition_add(
            actor=request.user,
            resident=resident,
            icd10_code=request.POST.get("icd10_code", ""),
            onset_date=onset,
            note=request.POST.get("note", ""),
            request=request,
        )
        messages.success(request, gettext("Đã thêm vào danh sách vấn đề sức khoẻ"))
    except ClinicalValidationError as exc:
        for error in exc.errors:
            messages.error(request, error.message)
    return redirect("clinical:timeline", resident_pk=resident.pk)


@login_required
@require_POST
def condition_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    condition = selectors.condition_get(actor=request.user, condition_id=pk)
    try:
        services.condition_resolve(actor=request.user, condition=condition, request=request)
    except ClinicalValidationError as exc:
        for error in exc.errors:
            messages.error(request, error.message)
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
