"""What the register's writes take: typed inputs, built alike by the web forms and by the API.

A form coerces the text a person typed, an API endpoint its JSON (ninja schemas), and both hand the same
typed input to the same service, which checks every rule and raises ``DomainError``: one validation path.
Each input is a frozen pydantic model whose ``model_fields_set`` says what was given, so an update
changes exactly the fields a client sent (``PATCH``) and a form, which sends all of its fields, changes
all of them. Text left empty may be ``None``; the services store it as the model does.

The QĐ 831 sections have one input each, made from the section's model (:func:`section_fields`), so a
field added to a model is accepted by the form, the API and the service at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from django.db import models
from django.utils.translation import gettext as _
from pydantic import BaseModel, BeforeValidator, ConfigDict, create_model

from ytcs.core.errors import DomainError
from ytcs.orgunits.models import OrgUnit
from ytcs.people.models import (
    Allergy,
    Disability,
    HealthProfile,
    Household,
    MedicalHistory,
    ReproductiveHistory,
    ResidenceStatus,
    Resident,
    RiskFactors,
    SurgeryHistory,
)

Text = Annotated[str, BeforeValidator(lambda value: "" if value is None else value)]


class Input(BaseModel):
    """Base of the register's inputs: immutable, no field the service does not know."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    def given(self) -> dict[str, Any]:
        """The fields that were given, by name (the others keep their value on an update)."""
        return {name: getattr(self, name) for name in type(self).model_fields if name in self.model_fields_set}


class ResidentFields(Input):
    """A resident's own fields as a person types them (never the commune: a move is ``residence_move``)."""

    family_name: Text = ""
    middle_name: Text = ""
    given_name: Text = ""
    sex: Text = ""
    birth_date: datetime.date | None = None
    ethnicity: Text = ""
    religion: Text = ""
    occupation: Text = ""
    cccd: str | None = None
    phone: Text = ""
    household: Household | None = None
    village: OrgUnit | None = None
    relationship_to_head: Text = ""
    bhyt_card_number: Text = ""
    social_insurance_number: str | None = None
    bhyt_group_code: Text = ""
    bhyt_benefit_level: int | None = None
    bhyt_valid_from: datetime.date | None = None
    bhyt_valid_to: datetime.date | None = None
    bhyt_primary_care_facility_code: Text = ""
    bhyt_primary_care_facility_name: Text = ""
    emergency_contact_name: Text = ""
    emergency_contact_relationship: Text = ""
    emergency_contact_phone: Text = ""
    residence_status: Text = ResidenceStatus.PERMANENT
    residence_status_from: datetime.date | None = None
    residence_status_to: datetime.date | None = None


RESIDENT_FIELDS: tuple[str, ...] = tuple(ResidentFields.model_fields)


class HouseholdFields(Input):
    """The fields of a household that can change after registration."""

    code: Text = ""
    village: OrgUnit | None = None
    address: Text = ""
    head: Resident | None = None


HOUSEHOLD_FIELDS: tuple[str, ...] = tuple(HouseholdFields.model_fields)


# --- QĐ 831 record sections ---

ONE_TO_ONE_SECTIONS: dict[str, type[models.Model]] = {
    "health_profile": HealthProfile,
    "risk_factors": RiskFactors,
    "reproductive_history": ReproductiveHistory,
}
LIST_SECTIONS: dict[str, type[models.Model]] = {
    "allergies": Allergy,
    "disabilities": Disability,
    "medical_history": MedicalHistory,
    "surgeries": SurgeryHistory,
}
_PYTHON_TYPES = {
    "CharField": str, "TextField": str, "BooleanField": bool, "DateField": datetime.date,
    "DecimalField": Decimal, "PositiveSmallIntegerField": int, "PositiveIntegerField": int,
    "SmallIntegerField": int, "IntegerField": int,
}


def section_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of a section a person fills in (not its id, resident or timestamps)."""
    return tuple(f.name for f in model._meta.concrete_fields
                 if f.editable and f.name not in ("id", "resident") and not getattr(f, "auto_now", False)
                 and not getattr(f, "auto_now_add", False))


@cache
def section_input(model: type[models.Model]) -> type[Input]:
    """The input of one section: each field of the model, optional, with the model's default."""
    fields: dict[str, Any] = {}
    for name in section_fields(model):
        field = model._meta.get_field(name)
        default = field.default if field.has_default() and not callable(field.default) else None
        fields[name] = (_PYTHON_TYPES[field.get_internal_type()] | None, default)
    return create_model(f"{model.__name__}Fields", __base__=Input, **fields)


def section_values(section: str, values: Mapping[str, Any]) -> Input:
    """The input of the section named ``section`` (``KeyError`` for no such section) from ``values``.

    ``values`` is a form's cleaned data or a JSON body; a value of the wrong type or a field the section does
    not have raises pydantic's ``ValidationError``, which the API answers as its schema errors (422).
    """
    model = {**ONE_TO_ONE_SECTIONS, **LIST_SECTIONS}[section]
    return section_input(model).model_validate(dict(values))


# --- a move's destination, by official codes ---


def move_destination(commune_code: str, village_code: str = "") -> tuple[OrgUnit, OrgUnit | None]:
    """The current commune and (optional) village a move goes to, from their official codes.

    Errors name the code fields, as the move form and the API receive them.
    """
    commune = OrgUnit.objects.filter(code=(commune_code or "").strip(), level=OrgUnit.Level.COMMUNE,
                                     valid_to__isnull=True).first()
    if commune is None:
        raise DomainError.one("to_commune_code", "commune_unknown",
                              _("Không có xã/phường đang tồn tại với mã này."))
    village = None
    if (village_code or "").strip():
        village = OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE, valid_to__isnull=True,
                                         code=village_code.strip()).first()
        if village is None:
            raise DomainError.one("to_village_code", "village_unknown",
                                  _("Xã/phường này không có thôn/bản với mã này."))
    return commune, village
