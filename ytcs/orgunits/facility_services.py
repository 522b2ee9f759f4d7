"""Writes for health facilities and their staff rosters: CSV imports.

Rosters name health workers (not residents); they are read only by signed-in
users. Imports follow :mod:`ytcs.orgunits.csvio`: all rows or none, one message
per problem, upsert by code so a re-import creates no duplicates.
"""


from django.db import transaction
from django.utils.translation import gettext as _

from ytcs.orgunits.csvio import (
    COMMUNE_CODE,
    LOCAL_CODE,
    PROVINCE_CODE,
    CsvImportError,
    ImportResult,
    RowError,
    parse_bool,
    parse_choice,
    parse_date,
    read_rows,
)
from ytcs.orgunits.loader import REORGANISATION_DATE
from ytcs.orgunits.models import Cadre, FacilityKind, HealthFacility, OrgUnit, StaffMember
from ytcs.orgunits.models import TechnicalLevel as TL
from ytcs.orgunits.selectors import today, valid_at

Level = OrgUnit.Level
_IN_COMMUNE = {FacilityKind.COMMUNE_STATION, FacilityKind.STATION_POINT, FacilityKind.REGIONAL_POLYCLINIC}
_FACILITY_FIELDS = ("name", "kind", "technical_level", "org_unit_id", "parent_id", "beds", "valid_from")
_STAFF_FIELDS = ("full_name", "cadre", "qualification", "is_permanent", "is_trained", "village_id", "active_from",
                 "active_to")


def _upsert(model, key_fields: tuple[str, ...], fields: tuple[str, ...], items: list[dict]) -> ImportResult:
    keys = [tuple(i[k] for k in key_fields) for i in items]
    existing = {}
    for obj in model.objects.filter(**{f"{key_fields[-1]}__in": [k[-1] for k in keys]}):
        existing[tuple(getattr(obj, k) for k in key_fields)] = obj
    to_create, to_update, unchanged = [], [], 0
    for key, item in zip(keys, items, strict=True):
        obj = existing.get(key)
        if obj is None:
            to_create.append(model(**item))
        elif any(getattr(obj, f) != item[f] for f in fields):
            for f in fields:
                setattr(obj, f, item[f])
            to_update.append(obj)
        else:
            unchanged += 1
    model.objects.bulk_create(to_create, batch_size=1000)
    model.objects.bulk_update(to_update, fields, batch_size=1000)
    return ImportResult(len(to_create), len(to_update), unchanged)


# --- facilities -------------------------------------------------------------------------------------


def facilities_import(*, csv_text: str) -> ImportResult:
    """Import facilities (see docs/orgunits.md for the columns); all rows or none, upsert by ``facility_code``."""
    rows = read_rows(csv_text, required=("facility_code", "facility_name", "kind", "unit_code"),
                     optional=("technical_level", "parent_code", "beds", "valid_from"))
    as_of = today()
    units = {(u.level, u.code): u for u in OrgUnit.objects.filter(
        valid_at(as_of), level__in=[Level.PROVINCE, Level.COMMUNE], code__in={r["unit_code"] for _, r in rows})}
    stations = {f.code: f for f in HealthFacility.objects.filter(
        kind=FacilityKind.COMMUNE_STATION, code__in={r.get("parent_code", "") for _, r in rows}
    ).select_related("org_unit")}
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    items, parents = [], {}
    file_stations = {r["facility_code"]: r["unit_code"] for _, r in rows
                     if parse_choice(r["kind"], FacilityKind) == FacilityKind.COMMUNE_STATION}
    for line, row in rows:
        errs: list[RowError] = []
        code, name = row["facility_code"], row["facility_name"]
        if not LOCAL_CODE.match(code):
            errs.append(RowError(line, "facility_code", _("mã cơ sở không hợp lệ, nhận được “%s”") % code))
        elif code in seen:
            errs.append(RowError(line, "facility_code", _("mã cơ sở %(code)s trùng với dòng %(line)s")
                                 % {"code": code, "line": seen[code]}))
        seen.setdefault(code, line)
        if not name:
            errs.append(RowError(line, "facility_name", _("tên cơ sở không được để trống")))
        kind = parse_choice(row["kind"], FacilityKind)
        if kind is None:
            errs.append(RowError(line, "kind", _("loại cơ sở không hợp lệ: “%s”") % row["kind"]))
        level = parse_choice(row.get("technical_level", ""), TL) if row.get("technical_level") else ""
        if level is None:
            errs.append(RowError(line, "technical_level", _("cấp chuyên môn phải là ban đầu, cơ bản hoặc chuyên sâu")))
        unit_code = row["unit_code"]
        unit = None
        if COMMUNE_CODE.match(unit_code):
            unit = units.get((Level.COMMUNE, unit_code))
        elif PROVINCE_CODE.match(unit_code):
            unit = units.get((Level.PROVINCE, unit_code))
            if kind in _IN_COMMUNE:
                errs.append(RowError(line, "unit_code", _("trạm y tế phải đặt tại một xã/phường/đặc khu")))
        else:
            errs.append(RowError(line, "unit_code", _("mã địa bàn phải có 2 (tỉnh) hoặc 5 (xã) chữ số, nhận được “%s”")
                                 % unit_code))
        if unit is None and (COMMUNE_CODE.match(unit_code) or PROVINCE_CODE.match(unit_code)):
            errs.append(RowError(line, "unit_code", _("không có đơn vị hành chính hiện hành mã %s") % unit_code))
        parent_code = row.get("parent_code", "")
        if kind == FacilityKind.STATION_POINT and not parent_code:
            errs.append(RowError(line, "parent_code", _("điểm trạm phải ghi mã trạm y tế quản lý")))
        elif parent_code and parent_code not in stations and parent_code not in file_stations:
            errs.append(RowError(line, "parent_code", _("không có trạm y tế xã mã %s") % parent_code))
        elif parent_code and unit is not None and unit_code != file_stations.get(
                parent_code, stations[parent_code].org_unit.code if parent_code in stations else unit_code):
            errs.append(RowError(line, "parent_code", _("trạm y tế %s không thuộc cùng xã") % parent_code))
        beds = row.get("beds", "") or "0"
        if not beds.isdigit():
            errs.append(RowError(line, "beds", _("số giường phải là số nguyên không âm, nhận được “%s”") % beds))
        valid_from = parse_date(row["valid_from"]) if row.get("valid_from") else REORGANISATION_DATE
        if valid_from is None:
            errs.append(RowError(line, "valid_from", _("ngày không hợp lệ (YYYY-MM-DD hoặc DD/MM/YYYY)")))
        errors.extend(errs)
        if not errs:
            items.append({"code": code, "name": name, "kind": kind, "technical_level": level, "org_unit_id": unit.pk,
                          "beds": int(beds), "valid_from": valid_from, "parent_id": None})
            parents[code] = parent_code
    if errors:
        raise CsvImportError(errors)
    with transaction.atomic():
        result = _upsert(HealthFacility, ("code",), _FACILITY_FIELDS, [i for i in items if not parents[i["code"]]])
        ids = dict(HealthFacility.objects.filter(code__in=set(parents.values()) - {""}).values_list("code", "pk"))
        points = [i | {"parent_id": ids[parents[i["code"]]]} for i in items if parents[i["code"]]]
        second = _upsert(HealthFacility, ("code",), _FACILITY_FIELDS, points)
    return ImportResult(result.created + second.created, result.updated + second.updated,
                        result.unchanged + second.unchanged)


# --- staff ------------------------------------------------------------------------------------------


def staff_import(*, csv_text: str) -> ImportResult:
    """Import staff rosters (see docs/orgunits.md); all rows or none, upsert by ``facility_code`` + ``staff_code``."""
    rows = read_rows(csv_text, required=("facility_code", "staff_code", "full_name", "cadre"),
                     optional=("qualification", "is_permanent", "is_trained", "village_code", "active_from",
                               "active_to"))
    facilities = {f.code: f for f in HealthFacility.objects.filter(
        code__in={r["facility_code"] for _, r in rows}).select_related("org_unit")}
    villages = {v.code: v for v in OrgUnit.objects.filter(
        valid_at(today()), level=Level.VILLAGE, code__in={r.get("village_code", "") for _, r in rows})}
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    items = []
    for line, row in rows:
        errs: list[RowError] = []
        facility = facilities.get(row["facility_code"])
        if facility is None:
            errs.append(RowError(line, "facility_code", _("không có cơ sở y tế mã %s") % row["facility_code"]))
        code = row["staff_code"]
        if not LOCAL_CODE.match(code):
            errs.append(RowError(line, "staff_code", _("mã nhân viên không hợp lệ, nhận được “%s”") % code))
        elif (row["facility_code"], code) in seen:
            errs.append(RowError(line, "staff_code", _("nhân viên %(code)s trùng với dòng %(line)s")
                                 % {"code": code, "line": seen[(row["facility_code"], code)]}))
        seen.setdefault((row["facility_code"], code), line)
        if not row["full_name"]:
            errs.append(RowError(line, "full_name", _("họ và tên không được để trống")))
        cadre = parse_choice(row["cadre"], Cadre)
        if cadre is None:
            errs.append(RowError(line, "cadre", _("chức danh không hợp lệ: “%s”") % row["cadre"]))
        flags = {}
        for column, default in (("is_permanent", True), ("is_trained", True)):
            value = parse_bool(row[column]) if row.get(column) else default
            if value is None:
                errs.append(RowError(line, column, _("giá trị phải là có/không (1/0), nhận được “%s”") % row[column]))
            flags[column] = value
        village = None
        village_code = row.get("village_code", "")
        if village_code:
            village = villages.get(village_code)
            if village is None:
                errs.append(RowError(line, "village_code", _("không có thôn/bản mã %s") % village_code))
            elif facility is not None and village.parent_id != facility.org_unit_id:
                errs.append(RowError(line, "village_code", _("thôn %(v)s không thuộc xã của cơ sở %(f)s")
                                     % {"v": village_code, "f": facility.code}))
        elif cadre == Cadre.VILLAGE_HEALTH_WORKER:
            errs.append(RowError(line, "village_code", _("nhân viên y tế thôn bản phải ghi mã thôn phụ trách")))
        dates = {}
        for column in ("active_from", "active_to"):
            dates[column] = parse_date(row[column]) if row.get(column) else None
            if row.get(column) and dates[column] is None:
                errs.append(RowError(line, column, _("ngày không hợp lệ (YYYY-MM-DD hoặc DD/MM/YYYY)")))
        if dates["active_from"] and dates["active_to"] and dates["active_to"] <= dates["active_from"]:
            errs.append(RowError(line, "active_to", _("ngày kết thúc phải sau ngày bắt đầu")))
        errors.extend(errs)
        if not errs:
            items.append({
                "facility_id": facility.pk, "staff_code": code, "full_name": row["full_name"], "cadre": cadre,
                "qualification": row.get("qualification", ""), "village_id": village.pk if village else None,
                "active_from": dates["active_from"] or facility.valid_from, "active_to": dates["active_to"], **flags,
            })
    if errors:
        raise CsvImportError(errors)
    with transaction.atomic():
        return _upsert(StaffMember, ("facility_id", "staff_code"), _STAFF_FIELDS, items)
