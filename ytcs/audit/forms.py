"""The filter form of the audit browser. Every field is free of personal identifiers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ytcs.audit.display import data_type_choices, data_type_groups
from ytcs.audit.models import AuditAction
from ytcs.audit.selectors import AuditFilter


def _data_types() -> list[tuple[str, str]]:
    """Labels in the language of the request that builds the form, hence a callable."""
    return [("", _("Tất cả")), *data_type_choices()]


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("Người dùng"), max_length=150, required=False)
    resident = forms.IntegerField(label=_("Mã người dân (số hồ sơ)"), min_value=1, required=False)
    action = forms.ChoiceField(label=_("Hành động"), choices=[("", _("Tất cả")), *AuditAction.choices], required=False)
    resource_type = forms.ChoiceField(label=_("Loại dữ liệu"), choices=_data_types, required=False)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def to_filter(self) -> AuditFilter:
        """The filter the form describes; an unbound or invalid form filters nothing."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return AuditFilter(
            actor_username=data.get("username") or "",
            resident_id=data.get("resident"),
            action=data.get("action") or "",
            resource_types=tuple(data_type_groups().get(data.get("resource_type") or "", ())),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
