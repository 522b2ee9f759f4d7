"""The typed inputs of the clinical writes: one model each, for the JSON API and the web forms alike.

The API declares these schemas as its request bodies (ninja validates them before the endpoint runs) and the
pages build the same models from their posted fields (:func:`from_form`), so both reach the services with the
same types and the same type errors. Only types are checked here (is it a number, a date, a list); what the
values mean (a pulse of 400, an unknown ICD-10 code, a visit before birth) is checked by ``validation.py``,
which the services call. A wrong type ("12a" for a pulse) is a schema error, an implausible value a
``DomainError``; both reach the client in the one 422 body, named by the field as sent (``pulse``,
``diagnoses.0.code``, ``prescriptions.1.quantity``).

Lenient where people type: a blank value is an absent one, and a decimal comma ("36,5", as Vietnamese is
written) reads as a point.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, TypeVar

from ninja import Field, Schema
from ninja.errors import ValidationError as SchemaValidationError
from pydantic import BeforeValidator, ConfigDict, ModelWrapValidatorHandler, model_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from ytcs.clinical.vitals import VITALS
from ytcs.core.api import schema_errors
from ytcs.core.datetimes import LocalDateTime
from ytcs.core.errors import DomainError

S = TypeVar("S", bound=Schema)


def _measurement(kind: str) -> BeforeValidator:
    """A number as typed: ``36,5`` is 36.5; a true/false, an infinity or NaN is not a number."""

    def read(value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(",", "."))  # "80" and "80.0" are whole numbers, "80.5" is not
            except ValueError:
                return value  # refused by the type check, as a non-number
        if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
            raise PydanticCustomError(f"{kind}_type", "Input should be a finite number")
        return value

    return BeforeValidator(read)


def _unit_or_tablet(value: Any) -> Any:
    return "viên" if value is None else value


Whole = Annotated[int | None, _measurement("int")]
Decimal = Annotated[float | None, _measurement("float")]


class _Input(Schema):
    """Text is stripped, and a blank value is an absent one: a required field sent blank is ``required``, an
    optional one takes its default, whether it came from a JSON body or a form."""

    model_config = ConfigDict(str_strip_whitespace=True)

    @model_validator(mode="wrap")
    @classmethod
    def _blank_is_absent(cls, values: Any, handler: ModelWrapValidatorHandler) -> Any:
        # "wrap", not "before": it must see the body itself, before ninja's own validator wraps it for reading
        if isinstance(values, Mapping):
            values = {k: v for k, v in values.items() if not (isinstance(v, str) and not v.strip())}
        return handler(values)


class DiagnosisIn(_Input):
    code: str = Field(..., description="ICD-10 (WHO 2019) code, e.g. I10 or E11.9")
    is_primary: bool = False
    note: str = ""


class PrescriptionIn(_Input):
    drug_name: str
    strength: str = ""
    dose_instructions: str = ""
    quantity: Annotated[int, _measurement("int")] = Field(..., description="1–10000")
    unit: Annotated[str, BeforeValidator(_unit_or_tablet)] = "viên"
    days: Whole = Field(None, description="1–365")


class EncounterIn(_Input):
    """A visit as recorded or corrected (a correction replaces every field, diagnosis and line)."""

    occurred_at: LocalDateTime
    payer: str = Field(..., description="bhyt | self_pay | other")
    outcome: str = Field("treated", description="treated | referred | observation | died")
    reason: str = ""
    practitioner_name: str = ""
    facility_name: str = ""
    advice: str = ""
    follow_up_on: date | None = None
    systolic: Whole = Field(None, description="mmHg, 60–300")
    diastolic: Whole = Field(None, description="mmHg, 30–200, below systolic")
    pulse: Whole = Field(None, description="beats/min, 20–250")
    temperature: Decimal = Field(None, description="°C, 30–45")
    respiratory_rate: Whole = Field(None, description="breaths/min, 5–80")
    spo2: Whole = Field(None, description="%, 50–100")
    weight_kg: Decimal = Field(None, description="kg, 0.5–300")
    height_cm: Decimal = Field(None, description="cm, 30–250")
    waist_cm: Decimal = Field(None, description="cm, 30–250")
    glucose_mmol: Decimal = Field(None, description="capillary glucose, mmol/L, 1.0–40")
    glucose_fasting: bool | None = None
    diagnoses: list[DiagnosisIn]
    prescriptions: list[PrescriptionIn] = []

    @property
    def vitals(self) -> dict[str, float | None]:
        """The measured values by field name (``vitals.VITALS``), for the bounds and the alerts."""
        return {spec.field: getattr(self, spec.field) for spec in VITALS}


class VoidIn(_Input):
    reason: str


class ConditionIn(_Input):
    icd10_code: str
    onset_date: date | None = None
    note: str = ""


def from_form(schema: type[S], raw: Mapping[str, Any]) -> S:
    """``schema`` from a posted form's values (already gathered into the API's shape), or a ``DomainError``
    holding the same type errors the API would answer."""
    try:
        return schema.model_validate(raw)
    except PydanticValidationError as exc:
        raise DomainError(schema_errors(SchemaValidationError(exc.errors()))) from None
