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

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import ERROR, DomainError, FieldError
from ytcs.core.text import fold, nfc
from ytcs.orgunits.models import OrgUnit
from ytcs.people import identifiers as ids
from ytcs.people.bulk import allocate_ids, fast_insert
from ytcs.people.capture import require_capture_of
from ytcs.people.completeness import bulk_record_sections, record_completeness
from ytcs.people.models import Household, LifeEvent, Relationship, ResidenceHistory, Resident

BATCH = 2000
LOOKUP_CHUNK = 900  # below SQLite's bound-parameter limit


@dataclass(frozen=True)
class Column:
    """One column of the file; ``example`` is its value in the template (import_template adds the commune's)."""

    key: str
    attribute: str
    label: Any
    required: bool = False
    example: str = ""


COLUMNS = (
    Column("ma_ho", "household_code", gettext_lazy("Mã hộ (giống nhau cho mọi người cùng hộ)")),
    Column("thon", "village", gettext_lazy("Thôn/bản: mã hoặc tên")),
    Column("dia_chi", "address", gettext_lazy("Địa chỉ của hộ"), example="Xóm Trên"),
    Column("ho_ten", "full_name", gettext_lazy("Họ và tên (hoặc dùng ba cột ho, ten_dem, ten)"),
           example="Nông Văn Dền"),
    Column("ho", "family_name", gettext_lazy("Họ")),
    Column("ten_dem", "middle_name", gettext_lazy("Tên đệm")),
    Column("ten", "given_name", gettext_lazy("Tên")),
    Column("gioi_tinh", "sex", gettext_lazy("Giới tính: Nam/Nữ"), required=True, example="Nam"),
    Column("ngay_sinh", "birth_date", gettext_lazy("Ngày sinh: dd/mm/yyyy"), required=True, example="02/03/1980"),
    Column("quan_he_chu_ho", "relationship_to_head", gettext_lazy("Quan hệ với chủ hộ: chủ hộ, vợ, chồng, con…"),
           example="Chủ hộ"),
    Column("dan_toc", "ethnicity", gettext_lazy("Dân tộc"), example="Tày"),
    Column("nghe_nghiep", "occupation", gettext_lazy("Nghề nghiệp"), example="Làm ruộng"),
    Column("cccd", "cccd", gettext_lazy("Số CCCD (12 chữ số)")),
    Column("dien_thoai", "phone", gettext_lazy("Số điện thoại"), example="0912345678"),
    Column("ma_the_bhyt", "bhyt_card_number", gettext_lazy("Mã thẻ BHYT (15 ký tự hoặc 10 chữ số)")),
    Column("ma_so_bhxh", "social_insurance_number", gettext_lazy("Mã số BHXH (10 chữ số)")),
    Column("bhyt_tu_ngay", "bhyt_valid_from", gettext_lazy("Thẻ BHYT có giá trị từ: dd/mm/yyyy")),
    Column("bhyt_den_ngay", "bhyt_valid_to", gettext_lazy("Thẻ BHYT có giá trị đến: dd/mm/yyyy"),
           example="31/12/2026"),
    Column("noi_dk_kcb", "bhyt_primary_care_facility_code", gettext_lazy("Mã nơi đăng ký KCB ban đầu (5 ký tự)")),
)
ALIASES = {"ho_va_ten": "ho_ten", "so_cccd": "cccd", "can_cuoc": "cccd", "so_dien_thoai": "dien_thoai",
           "sdt": "dien_thoai", "ma_bhxh": "ma_so_bhxh", "so_the_bhyt": "ma_the_bhyt", "the_bhyt": "ma_the_bhyt",
           "quan_he": "quan_he_chu_ho", "quan_he_voi_chu_ho": "quan_he_chu_ho",
           "ngay_thang_nam_sinh": "ngay_sinh", "thon_ban": "thon", "thon_to": "thon", "nam_nu": "gioi_tinh"}
UPDATABLE = ("family_name", "middle_name", "given_name", "sex", "birth_date", "ethnicity", "occupation", "cccd",
             "phone", "bhyt_card_number", "social_insurance_number", "bhyt_group_code", "bhyt_benefit_level",
             "bhyt_valid_from", "bhyt_valid_to", "bhyt_primary_care_facility_code", "relationship_to_head")
_SEX = {"nam": "M", "m": "M", "male": "M", "nu": "F", "f": "F", "female": "F"}
_RELATIONSHIP = {
    "chu ho": "head", "vo": "spouse", "chong": "spouse", "vo/chong": "spouse", "con": "child", "con trai": "child",
    "con gai": "child", "bo": "parent", "me": "parent", "cha": "parent", "bo/me": "parent", "chau": "grandchild",
    "ong": "grandparent", "ba": "grandparent", "ong/ba": "grandparent", "anh": "sibling", "chi": "sibling",
    "em": "sibling", "anh/chi/em": "sibling", "con dau": "child_in_law", "con re": "child_in_law",
    "con dau/con re": "child_in_law", "khac": "other", **{v: v for v in Relationship.values},
}
_NON_WORD = re.compile(r"[^a-z0-9]+")
_MAX_LENGTH = {"family_name": 60, "middle_name": 60, "given_name": 60, "ethnicity": 40, "occupation": 100,
               "address": 255, "household_code": 32, "bhyt_primary_care_facility_code": 5}


@dataclass(frozen=True)
class RowError:
    """One bad cell: the spreadsheet's row number (the header is row 1) and the error, named by its column."""

    row: int
    error: FieldError

    @property
    def column(self) -> str:
        return self.error.field or ""

    @property
    def message(self) -> str:
        return self.error.message


def row_error(row: int, column: str, code: str, message: str) -> RowError:
    return RowError(row, FieldError(column, code, message))


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


def _unreadable(code: str, message: str) -> DomainError:
    """The file cannot be read at all (format, encoding, missing columns): an error of the ``file`` input."""
    return DomainError.one("file", code, message)


# --- reading ---


def header_key(text: Any) -> str:
    key = _NON_WORD.sub("_", fold(str(text or ""))).strip("_")
    return ALIASES.get(key, key)


def read_rows(name: str, content: bytes) -> tuple[list[str], Iterator[tuple]]:
    """Header and data rows of a CSV (UTF-8, comma/semicolon/tab) or XLSX (first sheet) file."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except zipfile.BadZipFile as exc:  # an .xlsx is a zip archive: this is an .xls, a CSV or a PDF renamed
            raise _unreadable("not_xlsx", _(
                "Tệp “%(name)s” không phải là tệp Excel .xlsx (có thể là tệp .xls cũ, hoặc tệp khác được đổi đuôi "
                "thành .xlsx). Hãy mở tệp bằng Excel rồi lưu lại dưới dạng “Sổ làm việc Excel (.xlsx)” hoặc "
                "“CSV UTF-8”.") % {"name": Path(name).name}) from exc
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook; its English stays out
            raise _unreadable("damaged", _(
                "Tệp Excel “%(name)s” bị hỏng hoặc không có trang tính nào đọc được. Hãy mở tệp bằng Excel rồi lưu "
                "lại, hoặc lưu dưới dạng “CSV UTF-8”.") % {"name": Path(name).name}) from exc
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise _unreadable("no_header", _("Tệp không có dòng tiêu đề."))
        return [str(h or "") for h in header], rows
    if suffix != ".csv":
        raise _unreadable("file_type", _("Chỉ nhận tệp .csv hoặc .xlsx."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _unreadable("encoding", _("Tệp CSV phải được lưu với mã hóa UTF-8 (trong Excel: “CSV UTF-8”).")) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise _unreadable("no_header", _("Tệp không có dòng tiêu đề."))
    return header, (tuple(r) for r in reader)


def parse_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- checking ---


class _Checker:
    """Turns raw rows into unsaved ``Resident`` objects, collecting every error."""

    def __init__(self, commune: OrgUnit, columns: list[str | None]) -> None:
        self.commune = commune
        self.columns = columns
        self.labels = {c.attribute: c.key for c in COLUMNS}
        villages = OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE, valid_to__isnull=True)
        self.villages: dict[str, OrgUnit] = {}
        for village in villages:
            self.villages[fold(village.code)] = village
            self.villages[fold(village.name)] = village
        self.today = timezone.localdate()
        self.errors: list[RowError] = []

    def error(self, row: int, attribute: str, code: str, message: str) -> None:
        self.errors.append(row_error(row, self.labels.get(attribute, attribute), code, message))

    def check(self, number: int, raw: tuple) -> dict | None:
        values = {attr: _text(raw[i]) if i < len(raw) and not isinstance(raw[i], datetime.date) else
                  (raw[i] if i < len(raw) else "") for i, attr in enumerate(self.columns) if attr}
        if not any(values.values()):
            return None
        before = len(self.errors)
        row: dict[str, Any] = {"_row": number}
        self._names(number, values, row)
        sex = _SEX.get(fold(values.get("sex", "")))
        if sex is None:
            self.error(number, "sex", "invalid_choice", _("Giới tính phải là “Nam” hoặc “Nữ” (đã ghi “%(value)s”).")
                       % {"value": values.get("sex", "")})
        row["sex"] = sex
        birth = parse_date(values.get("birth_date", ""))
        if birth is None or not datetime.date(1890, 1, 1) <= birth <= self.today:
            self.error(number, "birth_date", "invalid", _(
                "Ngày sinh “%(value)s” không đúng dạng dd/mm/yyyy hoặc ngoài khoảng 1890 đến hôm nay."
            ) % {"value": values.get("birth_date", "")})
            birth = None
        row["birth_date"] = birth
        for attribute in ("bhyt_valid_from", "bhyt_valid_to"):
            text = values.get(attribute, "")
            row[attribute] = parse_date(text) if text else None
            if text and row[attribute] is None:
                self.error(number, attribute, "invalid", _("Ngày “%(value)s” không đúng dạng dd/mm/yyyy.")
                           % {"value": text})
        self._place(number, values, row)
        self._identifiers(number, values, row, sex, birth)
        for attribute in ("ethnicity", "occupation", "bhyt_primary_care_facility_code"):
            row[attribute] = nfc(values.get(attribute, ""))
        for attribute, limit in _MAX_LENGTH.items():
            if len(str(row.get(attribute) or "")) > limit:
                self.error(number, attribute, "max_length", _("Dài quá %(limit)s ký tự.") % {"limit": limit})
        return row if len(self.errors) == before else None

    def _names(self, number: int, values: dict, row: dict) -> None:
        family, middle, given = (nfc(values.get(k, "")) for k in ("family_name", "middle_name", "given_name"))
        full = nfc(values.get("full_name", ""))
        if full and not (family or given):
            parts = full.split(" ")
            family, given, middle = parts[0], parts[-1] if len(parts) > 1 else "", " ".join(parts[1:-1])
        if not family or not given:
            self.error(number, "full_name" if full or "full_name" in self.columns else "given_name", "required",
                       _("Thiếu họ hoặc tên (cần cột ho_ten, hoặc hai cột ho và ten)."))
        row.update(family_name=family, middle_name=middle, given_name=given,
                   full_name=" ".join(p for p in (family, middle, given) if p))
        row["name_folded"] = fold(row["full_name"])
        relationship = values.get("relationship_to_head", "")
        row["relationship_to_head"] = _RELATIONSHIP.get(fold(relationship)) if relationship else ""
        if row["relationship_to_head"] is None:
            self.error(number, "relationship_to_head", "relationship_unknown", _(
                "Quan hệ với chủ hộ “%(value)s” không có trong danh mục (chủ hộ, vợ, chồng, con, bố, mẹ, cháu, ông, "
                "bà, anh, chị, em, con dâu, con rể, khác).") % {"value": relationship})

    def _place(self, number: int, values: dict, row: dict) -> None:
        village_text = values.get("village", "")
        row["village"] = self.villages.get(fold(village_text)) if village_text else None
        if village_text and row["village"] is None:
            self.error(number, "village", "village_unknown", _("Xã/phường “%(commune)s” không có thôn/bản “%(value)s”.")
                       % {"commune": self.commune.name, "value": village_text})
        row["household_code"] = values.get("household_code", "").strip().upper()
        row["address"] = nfc(values.get("address", ""))

    def _identifiers(self, number: int, values: dict, row: dict, sex: str | None,
                     birth: datetime.date | None) -> None:
        cccd = ids.normalise_digits(values.get("cccd", ""))
        sin = ids.normalise_digits(values.get("social_insurance_number", ""))
        card = ids.normalise_digits(values.get("bhyt_card_number", "")).upper()
        phone = ids.normalise_phone(values.get("phone", ""))
        problems = []
        if cccd:
            problems += ids.check_cccd(cccd, sex=sex, birth_year=birth.year if birth else None)
        if sin:
            problems += ids.check_social_insurance_number(sin)
        if card:
            problems += ids.check_bhyt(card, social_insurance_number=sin or None)
        if phone:
            problems += ids.check_phone(phone)
        for problem in problems:
            if problem.severity == ERROR:
                self.error(number, problem.field, problem.code, problem.message)
        parsed = ids.parse_bhyt(card) if card else None
        row.update(cccd=cccd or None, phone=phone, bhyt_card_number=card,
                   social_insurance_number=sin or (parsed.social_insurance_number if parsed else None),
                   bhyt_group_code=parsed.group_code if parsed else "",
                   bhyt_benefit_level=parsed.benefit_level if parsed and parsed.group_code else None)


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
        raise _unreadable("columns_missing", _("Thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu.")
                          % {"columns": ", ".join(missing)})
    checker = _Checker(commune, columns)
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

