"""The notifiable-disease list: loading ``data/diseases.csv`` and asking which diseases are listed on a day.

The CSV has one row per (disease, group period): COVID-19 has two rows, group A
from 01/02/2020 and group B from 20/10/2023. Loading is idempotent: it updates
rows in place and replaces a disease's group history with the file's.
"""

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from ytcs.surveillance.models import Disease, DiseaseGroup, DiseaseGroupAssignment, ReportingMode

DISEASES_CSV = Path(__file__).resolve().parent / "data" / "diseases.csv"
_DISEASE_FIELDS = (
    "name_vi", "name_en", "icd10", "report_deadline_hours", "deadline_verified", "reporting_mode",
    "detection_method", "detection_params", "source", "notes",
)


class DiseaseFileError(ValueError):
    """A row of the disease file is invalid; the message names the line and the field."""


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    group_periods: int


def _parse_row(line: int, row: dict[str, str]) -> tuple[dict, dict]:
    def fail(field: str, reason: str) -> DiseaseFileError:
        return DiseaseFileError(f"line {line}, {field}: {reason}")

    if row["group"] not in DiseaseGroup.values:
        raise fail("group", f"{row['group']!r} is not A, B or C")
    if row["reporting_mode"] not in ReportingMode.values:
        raise fail("reporting_mode", f"{row['reporting_mode']!r} is not one of {', '.join(ReportingMode.values)}")
    try:
        valid_from = dt.date.fromisoformat(row["group_valid_from"])
        valid_to = dt.date.fromisoformat(row["group_valid_to"]) if row["group_valid_to"] else None
    except ValueError as exc:
        raise fail("group_valid_from/group_valid_to", str(exc)) from exc
    deadline = row["report_deadline_hours"]
    if deadline not in ("", "24", "48"):
        raise fail("report_deadline_hours", f"{deadline!r} is not 24, 48 or empty")
    try:
        params = json.loads(row["detection_params"]) if row["detection_params"] else {}
    except json.JSONDecodeError as exc:
        raise fail("detection_params", f"not JSON: {exc}") from exc
    fields = {
        "name_vi": row["name_vi"], "name_en": row["name_en"], "icd10": row["icd10"],
        "report_deadline_hours": int(deadline) if deadline else None,
        "deadline_verified": row["deadline_verified"] == "yes",
        "reporting_mode": row["reporting_mode"], "detection_method": row["detection_method"],
        "detection_params": params, "source": row["source"], "notes": row["notes"],
    }
    period = {"group": row["group"], "valid_from": valid_from, "valid_to": valid_to, "source": row["source"]}
    return fields, period


def read_disease_file(path: Path = DISEASES_CSV) -> dict[str, tuple[dict, list[dict]]]:
    """Parse the file into ``code -> (disease fields, group periods)``; the first row of a code gives its fields."""
    diseases: dict[str, tuple[dict, list[dict]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            fields, period = _parse_row(line, row)
            if row["code"] not in diseases:
                diseases[row["code"]] = (fields, [])
            diseases[row["code"]][1].append(period)
    return diseases


@transaction.atomic
def load_diseases(path: Path = DISEASES_CSV) -> LoadResult:
    """Create or update every disease of the file and replace its group history (idempotent)."""
    created = updated = periods = 0
    for order, (code, (fields, group_periods)) in enumerate(read_disease_file(path).items()):
        disease, was_created = Disease.objects.update_or_create(code=code, defaults={**fields, "sort_order": order})
        created += was_created
        updated += not was_created
        keep = []
        for period in group_periods:
            assignment, _ = DiseaseGroupAssignment.objects.update_or_create(
                disease=disease, valid_from=period["valid_from"],
                defaults={k: v for k, v in period.items() if k != "valid_from"},
            )
            keep.append(assignment.pk)
            periods += 1
        DiseaseGroupAssignment.objects.filter(disease=disease).exclude(pk__in=keep).delete()
    return LoadResult(created=created, updated=updated, group_periods=periods)


def ensure_diseases_loaded() -> None:
    """Load the list when the table is empty (first use after ``migrate``)."""
    if not Disease.objects.exists():
        load_diseases()


def group_on(disease: Disease, day: dt.date) -> str | None:
    """The disease's group on ``day``, or ``None`` when it was not on the notifiable list that day."""
    for assignment in disease.group_history.all():
        if assignment.covers(day):
            return assignment.group
    return None
