"""Register pages: household registration, resident edit, the QĐ 831 record's section forms, life events, import.

Thin views: parse the form into the service's typed input, call one service with the request's
``AuditContext``, show the service's ``DomainError`` beside the fields. Records are reached only through
the door (``get_resident_for``: 404 outside the search scope); a write where the user can see the record
but may not capture answers 403 (:mod:`ytcs.people.capture`); reads are audited by ``register_selectors``.
Reading the record (its page, print, PDF, JSON) lives in ``views_record``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ytcs.accounts.scope import capture_communes
from ytcs.audit.context import AuditContext
from ytcs.core.errors import DomainError
from ytcs.orgunits.models import OrgUnit
from ytcs.people import forms as f
from ytcs.people.access import get_resident_for
from ytcs.people.capture import register_commune, require_capture_of_record
from ytcs.people.dedup.registration import DuplicatesFound, registration_preview
from ytcs.people.import_files import max_age_seconds, pending_discard, pending_purge, pending_read, pending_store
from ytcs.people.import_template import template_csv
from ytcs.people.imports import COLUMNS, import_residents
from ytcs.people.inputs import LIST_SECTIONS, section_values
from ytcs.people.life_events import birth_register, death_register, residence_move
from ytcs.people.models import Resident
from ytcs.people.record_selectors import health_record_of
from ytcs.people.register_selectors import section_row, write_form_opened
from ytcs.people.sections import section_entry_add, section_entry_remove, section_save
from ytcs.people.services import household_register, resident_update
from ytcs.people.views_record import RECORD_TEMPLATE, record_context

T = "people/register/"


def actor_commune(request: HttpRequest) -> OrgUnit:
    """The commune a station user registers in: 403 for a role that captures in no commune, 404 elsewhere.

    Their effective commune: after a merger the commune theirs became; for a commune split
    across several, the successor picked by ``?commune=`` (the main one by default).
    """
    return register_commune(request.user, request.GET.get("commune"))


def _member_formset(request: HttpRequest, commune: OrgUnit, *, extra_row: bool = False) -> f.MemberFormSet:
    if request.method != "POST":
        return f.MemberFormSet(prefix="members", commune=commune)
    data = request.POST.copy()
    if extra_row:
        data["members-TOTAL_FORMS"] = str(int(data.get("members-TOTAL_FORMS", "1")) + 1)
    return f.MemberFormSet(data, prefix="members", commune=commune)


@login_required
def household_new(request: HttpRequest) -> HttpResponse:
    """Register a household and all its members in one go."""
    commune = actor_commune(request)
    adding = "add_member" in request.POST
    form = f.HouseholdForm(request.POST or None, commune=commune)
    formset = _member_formset(request, commune, extra_row=adding)
    if request.method == "POST" and not adding and form.is_valid() and formset.is_valid():
        changed = [m for m in formset.forms if m.has_changed()]
        members = [m.resident_fields() for m in changed]
        answers = {i: answer for i, m in enumerate(changed)
                   if (answer := f.DifferentPersonForm(request.POST, prefix=m.prefix).answer()) is not None}
        try:
            household = household_register(context=AuditContext.from_request(request), commune=commune,
                                           members=members, different_from=answers, **form.cleaned_data)
        except DuplicatesFound as exc:
            _show_duplicates(request, form, changed, exc)
        except DomainError as exc:
            _show_household_errors(form, formset, exc)
        else:
            messages.success(request, _("Đã đăng ký hộ %(code)s với %(count)s thành viên.")
                             % {"code": household.code, "count": len(members)})
            return redirect("people:register_record", resident_id=household.head_id)
    return render(request, T + "household_form.html", {
        "form": form, "formset": formset, "commune": commune, "ethnic_groups": f.ethnic_groups()})


def _show_household_errors(form: f.HouseholdForm, formset: f.MemberFormSet, exc: DomainError) -> None:
    changed = [m for m in formset.forms if m.has_changed()]
    for error in exc.errors:
        parts = (error.field or "").split(".")
        if parts[0] == "members" and len(parts) == 3 and int(parts[1]) < len(changed):
            target = changed[int(parts[1])]
            target.add_error(parts[2] if parts[2] in target.fields else None, error.message)
        else:
            form.add_error(error.field if error.field in form.fields else None, error.message)


def _show_duplicates(request: HttpRequest, form: f.HouseholdForm, changed: list[f.MemberForm],
                     exc: DuplicatesFound) -> None:
    """Put each member's likely duplicates, and the "another person" answer, in the member's row."""
    form.add_error(None, _("Có thể một số người đã có trong sổ. Xem cảnh báo ở từng thành viên trước khi lưu."))
    for index, matches in exc.matches.items():
        member = changed[index]
        member.duplicates = matches
        member.answer_form = f.DifferentPersonForm(request.POST, prefix=member.prefix)
        member.reason_missing = index in exc.missing_reason


@login_required
@require_POST
def member_duplicates(request: HttpRequest) -> HttpResponse:
    """htmx: the likely duplicates of one member row while it is typed (the panel the save would show)."""
    commune = actor_commune(request)
    try:
        index = int(request.POST.get("index", ""))
    except ValueError:
        raise Http404 from None
    prefix = f"members-{index}"
    member = f.MemberForm(request.POST, prefix=prefix, commune=commune)
    member.is_valid()  # only the fields typed so far are needed; the others stay out of cleaned_data
    typed = {name: member.cleaned_data.get(name) or "" for name in ("family_name", "middle_name", "given_name", "sex",
                                                                    "phone", "cccd", "bhyt_card_number")}
    village_id = request.POST.get("village", "")
    village = f.villages_of(commune).filter(pk=village_id).first() if village_id.isdigit() else None
    resident = Resident(commune=commune, village=village, birth_date=member.cleaned_data.get("birth_date"), **typed)
    matches = registration_preview(context=AuditContext.from_request(request), resident=resident, commune=commune)
    return render(request, T + "_duplicates.html", {"matches": matches, "prefix": prefix,
                                                    "answer_form": f.DifferentPersonForm(prefix=prefix)})


@login_required
@require_GET
def member_row(request: HttpRequest) -> HttpResponse:
    """htmx: one more member row, and the formset's new TOTAL_FORMS (swapped out of band)."""
    commune = actor_commune(request)
    try:
        index = int(request.GET.get("members-TOTAL_FORMS", "1"))
    except ValueError:
        index = 1
    index = max(1, min(index, f.MemberFormSet.max_num - 1))
    member = f.MemberForm(prefix=f"members-{index}", commune=commune, empty_permitted=True,
                          use_required_attribute=False)
    return render(request, T + "_member_row.html", {"member": member, "index": index, "total": index + 1})


def _open_for_writing(request: HttpRequest, resident_id: int) -> tuple[AuditContext, Resident]:
    """The resident, for a page that writes: 404 outside the search scope, 403 where the user may not capture."""
    context = AuditContext.from_request(request)
    resident = get_resident_for(context, resident_id)
    require_capture_of_record(context, resident)
    return context, resident


@login_required
def resident_edit(request: HttpRequest, resident_id: int) -> HttpResponse:
    context, resident = _open_for_writing(request, resident_id)
    form = f.ResidentForm(request.POST or None, instance=resident, commune=resident.commune)
    if request.method == "POST" and form.is_valid():
        fields = form.resident_fields()
        fresh = get_resident_for(context, resident_id)
        try:
            resident_update(context=context, resident=fresh, fields=fields)
        except DomainError as exc:
            f.add_register_errors(form, exc.errors)
        else:
            for warning in getattr(fresh, "warnings", []):
                messages.warning(request, warning.message)
            messages.success(request, _("Đã lưu thông tin của %(name)s.") % {"name": fresh.full_name})
            return redirect("people:register_record", resident_id=resident_id)
    elif request.method != "POST":
        write_form_opened(context=context, resident=resident)
    return render(request, T + "resident_form.html", {"form": form, "resident": resident,
                                                      "ethnic_groups": f.ethnic_groups()})


@login_required
@require_POST
def section_post(request: HttpRequest, resident_id: int, section: str) -> HttpResponse:
    context, resident = _open_for_writing(request, resident_id)
    if section not in f.SECTION_FORMS:
        raise Http404
    form = f.SECTION_FORMS[section](request.POST, instance=section_row(resident, section), prefix=section)
    if form.is_valid():
        try:
            section_save(context=context, resident=resident, fields=section_values(section, form.cleaned_data))
        except DomainError as exc:
            f.add_register_errors(form, exc.errors)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(f"{_record_url(resident_id)}#{section}")
    return render(request, RECORD_TEMPLATE, record_context(health_record_of(request.user, resident), {section: form}),
                  status=422)


@login_required
@require_POST
def entry_add(request: HttpRequest, resident_id: int, section: str) -> HttpResponse:
    context, resident = _open_for_writing(request, resident_id)
    if section not in f.ENTRY_FORMS:
        raise Http404
    form = f.ENTRY_FORMS[section](request.POST, prefix=f"entry-{section}")
    if form.is_valid():
        try:
            section_entry_add(context=context, resident=resident, fields=section_values(section, form.cleaned_data))
        except DomainError as exc:
            f.add_register_errors(form, exc.errors)
        else:
            messages.success(request, _("Đã thêm."))
            return redirect(f"{_record_url(resident_id)}#{section}")
    return render(request, RECORD_TEMPLATE,
                  record_context(health_record_of(request.user, resident), {f"entry:{section}": form}), status=422)


@login_required
@require_POST
def entry_delete(request: HttpRequest, resident_id: int, section: str, entry_id: int) -> HttpResponse:
    context, resident = _open_for_writing(request, resident_id)
    if section not in LIST_SECTIONS:
        raise Http404
    section_entry_remove(context=context, resident=resident, section=section, entry_id=entry_id)
    messages.success(request, _("Đã xoá."))
    return redirect(f"{_record_url(resident_id)}#{section}")


def _record_url(resident_id: int) -> str:
    return reverse("people:register_record", kwargs={"resident_id": resident_id})


EVENT_FORMS = {"birth": f.BirthForm, "death": f.DeathForm, "move": f.MoveForm}
EVENT_TITLES = {"birth": gettext_lazy("Đăng ký trẻ sinh ra"), "death": gettext_lazy("Ghi nhận tử vong"),
                "move": gettext_lazy("Chuyển nơi cư trú")}


@login_required
def life_event(request: HttpRequest, resident_id: int, kind: str) -> HttpResponse:
    """Birth (of this mother's child), death, or a move of this resident."""
    if kind not in EVENT_FORMS:
        raise Http404
    context, resident = _open_for_writing(request, resident_id)
    form = EVENT_FORMS[kind](request.POST or None)
    if kind == "birth" and not request.POST:
        form.initial["family_name"] = resident.family_name
    if request.method != "POST":
        write_form_opened(context=context, resident=resident)
    elif form.is_valid():
        data = form.cleaned_data
        try:
            if kind == "birth":
                child = birth_register(context=context, mother=resident, child=form.child(),
                                       birth_condition=form.birth_condition())
                messages.success(request, _("Đã đăng ký trẻ %(name)s.") % {"name": child.full_name})
                return redirect("people:register_record", resident_id=child.pk)
            if kind == "death":
                death_register(context=context, resident=resident, died_on=data["died_on"],
                               cause_icd10=data["cause_icd10"], note=data["note"])
                messages.success(request, _("Đã ghi nhận tử vong."))
                return redirect("people:register_record", resident_id=resident.pk)
            residence_move(context=context, resident=resident, to_commune=data["to_commune"],
                           to_village=data["to_village"], moved_on=data["moved_on"])
        except DomainError as exc:
            f.add_register_errors(form, exc.errors, prefixes=("child.", "birth_condition."),
                                  renamed={"to_commune": "to_commune_code", "to_village": "to_village_code"})
        else:
            messages.success(request, _("Đã ghi nhận việc chuyển nơi cư trú."))
            if resident.commune_id == data["to_commune"].pk:
                return redirect("people:register_record", resident_id=resident.pk)
            return redirect("home")
    return render(request, T + "life_event.html", {"form": form, "resident": resident, "kind": kind,
                                                   "title": EVENT_TITLES[kind]})


# --- import ---


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a list, see every bad row (dry run), then confirm to write it all, or cancel.

    The checked file waits on the server for the confirmation (see ``import_files``): deleted once the
    confirmation has run or on cancel, and never used once expired.
    """
    commune = actor_commune(request)
    form = f.ImportForm(request.POST or None, request.FILES or None)
    report, token = None, None
    if request.method == "POST":
        pending_purge()
    if request.method == "POST" and ("confirm" in request.POST or "cancel" in request.POST):
        stored = _pending_take(request)
        if "cancel" in request.POST:
            if stored:
                pending_discard(stored)
            messages.info(request, _("Đã huỷ; tệp đã tải lên được xoá khỏi máy chủ."))
            return redirect("people:register_import")
        content = pending_read(stored) if stored else None
        if content is None:
            messages.error(request, _("Tệp đã hết hạn; hãy tải lên lại."))
            return redirect(request.get_full_path())
        try:
            report = import_residents(context=AuditContext.from_request(request), commune=commune,
                                      name=stored.split("_", 1)[1], content=content, dry_run=False)
        finally:
            pending_discard(stored)
        if report.written:
            messages.success(request, _("Đã nhập %(created)s người mới, cập nhật %(updated)s người.")
                             % {"created": report.created, "updated": report.updated})
            return redirect(request.get_full_path())
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            report = import_residents(context=AuditContext.from_request(request), commune=commune, name=upload.name,
                                      content=content, dry_run=True)
        except DomainError as exc:
            f.add_register_errors(form, exc.errors)
        else:
            if report.ok:
                stored = pending_store(upload.name, content)
                token = stored.split("_", 1)[0]
                request.session["people_import"] = {**request.session.get("people_import", {}), token: stored}
    villages = OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE, valid_to__isnull=True)
    return render(request, T + "import.html", {
        "form": form, "report": report, "token": token, "commune": commune, "columns": COLUMNS,
        "shown_errors": report.errors[:1000] if report else [], "keep_minutes": max_age_seconds() // 60,
        "villages": villages.order_by("name").values_list("name", flat=True)})


def _pending_take(request: HttpRequest) -> str | None:
    """The stored file of the posted token, taken out of the session (it can be confirmed only once)."""
    pending = request.session.get("people_import", {})
    stored = pending.pop(request.POST.get("token", ""), None)
    request.session["people_import"] = pending
    return stored


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """The CSV template, its example row filled with the user's own commune (villages, next household code)."""
    response = HttpResponse(template_csv(actor_commune(request)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-nguoi-dan.csv"'
    return response


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Entry page of the register tools for the user's commune."""
    commune = actor_commune(request)
    return render(request, T + "start.html", {"commune": commune, "communes": capture_communes(request.user)})

