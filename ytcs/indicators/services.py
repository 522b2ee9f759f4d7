"""Writes of the indicator engine: definition versions, population estimates, stored totals.

None of these touches personal data: definitions are reference data, population estimates and indicator
totals are aggregates. Each write is one transaction; nothing is half-written.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.core.errors import DomainError, FieldError
from ytcs.core.periods import Period, periods_between
from ytcs.indicators.definitions import Definition, read_definitions
from ytcs.indicators.engine import check_period, figures_by_unit
from ytcs.indicators.models import IndicatorDefinition, IndicatorValue, PopulationEstimate
from ytcs.indicators.units import UnitRef, resolve_unit
from ytcs.orgunits.models import OrgUnit

COMMUNE_DEPTH = 2  # country / province / commune in a current path


# --- definitions ---------------------------------------------------------------------------------------------


@dataclass
class DefinitionsReport:
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: int = 0


@transaction.atomic
def definitions_load(definitions: Iterable[Definition] | None = None) -> DefinitionsReport:
    """Bring the stored definitions in line with the files: a new code is version 1, a changed one gets the next
    version (the old one stays for the values it made), one no longer in the files is retired. Idempotent."""
    definitions = read_definitions() if definitions is None else list(definitions)
    latest: dict[str, IndicatorDefinition] = {}
    for row in IndicatorDefinition.objects.order_by("code", "version"):
        latest[row.code] = row
    report = DefinitionsReport()
    for definition in definitions:
        row = latest.pop(definition.code, None)
        if row is not None and row.content_hash == definition.content_hash:
            if not row.is_current:
                IndicatorDefinition.objects.filter(pk=row.pk).update(is_current=True)
            report.unchanged += 1
            continue
        if row is not None:
            IndicatorDefinition.objects.filter(pk=row.pk).update(is_current=False)
            report.new_versions.append(definition.code)
        else:
            report.created.append(definition.code)
        IndicatorDefinition.objects.create(
            code=definition.code, version=(row.version + 1) if row else 1, content_hash=definition.content_hash,
            is_current=True, **definition.as_record(),
        )
    for row in latest.values():
        if row.is_current:
            IndicatorDefinition.objects.filter(pk=row.pk).update(is_current=False)
            report.retired.append(row.code)
    return report


# --- population estimates ------------------------------------------------------------------------------------

POPULATION_COLUMNS = ("unit", "year", "population", "source")


@dataclass
class PopulationReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _population_row(number: int, row: dict[str, str]) -> tuple[PopulationEstimate | None, list[FieldError]]:
    errors: list[FieldError] = []
    where = f"rows.{number}"
    unit = None
    try:
        unit = resolve_unit((row.get("unit") or "").strip(), field=f"{where}.unit").unit
    except DomainError as exc:
        errors += exc.errors
    year_text, value_text = (row.get("year") or "").strip(), (row.get("population") or "").strip()
    year = int(year_text) if year_text.isdigit() else None
    if year is None or not 1900 <= year <= 2100:
        errors.append(FieldError(f"{where}.year", "invalid", _("Năm phải là một số từ 1900 đến 2100.")))
    value = int(value_text) if value_text.isdigit() else None
    if value is None or value > 2_000_000_000:
        errors.append(FieldError(f"{where}.population", "invalid", _("Dân số phải là một số nguyên không âm.")))
    source = (row.get("source") or "").strip()
    if not source or len(source) > 300:
        errors.append(FieldError(f"{where}.source", "required", _(
            "Hãy ghi nguồn số liệu (cơ quan thống kê, văn bản, năm công bố), tối đa 300 ký tự.")))
    if errors:
        return None, errors
    return PopulationEstimate(unit=unit, year=year, value=value, source=source), []


def population_estimates_load(lines: Iterable[str]) -> PopulationReport:
    """Load ``unit,year,population,source`` CSV lines (with that header): every row checked before anything is
    written, then one transaction; a unit and year already loaded is updated. ``unit`` is a ``UNIT_CODE``
    (``old:CODE`` for a unit of the map before 1 July 2025)."""
    reader = csv.DictReader(lines)
    if tuple(reader.fieldnames or ()) != POPULATION_COLUMNS:
        raise DomainError.one("file", "invalid_header", _("Dòng tiêu đề phải là: %(columns)s.")
                              % {"columns": ",".join(POPULATION_COLUMNS)})
    estimates, errors, seen = [], [], set()
    for number, row in enumerate(reader, start=2):
        estimate, row_errors = _population_row(number, row)
        errors += row_errors
        if estimate is not None:
            key = (estimate.unit.pk, estimate.year)
            if key in seen:
                errors.append(FieldError(f"rows.{number}.unit", "duplicate", _(
                    "Đơn vị và năm này đã có ở một dòng trước.")))
            seen.add(key)
            estimates.append(estimate)
    if errors:
        raise DomainError(errors)
    report = PopulationReport()
    with transaction.atomic():
        for estimate in estimates:
            current = PopulationEstimate.objects.filter(unit=estimate.unit, year=estimate.year).first()
            if current is None:
                estimate.save()
                report.created += 1
            elif (current.value, current.source) != (estimate.value, estimate.source):
                current.value, current.source = estimate.value, estimate.source
                current.save(update_fields=["value", "source", "loaded_at"])
                report.updated += 1
            else:
                report.unchanged += 1
    return report


# --- stored totals -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RebuildStep:
    """One province and one period: every definition valid for that period, written in one transaction."""

    province: OrgUnit
    period: Period
    definitions: tuple[IndicatorDefinition, ...]


def rebuild_plan(*, provinces: Iterable[OrgUnit], first_day: dt.date, today: dt.date) -> list[RebuildStep]:
    """The (province, period) steps from ``first_day`` to ``today`` for every definition in force."""
    rows = list(IndicatorDefinition.objects.filter(is_current=True).order_by("code"))
    by_period: dict[Period, list[IndicatorDefinition]] = {}
    for row in rows:
        definition = Definition.from_row(row)
        for period_type in definition.period_types:
            for period in periods_between(period_type, first_day, today):
                if not definition.complete_periods_only or period.is_complete(today):
                    by_period.setdefault(period, []).append(row)
    return [RebuildStep(province, period, tuple(by_period[period]))
            for province in provinces for period in sorted(by_period)]


def rebuild_step(step: RebuildStep, *, today: dt.date) -> int:
    """Compute and store the totals of the step's province and of each of its current communes; returns rows."""
    province = step.province
    communes = list(OrgUnit.objects.filter(parent=province, level=OrgUnit.Level.COMMUNE, valid_to__isnull=True)
                    .values_list("pk", flat=True))
    ref = UnitRef(code=province.code, unit=province, old=False)
    now = timezone.now()
    rows = []
    for row in step.definitions:
        definition = Definition.from_row(row)
        check_period(definition, ref, step.period, today)
        breakdown = figures_by_unit(definition, ref, step.period, today, depth=COMMUNE_DEPTH)
        for unit_id, result in [(province.pk, breakdown.total), *((pk, breakdown.part(pk)) for pk in communes)]:
            value = result.value(definition)
            rows.append(IndicatorValue(
                definition=row, unit_id=unit_id, period=step.period.code, period_type=step.period.type,
                period_start=step.period.start, period_end=step.period.end, numerator=result.numerator,
                denominator=result.denominator, value=None if value is None else float(value), computed_at=now,
            ))
    with transaction.atomic():
        IndicatorValue.objects.filter(definition__in=step.definitions, unit_id__in=[province.pk, *communes],
                                      period=step.period.code).delete()
        IndicatorValue.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
