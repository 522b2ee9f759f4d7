"""Forms that turn typed text into the typed inputs of the register services (:mod:`ytcs.people.inputs`).

They only coerce (dates, numbers, choices, required fields) and build the same input the API builds. Every
rule about the data itself lives in the services; ``_post_clean`` is therefore switched off so the model is
validated once, in one place, and the service's ``DomainError`` is put back beside the field with
:func:`add_register_errors`.
"""

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from ytcs.core.errors import DomainError, FieldError
from ytcs.orgunits.models import OrgUnit
from ytcs.people.dedup.registration import DifferentPeople
from ytcs.people.identifiers import DATA_DIR
from ytcs.people.inputs import RESIDENT_FIELDS, Input, ResidentFields, move_destination, section_input
from ytcs.people.models import (
    Allergy,
    Disability,
    HealthProfile,
    Household,
    MedicalHistory,
    Relationship,
    ReproductiveHistory,
    Resident,
    RiskFactors,
    SurgeryHistory,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MEMBER_FIELDS = ("family_name", "middle_name", "given_name", "sex", "birth_date", "relationship_to_head",
                 "ethnicity", "occupation", "cccd", "phone", "bhyt_card_number", "bhyt_valid_to")


def ethnic_groups() -> list[str]:
    return (DATA_DIR / "ethnic_groups.txt").read_text(encoding="utf-8").split()


def villages_of(commune: OrgUnit):  # noqa: ANN201 - a queryset of OrgUnit
    return OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE, valid_to__isnull=True).order_by("name")


class CoerceOnly:
    """A ModelForm mixin: coerce the input, leave model validation to the service."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if "recorded_on" in self.fields:  # the service records today's date when left empty
            self.fields["recorded_on"].required = False

    def _post_clean(self) -> None:
        return None


def add_register_errors(form: forms.BaseForm, errors: Iterable[FieldError], *, prefixes: tuple[str, ...] = (),
                        renamed: dict[str, str] | None = None) -> None:
    """Show the service's errors beside their fields (form-wide when the form has no such field).

    ``prefixes`` are dropped from the field names (a birth's ``child.`` and ``birth_condition.``); ``renamed``
    maps a service's field to the form's (a move's ``to_commune`` is the form's ``to_commune_code``).
    """
    for error in errors:
        name = error.field or ""
        for prefix in prefixes:
            name = name.removeprefix(prefix)
        name = (renamed or {}).get(name, name)
        form.add_error(name if name in form.fields else None, error.message)


class ResidentForm(CoerceOnly, forms.ModelForm):
    relationship_to_head = forms.ChoiceField(label=_("quan hệ với chủ hộ"), required=False,
                                             choices=[("", "—"), *Relationship.choices])

    class Meta:
        model = Resident
        fields = RESIDENT_FIELDS
        widgets = {"birth_date": DATE, "bhyt_valid_from": DATE, "bhyt_valid_to": DATE,
                   "residence_status_from": DATE, "residence_status_to": DATE,
                   "cccd": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                   "phone": forms.TextInput(attrs={"inputmode": "tel"}),
                   "ethnicity": forms.TextInput(attrs={"list": "ethnic-groups"})}
        # The model's help text is for developers (English); the form says the same in the user's words.
        help_texts = {"residence_status_to": _("Ngày đầu tiên không còn tình trạng này; để trống nếu chưa biết.")}

    def __init__(self, *args, commune: OrgUnit, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if "village" in self.fields:
            self.fields["village"].queryset = villages_of(commune)
        if "household" in self.fields:
            self.fields["household"].queryset = Household.objects.filter(commune=commune).order_by("code")
        for name in ("cccd", "social_insurance_number", "bhyt_card_number", "phone"):
            if name in self.fields:
                self.fields[name].max_length = None  # people type spaces and dots; the service normalises
                self.fields[name].widget.attrs.pop("maxlength", None)
                self.fields[name].validators = []

    def resident_fields(self) -> ResidentFields:
        """The typed input of the services: every field of this form, as typed."""
        return ResidentFields(**{name: self.cleaned_data[name] for name in self.Meta.fields
                                 if name in self.cleaned_data})


class MemberForm(ResidentForm):
    """One member row of the household registration page."""

    class Meta(ResidentForm.Meta):
        fields = MEMBER_FIELDS


class HouseholdForm(CoerceOnly, forms.ModelForm):
    class Meta:
        model = Household
        fields = ("code", "village", "address")
        help_texts = {"code": _("Để trống để hệ thống tự cấp mã hộ.")}

    def __init__(self, *args, commune: OrgUnit, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["village"].queryset = villages_of(commune)


class BaseMemberFormSet(forms.BaseFormSet):
    def __init__(self, *args, commune: OrgUnit, **kwargs) -> None:  # noqa: ANN002, ANN003
        self.commune = commune
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict:
        return {"commune": self.commune}

    @property
    def empty_form(self) -> forms.Form:
        return self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, commune=self.commune, renderer=self.renderer)


class DifferentPersonForm(forms.Form):
    """The answer "another person" to the likely duplicates shown for one person (``dedup.registration``).

    Rendered inside the duplicates panel of a member row (same prefix as the row); ``not_duplicate_of``
    names the candidates that were shown, so an answer never covers one the user has not seen.
    """

    not_duplicate = forms.BooleanField(label=_("Đây là người khác — vẫn đăng ký"), required=False)
    not_duplicate_of = forms.CharField(required=False, widget=forms.HiddenInput)
    not_duplicate_reason = forms.CharField(label=_("Vì sao là người khác?"), max_length=300, required=False,
                                           help_text=_("Ví dụ: khác bố mẹ, khác quê quán, đã hỏi trực tiếp."))

    def answer(self) -> DifferentPeople | None:
        """The answer, or None when the box is not ticked (or the ids were tampered with)."""
        if not self.is_valid() or not self.cleaned_data["not_duplicate"]:
            return None
        try:
            shown = frozenset(int(pk) for pk in self.cleaned_data["not_duplicate_of"].split(",") if pk.strip())
        except ValueError:
            return None
        return DifferentPeople(shown, self.cleaned_data["not_duplicate_reason"])


MemberFormSet = forms.formset_factory(MemberForm, formset=BaseMemberFormSet, extra=0, min_num=1,
                                      validate_min=True, max_num=30)


def _section_form(model: type, exclude: tuple[str, ...] = (), widgets: dict | None = None) -> type[forms.ModelForm]:
    meta = type("Meta", (), {"model": model, "exclude": ("resident", *exclude), "widgets": widgets or {}})
    return type(f"{model.__name__}Form", (CoerceOnly, forms.ModelForm), {"Meta": meta})


_NULL_BOOLEAN = forms.Select(choices=[("", "—"), ("true", _("Có")), ("false", _("Không"))])
HealthProfileForm = _section_form(HealthProfile, widgets={"birth_preterm": _NULL_BOOLEAN,
                                                          "birth_asphyxia": _NULL_BOOLEAN})
RiskFactorsForm = _section_form(RiskFactors, widgets={"recorded_on": DATE})
ReproductiveHistoryForm = _section_form(ReproductiveHistory, widgets={"recorded_on": DATE,
                                                                      "last_menstrual_period": DATE})
SECTION_FORMS = {"health_profile": HealthProfileForm, "risk_factors": RiskFactorsForm,
                 "reproductive_history": ReproductiveHistoryForm}
ENTRY_FORMS = {
    "allergies": _section_form(Allergy),
    "disabilities": _section_form(Disability),
    "medical_history": _section_form(MedicalHistory),
    "surgeries": _section_form(SurgeryHistory),
}


class BirthForm(forms.Form):
    family_name = forms.CharField(label=_("họ"), max_length=60)
    middle_name = forms.CharField(label=_("tên đệm"), max_length=60, required=False)
    given_name = forms.CharField(label=_("tên"), max_length=60)
    sex = forms.ChoiceField(label=_("giới tính"), choices=Resident._meta.get_field("sex").choices)
    birth_date = forms.DateField(label=_("ngày sinh"), widget=DATE)
    birth_weight_g = forms.IntegerField(label=_("cân nặng lúc đẻ (gam)"), required=False)
    birth_delivery = forms.ChoiceField(label=_("cách đẻ"), required=False,
                                       choices=[("", "—"), *HealthProfile.Delivery.choices])
    birth_preterm = forms.NullBooleanField(label=_("đẻ thiếu tháng"), required=False, widget=_NULL_BOOLEAN)

    CHILD = ("family_name", "middle_name", "given_name", "sex", "birth_date")

    def child(self) -> ResidentFields:
        return ResidentFields(**{k: self.cleaned_data[k] for k in self.CHILD})

    def birth_condition(self) -> Input:
        """The condition at birth that was filled in, as the health profile's input."""
        filled = {k: v for k, v in self.cleaned_data.items() if k not in self.CHILD and v not in (None, "")}
        return section_input(HealthProfile)(**filled)


class DeathForm(forms.Form):
    died_on = forms.DateField(label=_("ngày mất"), widget=DATE)
    cause_icd10 = forms.CharField(label=_("nguyên nhân tử vong (mã ICD-10)"),
                                  help_text=_("Ví dụ I21.9; dùng R99 nếu không rõ nguyên nhân."))
    note = forms.CharField(label=_("ghi chú"), required=False)


class MoveForm(forms.Form):
    moved_on = forms.DateField(label=_("ngày chuyển"), widget=DATE)
    to_commune_code = forms.CharField(label=_("mã xã/phường nơi chuyển đến"), max_length=20,
                                      help_text=_("Mã đơn vị hành chính 5 chữ số; "
                                                  "là mã xã hiện tại nếu chuyển trong xã."))
    to_village_code = forms.CharField(label=_("mã thôn/bản nơi chuyển đến"), max_length=20, required=False)

    def clean(self) -> dict:
        """The destination's units from their codes (``to_commune``, ``to_village``), as the API finds them."""
        data = super().clean()
        if data.get("to_commune_code"):
            try:
                data["to_commune"], data["to_village"] = move_destination(data["to_commune_code"],
                                                                          data.get("to_village_code", ""))
            except DomainError as exc:
                add_register_errors(self, exc.errors)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("tệp danh sách (CSV hoặc XLSX)"))
