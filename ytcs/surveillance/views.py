"""Surveillance pages: thin views that parse input, call one service or selector and render.

Each builds the :class:`~ytcs.audit.context.AuditContext` once and hands it on; refusals come from the
selectors and services (404 outside what the user can see, 403 where the role may not act).
"""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ytcs.accounts.scope import aggregate_province, aggregate_units, capture_scope, effective_units
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.core.errors import DomainError, NotAllowed
from ytcs.orgunits.models import OrgUnit
from ytcs.surveillance import charts, conf, selectors, services
from ytcs.surveillance.completeness import completeness_by_province, reporting_completeness, unit_trail
from ytcs.surveillance.forms import (
    CaseFilterForm,
    CaseFollowUpForm,
    CaseReportForm,
    CurveForm,
    SignalFilterForm,
    SignalReviewForm,
    WeekForm,
    show_errors,
)
from ytcs.surveillance.inputs import WeeklyLine, WeeklyReportInput
from ytcs.surveillance.models import Disease, ReportingMode, WeeklyReport
from ytcs.surveillance.weeks import last_complete_week, week_label, week_start


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "surveillance/index.html", {
        "may_capture": bool(capture_scope(user).paths),
        "province_level": selectors.is_province_level(user),
        "open_alerts": selectors.open_alerts(user).count(),
        "new_signals": selectors.signal_list(actor=user, status="new").count(),
    })


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    """The case report form; its villages are those of the user's capture scope.

    A posted report goes to the service whoever sends it, so a resident or place outside the user's scope
    is refused (and audited) there; a role that reports nowhere sees 403 instead of the form.
    """
    user = request.user
    form = CaseReportForm(request.POST or None, villages=selectors.capture_villages(user))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_report_create(form.to_input(), context=AuditContext.from_request(request))
        except DomainError as exc:
            show_errors(form, exc, CaseReportForm.ALIASES)
        else:
            messages.success(request, _("Đã ghi nhận ca bệnh."))
            if case.is_late:
                messages.warning(request, _("Ca bệnh được báo cáo quá thời hạn %(hours)s giờ.")
                                 % {"hours": case.deadline_hours})
            return redirect("surveillance:case_detail", pk=case.pk)
    elif not capture_scope(user):
        raise NotAllowed
    return render(request, "surveillance/case_form.html", {"form": form})


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CaseFilterForm(request.GET or None, units=selectors.units_for_choice(user))
    filters = form.cleaned_data if form.is_valid() else {}
    late = {"1": True, "0": False}.get(filters.get("late") or "")
    cases = selectors.case_list(
        actor=user, disease=filters.get("disease"), unit=filters.get("unit"), first_day=filters.get("first_day"),
        last_day=filters.get("last_day"), age_group=filters.get("age_group"), sex=filters.get("sex"), late=late,
    )
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    rows = selectors.line_list_rows(list(page.object_list), context=AuditContext.from_request(request))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "surveillance/case_list.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode(),
    })


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    context = AuditContext.from_request(request)
    case = selectors.get_case_for(pk, context=context)
    may_edit = capture_scope(user).covers(case.reporting_unit)
    form = CaseFollowUpForm(request.POST or None, initial={
        f: getattr(case, f) for f in ("classification", "lab_test", "lab_result", "hospitalised", "outcome", "notes")
    })
    if request.method == "POST":
        services.check_may_follow_up(case, context=context)
        if form.is_valid():
            try:
                services.case_report_update(case, form.to_input(), context=context)
            except DomainError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("Đã cập nhật ca bệnh."))
                return redirect("surveillance:case_detail", pk=case.pk)
    row = selectors.line_list_rows([case], context=context, action=AuditAction.VIEW)[0]
    return render(request, "surveillance/case_detail.html", {
        "case": case, "row": row, "form": form, "may_edit": may_edit, "now": timezone.now(),
    })


@login_required
def weekly_report(request: HttpRequest) -> HttpResponse:
    """The weekly aggregate report of the user's station: a grid of diseases × (cases, deaths) for one week.

    After a merger the station is the unit the user's became; of a commune split across several,
    ``?unit=`` picks the successor (the main one by default).
    """
    user = request.user
    context = AuditContext.from_request(request)
    chosen = request.GET.get("unit") or None
    unit = services.weekly_report_unit(chosen, context=context)
    default_week = last_complete_week(timezone.localdate())
    week_form = WeekForm(request.GET or None, initial={"week": default_week})
    week = week_form.cleaned_data["week"] if week_form.is_valid() else default_week
    existing = WeeklyReport.objects.filter(unit=unit, week_start=week).first()
    values = {line.disease.code: (line.cases, line.deaths) for line in existing.lines.select_related("disease")} \
        if existing else {}
    diseases = list(Disease.objects.exclude(reporting_mode=ReportingMode.SEPARATE).order_by(
        "-reporting_mode", "sort_order"))
    errors: dict[str | None, list[str]] = {}
    if request.method == "POST":
        lines, errors = _parse_grid(request.POST, diseases)
        if request.POST.get("no_cases"):
            lines = []
        if not errors:
            try:
                services.weekly_report_submit(WeeklyReportInput(week=week, lines=tuple(lines), unit_id=unit.pk),
                                              context=context)
            except DomainError as exc:
                errors = _grid_errors(exc, lines)
            else:
                messages.success(request, _("Đã gửi báo cáo tuần %(week)s.") % {"week": week_label(week)})
                return redirect(f"{request.path}?week={week.isoformat()}" + (f"&unit={unit.pk}" if chosen else ""))
        values = {code: (request.POST.get(f"cases_{code}", ""), request.POST.get(f"deaths_{code}", ""))
                  for code in (d.code for d in diseases)}
    grid = [
        {"disease": d, "cases": values.get(d.code, ("", ""))[0], "deaths": values.get(d.code, ("", ""))[1],
         "errors": errors.get(f"cases_{d.code}", [])}
        for d in diseases
    ]
    return render(request, "surveillance/weekly_report.html", {
        "unit": unit, "units": effective_units(user),
        "week": week, "week_label": week_label(week), "week_end": week + dt.timedelta(days=6),
        "due_at": services.report_due_at(week), "existing": existing, "grid": grid,
        "errors": [*errors.get(None, []), *errors.get("week", [])], "week_form": week_form,
        "previous": week - dt.timedelta(weeks=1), "next": week + dt.timedelta(weeks=1),
        "has_next": week < default_week,
    })


def _parse_grid(post: object, diseases: list[Disease]) -> tuple[list[WeeklyLine], dict[str | None, list[str]]]:
    """Non-empty cells of the grid; blank cases means 0 for the disease (the week's report says so)."""
    lines: list[WeeklyLine] = []
    errors: dict[str | None, list[str]] = {}
    for disease in diseases:
        raw_cases = (post.get(f"cases_{disease.code}") or "").strip()
        raw_deaths = (post.get(f"deaths_{disease.code}") or "").strip()
        if not raw_cases and not raw_deaths:
            continue
        try:
            cases, deaths = int(raw_cases or 0), int(raw_deaths or 0)
        except ValueError:
            errors[f"cases_{disease.code}"] = [_("Số mắc và số tử vong phải là số nguyên.")]
            continue
        lines.append(WeeklyLine(disease.code, cases, deaths))
    return lines, errors


def _grid_errors(exc: DomainError, lines: list[WeeklyLine]) -> dict[str | None, list[str]]:
    """The service's errors by grid row: ``lines.2.cases`` is the row of the third line's disease."""
    errors: dict[str | None, list[str]] = {}
    for error in exc.errors:
        parts = (error.field or "").split(".")
        key = f"cases_{lines[int(parts[1])].disease}" if parts[0] == "lines" and len(parts) > 1 else error.field
        errors.setdefault(key if key != "unit_id" else None, []).append(error.message)
    return errors


@login_required
def curve(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CurveForm(request.GET or None, units=selectors.units_for_choice(user),
                     default_weeks=int(conf.get("YTCS_SURVEILLANCE_CURVE_WEEKS")))
    filters = form.filters()
    unit = filters.get("unit") or selectors.scoped_unit(user, None)
    disease = filters.get("disease")
    weeks = filters["weeks"]
    last = last_complete_week(timezone.localdate()) + dt.timedelta(weeks=1)  # include the current week
    context = _curve_context(
        user, unit=unit, disease=disease, first_week=last - dt.timedelta(weeks=weeks - 1), last_week=last,
        by=filters.get("by") or "week", age_group=filters.get("age_group"), sex=filters.get("sex"),
    )
    return render(request, "surveillance/curve.html", {"form": form, **context})


def _curve_context(
    user: object, *, unit: OrgUnit, disease: Disease | None, first_week: dt.date, last_week: dt.date,
    by: str = "week", age_group: str | None = None, sex: str | None = None, highlight: dt.date | None = None,
) -> dict:
    signals = list(selectors.signal_list(actor=user, disease=disease, since=first_week).filter(unit=unit)) \
        if disease is not None else []
    if by == "onset":
        points = selectors.epi_curve_onset(actor=user, unit=unit, disease=disease, first_day=first_week,
                                           last_day=last_week + dt.timedelta(days=6), age_group=age_group, sex=sex)
        chart = charts.bar_chart(points, label=_("Khởi phát"))
    else:
        points = selectors.epi_curve_weekly(actor=user, unit=unit, disease=disease, first_week=first_week,
                                            last_week=last_week, age_group=age_group, sex=sex)
        chart = charts.bar_chart(points, label=_("Tuần"), signal_days={s.week_start for s in signals},
                                 highlight=highlight)
    return {
        "unit": unit, "disease": disease, "chart": chart, "by": by, "signals": signals,
        "breakdown": selectors.case_breakdown(actor=user, unit=unit, disease=disease, first_week=first_week,
                                              last_week=last_week),
        "first_week": first_week, "last_week": last_week, "filtered": bool(age_group or sex),
    }


@login_required
def signal_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = SignalFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    signals = selectors.signal_list(actor=user, status=filters.get("status") or None, disease=filters.get("disease"))
    page = Paginator(signals, 50).get_page(request.GET.get("page"))
    return render(request, "surveillance/signal_list.html", {"form": form, "page": page})


@login_required
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A signal of the user's area: its curve and cases for everyone who sees the area, the review for the province."""
    user = request.user
    context = AuditContext.from_request(request)
    signal = selectors.get_signal_for(pk, context=context)
    form = SignalReviewForm(request.POST or None)
    if request.method == "POST":
        services.check_may_review(signal, context=context)
        if form.is_valid():
            try:
                services.signal_review(signal, to_status=form.cleaned_data["to_status"],
                                       note=form.cleaned_data["note"], context=context)
            except DomainError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("Đã cập nhật trạng thái tín hiệu."))
                return redirect("surveillance:signal_detail", pk=signal.pk)
    cases = list(signal.cases.select_related("disease", "commune", "village", "reporting_unit", "resident")
                 .order_by("onset_date", "pk")[:200])
    rows = selectors.line_list_rows(cases, context=context)
    end = min(signal.week_start + dt.timedelta(weeks=8), last_complete_week(timezone.localdate()))
    curve = _curve_context(user, unit=signal.unit, disease=signal.disease,
                           first_week=end - dt.timedelta(weeks=51), last_week=end, highlight=signal.week_start)
    allowed = sorted(services.SIGNAL_TRANSITIONS.get(signal.status, set()))
    return render(request, "surveillance/signal_detail.html", {
        "signal": signal, "form": form, "rows": rows, "reviews": signal.reviews.select_related("by"),
        "allowed": [(s, dict(form.fields["to_status"].choices)[s]) for s in allowed],
        "may_review": user.role in services.REVIEWER_ROLES, "week_label": week_label(signal.week_start), **curve,
    })


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """Immediate alerts of the user's area; the province acknowledges them."""
    user = request.user
    show_all = request.GET.get("all") == "1"
    alerts = selectors.alert_list(user, include_acknowledged=show_all)[:200]
    return render(request, "surveillance/alert_list.html", {
        "alerts": alerts, "now": timezone.now(), "show_all": show_all,
        "may_acknowledge": user.role in services.REVIEWER_ROLES,
    })


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    context = AuditContext.from_request(request)
    alert = selectors.get_alert_for(pk, context=context)
    services.alert_acknowledge(alert, note=request.POST.get("note", ""), context=context)
    messages.success(request, _("Đã xác nhận cảnh báo."))
    return redirect("surveillance:alert_list")


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    """Completeness and timeliness of weekly reports: per province above province level, else per station.

    ``?province=<code>`` opens one province; ``?q=`` finds stations by commune name; ``?unit=<pk>`` still works.
    """
    user = request.user
    code = request.GET.get("province", "").replace("\x00", "")  # PostgreSQL cannot compare a NUL: no code has one
    unit = aggregate_province(user, code) if code.strip() else selectors.scoped_unit(user, request.GET.get("unit"))
    name = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    weeks = max(1, min(int(request.GET.get("weeks") or 12) if str(request.GET.get("weeks", "")).isdigit() else 12,
                       104))
    last = last_complete_week(timezone.localdate())
    first = last - dt.timedelta(weeks=weeks - 1)
    above_province = unit.level < OrgUnit.Level.PROVINCE
    by_province = above_province and not name
    if by_province:
        page = None
        rows = completeness_by_province(actor=user, unit=unit, first_week=first, last_week=last)
    else:
        page = reporting_completeness(actor=user, unit=unit, first_week=first, last_week=last, name=name,
                                                page=request.GET.get("page") or 1)
        rows = page.object_list
    trail = unit_trail(user, unit)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "surveillance/completeness.html", {
        "unit": unit, "rows": rows, "page": page, "by_province": by_province, "q": name,
        "crumbs": [(u.name, _completeness_query(u, weeks)) for u in trail],
        "searchable": unit.level < OrgUnit.Level.COMMUNE, "above_province": above_province,
        "query": query.urlencode(), "first_week": first, "last_week": last, "weeks": weeks,
        "provinces": aggregate_units(user).filter(level=OrgUnit.Level.PROVINCE).order_by("code"),
        "province_code": next((u.code for u in [*trail, unit] if u.level == OrgUnit.Level.PROVINCE), ""),
        "due_day": WEEKDAYS[int(conf.get("YTCS_SURVEILLANCE_REPORT_DUE_WEEKDAY"))],  # named, not "weekday 0"
        "due_hour": conf.get("YTCS_SURVEILLANCE_REPORT_DUE_HOUR"), "this_week": week_start(timezone.localdate()),
    })


def _completeness_query(unit: OrgUnit, weeks: int) -> str:
    """The query string opening ``unit`` on the completeness page (a province by its code)."""
    key, value = ("province", unit.code) if unit.level == OrgUnit.Level.PROVINCE else ("unit", unit.pk)
    return urlencode({key: value, "weeks": weeks})

