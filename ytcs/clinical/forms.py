"""The visit form's posted fields ↔ the API's body shape (``inputs.EncounterIn``), and back for re-display.

The form posts repeated rows as parallel lists (``dx-code``, ``dx-note``; ``rx-drug_name``, ...) so
rows can be added with htmx and removed without renumbering; :func:`raw_from_post` gathers them into the
API's ``diagnoses`` and ``prescriptions`` lists, so the form and the API build the same typed input and
get the same errors, keyed the API way (``diagnoses.1.code``) and placed beside the matching row.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from ytcs.clinical.icd10 import icd10_title
from ytcs.clinical.models import Encounter
from ytcs.clinical.vitals import VITALS
from ytcs.core.errors import FieldError

SCALAR_FIELDS = (
    "occurred_at",
    "payer",
    "outcome",
    "reason",
    "practitioner_name",
    "facility_name",
    "advice",
    "follow_up_on",
    "glucose_fasting",
    *(spec.field for spec in VITALS),
)
RX_FIELDS = ("drug_name", "strength", "dose_instructions", "quantity", "unit", "days")


def raw_from_post(post: QueryDict) -> dict[str, Any]:
    raw: dict[str, Any] = {name: post.get(name, "") for name in SCALAR_FIELDS}
    primary = post.get("dx-primary", "")
    codes, notes = post.getlist("dx-code"), post.getlist("dx-note")
    raw["diagnoses"] = [
        {"code": code, "note": notes[i] if i < len(notes) else "", "is_primary": code == primary and bool(code)}
        for i, code in enumerate(codes)
    ]
    columns = {name: post.getlist(f"rx-{name}") for name in RX_FIELDS}
    rows = max((len(values) for values in columns.values()), default=0)
    raw["prescriptions"] = []
    for i in range(rows):
        row = {name: (values[i] if i < len(values) else "") for name, values in columns.items()}
        if any(str(row[name]).strip() for name in ("drug_name", "strength", "dose_instructions", "quantity", "days")):
            raw["prescriptions"].append(row)
    return raw


def raw_from_encounter(encounter: Encounter) -> dict[str, Any]:
    """The form's values for editing an existing visit."""
    raw: dict[str, Any] = {name: getattr(encounter, name) for name in SCALAR_FIELDS}
    raw["occurred_at"] = timezone.localtime(encounter.occurred_at).strftime("%Y-%m-%dT%H:%M")
    raw["follow_up_on"] = encounter.follow_up_on.isoformat() if encounter.follow_up_on else ""
    raw["diagnoses"] = [
        {"code": d.icd10_code, "note": d.note, "is_primary": d.is_primary} for d in encounter.diagnoses.all()
    ]
    raw["prescriptions"] = [{name: getattr(p, name) for name in RX_FIELDS} for p in encounter.prescription_lines.all()]
    return raw


@dataclass
class FormState:
    """What the template needs: values, per-field errors, and rows with their own errors."""

    values: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)
    diagnosis_rows: list[dict] = field(default_factory=list)
    prescription_rows: list[dict] = field(default_factory=list)
    other_errors: list[str] = field(default_factory=list)


def form_state(raw: dict[str, Any], errors: Iterable[FieldError] = ()) -> FormState:
    state = FormState(
        values={k: ("" if v is None else v) for k, v in raw.items() if k not in ("diagnoses", "prescriptions")}
    )
    row_errors: dict[tuple[str, int], dict[str, list[str]]] = {}
    for error in errors:
        if error.field is None:
            state.other_errors.append(error.message)
            continue
        parts = error.field.split(".")
        if parts[0] in ("diagnoses", "prescriptions") and len(parts) >= 2 and parts[1].isdigit():
            row_errors.setdefault((parts[0], int(parts[1])), {}).setdefault(
                parts[2] if len(parts) > 2 else "row", []
            ).append(error.message)
        elif error.field in state.values or error.field in ("diagnoses",):
            state.errors.setdefault(error.field, []).append(error.message)
        else:
            state.other_errors.append(error.message)
    for i, row in enumerate(raw.get("diagnoses", [])):
        state.diagnosis_rows.append(
            {
                **row,
                "title": icd10_title(row["code"]) if row["code"] else "",
                "errors": row_errors.get(("diagnoses", i), {}),
            }
        )
    for i, row in enumerate(raw.get("prescriptions", [])):
        state.prescription_rows.append(
            {
                **{k: ("" if v is None else v) for k, v in row.items()},
                "errors": row_errors.get(("prescriptions", i), {}),
            }
        )
    return state
