"""Import a commune's resident list (CSV or XLSX, as stations keep them in Excel today).

Two passes. The first reads every row and checks it, collecting every problem as (row, column, reason)
before anything is written; if any row is bad nothing is written at all. The second writes everything
in one transaction with bulk operations (100,000 rows in well under a minute, see docs/benchmarks.md).

Re-running the same file creates no duplicates. A row is the same person as a resident already on the
register when, in this order, the CCCD matches, else the social-insurance (BHXH) number matches, else
the folded full name + birth date + village match (the *matching key*, docs/records.md). A matched person
gets the non-empty values of the row (identity, contact, insurance fields); household and village
changes of people already on the register go through the move form, not through a re-import.

The identifier rules are the functions of :mod:`ytcs.people.identifiers`, the same as the form and API. A
file that cannot be read at all raises ``DomainError`` on the ``file`` field; a file that can be read gets a
report whose errors are the core ``FieldError`` of each bad cell, with its row.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit
from ytcs.people.bulk import allocate_ids, fast_insert
from ytcs.people.capture import require_capture_of
from ytcs.people.completeness import bulk_record_sections, record_completeness
from ytcs.people.import_rows import (
    ALIASES,
    COLUMNS,
    RowChecker,
    RowError,
    header_key,
    read_rows,
    row_error,
    unreadable,
)
from ytcs.people.models import Household, LifeEvent, ResidenceHistory, ResidenceStatus, Resident

# The columns are the import's own names too (the pages and their tests name them from here).
__all__ = ["ALIASES", "COLUMNS", "ImportReport", "RowError", "import_residents"]

BATCH = 2000
LOOKUP_CHUNK = 900  # below SQLite's bound-parameter limit

UPDATABLE = ("family_name", "middle_name", "given_name", "sex", "birth_date", "ethnicity", "occupation", "cccd",
             "phone", "bhyt_card_number", "social_insurance_number", "bhyt_group_code", "bhyt_benefit_level",
             "bhyt_valid_from", "bhyt_valid_to", "bhyt_primary_care_facility_code", "relationship_to_head",
             "residence_status", "residence_status_from", "residence_status_to")


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    households_created: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


# --- matching and writing ---


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _existing_by(field_name: str, values: list[str]) -> dict[str, tuple[int, int]]:
    """value → (resident id, commune id) for residents anywhere holding one of ``values``."""
    found = {}
    for chunk in _chunks(values):
        for pk, value, commune_id in Resident.objects.filter(**{f"{field_name}__in": chunk}).values_list(
                "pk", field_name, "commune_id"):
            found[value] = (pk, commune_id)
    return found


def _match(rows: list[dict], commune: OrgUnit, errors: list[RowError]) -> dict[int, int]:
    """Row number → existing resident id, by CCCD, else BHXH number, else name + birth date + village."""
    matches: dict[int, int] = {}
    seen: dict[tuple[str, str], int] = {}
    for key, column in (("cccd", "cccd"), ("social_insurance_number", "ma_so_bhxh")):
        for row in rows:
            value = row[key]
            if value and (key, value) in seen:
                errors.append(row_error(row["_row"], column, "repeated", _("Trùng với dòng %(other)s của cùng tệp.")
                                        % {"other": seen[(key, value)]}))
            elif value:
                seen[(key, value)] = row["_row"]
        existing = _existing_by(key, [r[key] for r in rows if r[key]])
        for row in rows:
            hit = existing.get(row[key]) if row[key] else None
            if hit is None:
                continue
            if hit[1] != commune.pk:
                errors.append(row_error(row["_row"], column, "registered_elsewhere", _(
                    "Đã được đăng ký cho một người ở xã/phường khác; hãy liên hệ trạm y tế nơi người đó cư trú.")))
            elif matches.setdefault(row["_row"], hit[0]) != hit[0]:
                errors.append(row_error(row["_row"], column, "identifiers_disagree", _(
                    "CCCD và mã số BHXH của dòng này thuộc về hai người khác nhau trong sổ.")))
    unmatched = [r for r in rows if r["_row"] not in matches and not r["cccd"] and not r["social_insurance_number"]]
    if unmatched:
        by_name = {}
        for pk, name, born, village in Resident.objects.filter(commune=commune).values_list(
                "pk", "name_folded", "birth_date", "village_id"):
            by_name.setdefault((name, born, village), pk)
        for row in unmatched:
            key = (row["name_folded"], row["birth_date"], row["village"].pk if row["village"] else None)
            if key in by_name:
                matches[row["_row"]] = by_name[key]
    return matches


def _households(rows: list[dict], commune: OrgUnit, errors: list[RowError]) -> dict[str, Household | None]:
    codes = sorted({r["household_code"] for r in rows if r["household_code"]})
    found: dict[str, Household | None] = {}
    for chunk in _chunks(codes):
        for household in Household.objects.filter(code__in=chunk):
            found[household.code] = household
    for row in rows:
        household = found.get(row["household_code"])
        if household is not None and household.commune_id != commune.pk:
            errors.append(row_error(row["_row"], "ma_ho", "household_code_elsewhere", _(
                "Mã hộ “%(code)s” đã được dùng ở xã/phường khác.") % {"code": row["household_code"]}))
        if row["household_code"] and household is None and row["village"] is None:
            errors.append(row_error(row["_row"], "thon", "village_required", _(
                "Hộ mới “%(code)s” cần cột thon (thôn/bản của hộ).") % {"code": row["household_code"]}))
    return found


def import_residents(*, context: AuditContext, commune: OrgUnit, name: str, content: bytes,
                     dry_run: bool = True) -> ImportReport:
    """Check every row of the file, then (unless ``dry_run`` or any row is bad) write all of it at once.

    A context without an actor is the ``ytcs import`` command run by an operator on the server (audited as
    its job); with one, the actor must capture data in ``commune`` (404/403 otherwise).
    """
    if context.actor is not None:
        require_capture_of(context.actor, commune)
    header, raw_rows = read_rows(name, content)
    report = ImportReport(dry_run=dry_run)
    by_key = {c.key: c.attribute for c in COLUMNS}
    keys = [header_key(h) for h in header]
    columns = [by_key.get(k) for k in keys]
    report.ignored_columns = [h for h, c in zip(header, columns, strict=True) if c is None and h]
    present = set(filter(None, columns))
    missing = [c.key for c in COLUMNS if c.required and c.attribute not in present]
    if "full_name" not in present and not {"family_name", "given_name"} <= present:
        missing.append("ho_ten")
    if missing:
        raise unreadable("columns_missing", _("Thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu.")
                          % {"columns": ", ".join(missing)})
    checker = RowChecker(commune, columns)
    rows = []
    for number, raw in enumerate(raw_rows, start=2):
        report.rows += 1 if any(v not in (None, "") for v in raw) else 0
        row = checker.check(number, raw)
        if row is not None:
            rows.append(row)
    errors = checker.errors
    matches = _match(rows, commune, errors)
    households = _households(rows, commune, errors)
    report.errors = sorted(errors, key=lambda e: (e.row, e.column))
    if report.errors:
        return report
    with transaction.atomic():
        _write(report, rows, matches, households, commune, context, dry_run, name)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _write(report: ImportReport, rows: list[dict], matches: dict[int, int], households: dict[str, Household | None],
           commune: OrgUnit, context: AuditContext, dry_run: bool, name: str) -> None:
    today = timezone.localdate()
    new_codes = list(dict.fromkeys(r["household_code"] for r in rows
                                   if r["household_code"] and households.get(r["household_code"]) is None))
    report.households_created = len(new_codes)
    new_rows = [r for r in rows if r["_row"] not in matches]
    report.created = len(new_rows)
    if dry_run:
        existing = _current_values(list(matches.values()))
        report.updated = sum(1 for r in rows if r["_row"] in matches and _changes(existing[matches[r["_row"]]], r))
        report.unchanged = len(matches) - report.updated
        return
    household_ids = {h.code: h.pk for h in households.values() if h is not None}
    household_ids.update(zip(new_codes, allocate_ids(Household, len(new_codes)), strict=True))
    new_households = {code: {"id": household_ids[code], "code": code, "commune_id": commune.pk, "head_id": None}
                      for code in new_codes}
    residents = []
    for row, pk in zip(new_rows, allocate_ids(Resident, len(new_rows)), strict=True):
        code = row["household_code"]
        household = new_households.get(code)
        if household is not None and "village_id" not in household:
            household.update(village_id=row["village"].pk, address=row["address"])
        village_id = (row["village"].pk if row["village"] else
                      (households[code].village_id if households.get(code) else
                       household["village_id"] if household else None))
        data = {"id": pk, "commune_id": commune.pk, "household_id": household_ids.get(code), "village_id": village_id,
                "full_name": row["full_name"], "name_folded": row["name_folded"],
                "birth_year": row["birth_date"].year, **{k: row[k] for k in UPDATABLE}}
        data["residence_status"] = data["residence_status"] or ResidenceStatus.PERMANENT
        view = SimpleNamespace(**data, pk=None, date_of_death=None, emergency_contact_phone="")
        data["completeness_pct"] = record_completeness(view, today=today, record_sections=set()).pct
        if household is not None and data["relationship_to_head"] == "head" and household["head_id"] is None:
            household["head_id"] = pk
        residents.append(data)
    fast_insert(Household, list(new_households.values()), with_ids=True)
    fast_insert(Resident, residents, with_ids=True)
    heads = {}
    for r in residents:
        if r["household_id"] and r["relationship_to_head"] == "head":
            heads.setdefault(r["household_id"], r["id"])
    for household in households.values():  # households already on the register that had no head
        if household is not None and household.head_id is None and household.pk in heads:
            Household.objects.filter(pk=household.pk).update(head_id=heads[household.pk])
    updated = _update_matched(rows, matches, today)
    report.updated, report.unchanged = len(updated), len(matches) - len(updated)
    fast_insert(ResidenceHistory, [{"resident_id": r["id"], "commune_id": commune.pk, "village_id": r["village_id"],
                                    "household_id": r["household_id"], "valid_from": today, "valid_to": None}
                                   for r in residents])
    fast_insert(LifeEvent, [{"resident_id": r["id"], "kind": LifeEvent.Kind.REGISTERED, "occurred_on": today,
                             "commune_id": commune.pk, "recorded_by_id": getattr(context.actor, "pk", None),
                             "note": name[:255]} for r in residents])
    audit_record(context=context, action=AuditAction.CREATE, resource_type=ResourceType.RESIDENT,
                 subject_ids=[r["id"] for r in residents] + updated,
                 changes={"commune": commune.code, "file": [None, name], "created": [None, report.created],
                          "updated": [None, report.updated], "households_created": [None, report.households_created]})


def _current_values(pks: list[int]) -> dict[int, dict[str, Any]]:
    values = {}
    for chunk in _chunks(pks):
        for row in Resident.objects.filter(pk__in=chunk).values("pk", *UPDATABLE):
            values[row["pk"]] = row
    return values


def _changes(current: dict[str, Any], row: dict) -> dict[str, Any]:
    """The row's non-empty values that differ from the register (a re-import never blanks a field)."""
    return {k: row[k] for k in UPDATABLE if row[k] not in (None, "") and current[k] != row[k]}


def _update_matched(rows: list[dict], matches: dict[int, int], today: datetime.date) -> list[int]:
    if not matches:
        return []
    current = _current_values(list(matches.values()))
    pending = {}
    for row in rows:
        pk = matches.get(row["_row"])
        if pk is not None and (changes := _changes(current[pk], row)):
            pending[pk] = changes
    changed, fields = [], set()
    for chunk in _chunks(list(pending)):
        for pk, resident in Resident.objects.in_bulk(chunk).items():
            changes = pending[pk]
            for key, value in changes.items():
                setattr(resident, key, value)
            if {"family_name", "middle_name", "given_name"} & changes.keys():
                resident.full_name = " ".join(p for p in (resident.family_name, resident.middle_name,
                                                          resident.given_name) if p)
                resident.name_folded = fold(resident.full_name)
                fields |= {"full_name", "name_folded"}
            resident.birth_year = resident.birth_date.year
            fields |= changes.keys() | {"birth_year", "completeness_pct"}
            changed.append(resident)
    sections = bulk_record_sections([r.pk for r in changed])
    for resident in changed:
        resident.completeness_pct = record_completeness(resident, today=today,
                                                        record_sections=sections.get(resident.pk, set())).pct
    if changed:
        Resident.objects.bulk_update(changed, sorted(fields), batch_size=BATCH)
    return [r.pk for r in changed]

