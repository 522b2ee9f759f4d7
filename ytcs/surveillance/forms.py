"""Forms of the surveillance pages: they parse input into the services' typed inputs; the services decide
what is valid, and their :class:`~ytcs.core.errors.DomainError` is shown on the form's fields."""

import datetime as dt
from collections.abc import Mapping

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ytcs.core.errors import DomainError
from ytcs.orgunits.models import OrgUnit
from ytcs.surveillance.inputs import CaseFollowUp, CaseReportInput
from ytcs.surveillance.models import Classification, Disease, LabResult, Outcome, ReportingMode, SignalStatus
from ytcs.surveillance.selectors import AGE_GROUPS


def show_errors(form: forms.Form, exc: DomainError, aliases: Mapping[str, str] | None = None) -> None:
    """Put a service's errors on the form: on the field they name (``aliases`` maps the API's names, e.g.
    ``village_id``, to the form's), else above the form."""
    for error in exc.errors:
        field = (aliases or {}).get(error.field or "", error.field)
        form.add_error(field if field in form.fields else None, error.message)

SEX_CHOICES = [("", _("Tất cả")), ("M", _("Nam")), ("F", _("Nữ"))]


def reportable_diseases() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        Disease.objects.exclude(reporting_mode=ReportingMode.SEPARATE), label=_("Bệnh"), to_field_name="code",
    )


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{obj.name} — {obj.parent.name}"


class CaseReportForm(forms.Form):
    disease = reportable_diseases()
    resident = forms.IntegerField(
        label=_("Mã người dân (nếu có trong sổ)"), required=False, min_value=1,
        help_text=_("Để trống nếu ca bệnh không có trong sổ quản lý: khi đó nhập tuổi, giới tính, thôn/bản."),
    )
    village = VillageChoiceField(OrgUnit.objects.none(), label=_("Thôn/bản nơi ở"), required=False)
    age_years = forms.IntegerField(label=_("Tuổi (năm)"), required=False, min_value=0, max_value=120)
    age_months = forms.IntegerField(label=_("Tháng tuổi (trẻ dưới 1 tuổi)"), required=False, min_value=0,
                                    max_value=11)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), ("M", _("Nam")), ("F", _("Nữ"))],
                            required=False)
    onset_date = forms.DateField(label=_("Ngày khởi phát"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    diagnosed_at = forms.DateTimeField(label=_("Thời điểm chẩn đoán"),
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    classification = forms.ChoiceField(label=_("Phân loại"), choices=Classification.choices,
                                       initial=Classification.SUSPECTED)
    lab_test = forms.CharField(label=_("Xét nghiệm"), required=False, max_length=120)
    lab_result = forms.ChoiceField(label=_("Kết quả xét nghiệm"), choices=LabResult.choices,
                                   initial=LabResult.NOT_TESTED)
    hospitalised = forms.BooleanField(label=_("Nhập viện"), required=False)
    outcome = forms.ChoiceField(label=_("Diễn biến"), choices=Outcome.choices, initial=Outcome.UNDER_TREATMENT)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    ALIASES = {"village_id": "village", "commune_id": "village", "resident_id": "resident"}

    def __init__(self, *args: object, villages: QuerySet, **kwargs: object) -> None:
        """``villages``: where the user may report a case (``selectors.capture_villages``), nothing wider."""
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["diagnosed_at"].initial = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)

    def to_input(self) -> CaseReportInput:
        data = self.cleaned_data
        village = data["village"]
        return CaseReportInput(
            disease=data["disease"].code, diagnosed_at=data["diagnosed_at"], onset_date=data["onset_date"],
            resident_id=data["resident"], village_id=village.pk if village is not None else None,
            age_years=data["age_years"], age_months=data["age_months"], sex=data["sex"],
            classification=data["classification"], lab_test=data["lab_test"], lab_result=data["lab_result"],
            hospitalised=data["hospitalised"], outcome=data["outcome"], notes=data["notes"],
        )


class CaseFollowUpForm(forms.Form):
    classification = forms.ChoiceField(label=_("Phân loại"), choices=Classification.choices)
    lab_test = forms.CharField(label=_("Xét nghiệm"), required=False, max_length=120)
    lab_result = forms.ChoiceField(label=_("Kết quả xét nghiệm"), choices=LabResult.choices)
    hospitalised = forms.BooleanField(label=_("Nhập viện"), required=False)
    outcome = forms.ChoiceField(label=_("Diễn biến"), choices=Outcome.choices)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def to_input(self) -> CaseFollowUp:
        return CaseFollowUp(**self.cleaned_data)


class FilterForm(forms.Form):
    """The filters shared by the line list and the epidemic curves (all optional)."""

    disease = forms.ModelChoiceField(Disease.objects.all(), label=_("Bệnh"), to_field_name="code", required=False,
                                     empty_label=_("Tất cả các bệnh"))
    unit = forms.ModelChoiceField(OrgUnit.objects.none(), label=_("Địa bàn"), required=False,
                                  empty_label=_("Địa bàn của tôi"))
    age_group = forms.ChoiceField(label=_("Nhóm tuổi"), required=False,
                                  choices=[("", _("Tất cả"))] + [(k, k) for k in AGE_GROUPS])
    sex = forms.ChoiceField(label=_("Giới tính"), required=False, choices=SEX_CHOICES)

    def __init__(self, *args: object, units: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class CaseFilterForm(FilterForm):
    first_day = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    late = forms.ChoiceField(label=_("Báo cáo muộn"), required=False,
                             choices=[("", _("Tất cả")), ("1", _("Muộn")), ("0", _("Đúng hạn"))])


class CurveForm(FilterForm):
    """Curve filters. ``weeks`` starts at the configured default, so the selector shows what is drawn."""

    WEEK_CHOICES = (12, 26, 52, 104, 156)

    by = forms.ChoiceField(label=_("Theo"), required=False, initial="week",
                           choices=[("week", _("Tuần báo cáo/khởi phát")), ("onset", _("Ngày khởi phát"))])
    weeks = forms.TypedChoiceField(label=_("Số tuần"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: object, default_weeks: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["weeks"]
        field.choices = [(n, str(n)) for n in sorted({*self.WEEK_CHOICES, default_weeks})]
        field.initial = default_weeks
        if self.is_bound and self.data.get("weeks") not in {str(n) for n, _ in field.choices}:
            # Filtered by disease only, or an odd count typed in the address: the default is drawn, and shown.
            self.data = self.data.copy()
            self.data["weeks"] = str(default_weeks)

    def filters(self) -> dict:
        """The valid filters: an invalid one (an area out of scope) is dropped without losing the others."""
        self.is_valid()  # cleans a bound form; an unbound one has no filters
        filters = dict(getattr(self, "cleaned_data", {}))
        filters["weeks"] = filters.get("weeks") or self.fields["weeks"].initial
        return filters


class SignalFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), required=False,
                               choices=[("", _("Tất cả"))] + list(SignalStatus.choices))
    disease = forms.ModelChoiceField(Disease.objects.all(), label=_("Bệnh"), to_field_name="code", required=False,
                                     empty_label=_("Tất cả các bệnh"))


class SignalReviewForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Chuyển sang"), choices=SignalStatus.choices)
    note = forms.CharField(label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class WeekForm(forms.Form):
    week = forms.DateField(label=_("Tuần (thứ Hai)"), widget=forms.DateInput(attrs={"type": "date", "step": 7}))

    def clean_week(self) -> dt.date:
        week = self.cleaned_data["week"]
        return week - dt.timedelta(days=week.weekday())
