"""Writes to the org-unit tree: the national load, villages, and official crosswalk weights.

Org units are not personal data, so these writes leave no audit row; each one
is a single transaction and safe to re-run.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from ytcs.core.text import fold
from ytcs.orgunits import loader
from ytcs.orgunits.csvio import COMMUNE_CODE, LOCAL_CODE, CsvImportError, ImportResult, RowError, read_rows
from ytcs.orgunits.models import OrgUnit, OrgUnitRollup, OrgUnitSuccession
from ytcs.orgunits.selectors import today, valid_at

Level = OrgUnit.Level
VILLAGE_TYPES = ("Thôn", "Bản", "Tổ dân phố", "Ấp", "Khóm", "Buôn", "Plei", "Làng", "Xóm", "Khu phố", "Sóc", "Tổ")
_VILLAGE_TYPE_BY_FOLD = {fold(t): t for t in VILLAGE_TYPES}


def orgunits_load(*, provinces: Iterable[str] | None = None) -> loader.LoadReport:
    """Load or refresh both eras and the crosswalk (all provinces, or the given current province codes)."""
    return loader.orgunits_load(provinces=provinces)


# --- villages ---------------------------------------------------------------------------------------


def _villages_write(items: list[tuple[OrgUnit, str, str, str]]) -> ImportResult:
    """Upsert villages given as ``(commune, code, name, village_type)``; callers have validated them."""
    existing = {
        v.code: v for v in OrgUnit.objects.filter(level=Level.VILLAGE, code__in=[i[1] for i in items])
        .filter(valid_to__isnull=True)
    }
    to_create, to_update, unchanged = [], [], 0
    for commune, code, name, village_type in items:
        village = existing.get(code)
        if village is None:
            to_create.append(OrgUnit(
                level=Level.VILLAGE, code=code, name=name, unit_type=village_type, parent=commune,
                valid_from=commune.valid_from, path="", name_folded=fold(name),
                latitude=commune.latitude, longitude=commune.longitude,
            ))
        elif (village.name, village.unit_type) != (name, village_type):
            village.name, village.unit_type, village.name_folded = name, village_type, fold(name)
            to_update.append(village)
        else:
            unchanged += 1
    created = OrgUnit.objects.bulk_create(to_create, batch_size=1000)
    OrgUnit.objects.bulk_update(to_update, ["name", "unit_type", "name_folded"], batch_size=1000)
    loader.paths_fill_missing(level=Level.VILLAGE)
    OrgUnitRollup.objects.bulk_create(
        [OrgUnitRollup(unit_id=v.pk, current_unit_id=v.pk, weight=1.0) for v in created], batch_size=1000
    )
    return ImportResult(len(created), len(to_update), unchanged)


def villages_import(*, csv_text: str) -> ImportResult:
    """Import villages from CSV (``commune_code,village_code,village_name,village_type``); all rows or none."""
    rows = read_rows(csv_text, required=("commune_code", "village_code", "village_name", "village_type"))
    as_of = today()
    communes = {
        c.code: c for c in OrgUnit.objects.filter(valid_at(as_of), level=Level.COMMUNE,
                                                  code__in={r["commune_code"] for _, r in rows})
    }
    in_db = {
        v.code: v for v in OrgUnit.objects.filter(valid_at(as_of), level=Level.VILLAGE)
        .filter(parent__in=communes.values()).select_related("parent")
    }
    by_code_elsewhere = {
        code: parent for code, parent in OrgUnit.objects.filter(
            level=Level.VILLAGE, valid_to__isnull=True, code__in={r["village_code"] for _, r in rows}
        ).values_list("code", "parent__code")
    }
    names_in_db = {(v.parent.code, v.name_folded): v.code for v in in_db.values()}
    errors: list[RowError] = []
    seen_codes: dict[str, int] = {}
    seen_names: dict[tuple[str, str], int] = {}
    items = []
    for line, row in rows:
        commune_code, code, name = row["commune_code"], row["village_code"], row["village_name"]
        village_type = _VILLAGE_TYPE_BY_FOLD.get(fold(row["village_type"]))
        row_errors = []
        if not COMMUNE_CODE.match(commune_code):
            row_errors.append(RowError(line, "commune_code", _("mã xã phải gồm đúng 5 chữ số, nhận được “%s”")
                                       % commune_code))
        elif commune_code not in communes:
            row_errors.append(RowError(line, "commune_code", _("không có xã/phường/đặc khu hiện hành mã %s")
                                       % commune_code))
        if not LOCAL_CODE.match(code):
            row_errors.append(RowError(line, "village_code", _(
                "mã thôn không hợp lệ (1–20 ký tự: chữ, số, dấu chấm, gạch ngang, gạch dưới), nhận được “%s”") % code))
        elif code in seen_codes:
            row_errors.append(RowError(line, "village_code", _("mã thôn %(code)s trùng với dòng %(line)s")
                                       % {"code": code, "line": seen_codes[code]}))
        elif code in by_code_elsewhere and by_code_elsewhere[code] != commune_code:
            row_errors.append(RowError(line, "village_code", _("mã thôn %(code)s đã dùng cho một thôn của xã %(other)s")
                                       % {"code": code, "other": by_code_elsewhere[code]}))
        if not name:
            row_errors.append(RowError(line, "village_name", _("tên thôn không được để trống")))
        elif len(name) > 200:
            row_errors.append(RowError(line, "village_name", _("tên thôn dài quá 200 ký tự")))
        else:
            key = (commune_code, fold(name))
            if key in seen_names:
                row_errors.append(RowError(line, "village_name", _("thôn “%(name)s” trùng với dòng %(line)s")
                                           % {"name": name, "line": seen_names[key]}))
            elif names_in_db.get(key, code) != code:
                row_errors.append(RowError(line, "village_name", _(
                    "xã đã có thôn “%(name)s” với mã khác (%(code)s)") % {"name": name, "code": names_in_db[key]}))
            seen_names.setdefault(key, line)
        if village_type is None:
            row_errors.append(RowError(line, "village_type", _("loại thôn phải là một trong: %s")
                                       % ", ".join(VILLAGE_TYPES)))
        seen_codes.setdefault(code, line)
        errors.extend(row_errors)
        if not row_errors:
            items.append((communes[commune_code], code, name, village_type))
    if errors:
        raise CsvImportError(errors)
    with transaction.atomic():
        return _villages_write(items)


def villages_write(*, villages: list[tuple[OrgUnit, str, str, str]]) -> ImportResult:
    """Create or update villages given as ``(commune, code, name, village_type)``, in one transaction.

    For callers that validated their villages themselves (the demo synthesis in ``ytcs.synth``); a list from
    outside goes through :func:`villages_import`, which checks every row first.
    """
    with transaction.atomic():
        return _villages_write(villages)


# --- official crosswalk weights ---------------------------------------------------------------------


def succession_weights_load(*, csv_text: str) -> loader.LoadReport:
    """Replace estimated split weights by official ones (``old_commune_code,new_commune_code,weight``).

    Every successor of a listed old commune must be listed and the weights must
    sum to 1 (±0.001; they are then normalised). District, province and rollup
    weights are recomputed in the same transaction.
    """
    rows = read_rows(csv_text, required=("old_commune_code", "new_commune_code", "weight"))
    edges = {
        (p, s): (pk, pred_pk) for pk, pred_pk, p, s in OrgUnitSuccession.objects.filter(
            predecessor__level=Level.COMMUNE, predecessor__valid_from=loader.LEGACY_VALID_FROM,
            successor__level=Level.COMMUNE,
        ).values_list("pk", "predecessor_id", "predecessor__code", "successor__code")
    }
    successors_of: dict[str, set[str]] = defaultdict(set)
    for p, s in edges:
        successors_of[p].add(s)
    errors: list[RowError] = []
    given: dict[str, dict[str, float]] = defaultdict(dict)
    first_line: dict[str, int] = {}
    for line, row in rows:
        old, new, raw = row["old_commune_code"], row["new_commune_code"], row["weight"]
        for column, code in (("old_commune_code", old), ("new_commune_code", new)):
            if not COMMUNE_CODE.match(code):
                errors.append(RowError(line, column, _("mã xã phải gồm đúng 5 chữ số, nhận được “%s”") % code))
        if old not in successors_of and COMMUNE_CODE.match(old):
            errors.append(RowError(line, "old_commune_code", _("không có xã cũ (trước 01/07/2025) mã %s") % old))
        elif (old, new) not in edges and COMMUNE_CODE.match(new) and old in successors_of:
            errors.append(RowError(line, "new_commune_code", _("xã %(new)s không kế thừa xã cũ %(old)s")
                                   % {"new": new, "old": old}))
        try:
            weight = float(raw.replace(",", "."))
        except ValueError:
            weight = -1.0
        if not 0 < weight <= 1:
            errors.append(RowError(line, "weight", _("trọng số phải là số trong khoảng (0; 1], nhận được “%s”") % raw))
        elif new in given[old]:
            errors.append(RowError(line, "new_commune_code", _("cặp %(old)s → %(new)s lặp lại")
                                   % {"old": old, "new": new}))
        else:
            given[old][new] = weight
        first_line.setdefault(old, line)
    if not errors:
        for old, weights in given.items():
            missing = successors_of[old] - set(weights)
            if missing:
                reason = _("thiếu xã kế thừa của %(old)s: %(missing)s") % {
                    "old": old, "missing": ", ".join(sorted(missing))}
                errors.append(RowError(first_line[old], "new_commune_code", reason))
            elif abs(sum(weights.values()) - 1) > 0.001:
                reason = _("tổng trọng số của xã %(old)s là %(sum).4f, phải bằng 1") % {
                    "old": old, "sum": sum(weights.values())}
                errors.append(RowError(first_line[old], "weight", reason))
    if errors:
        raise CsvImportError(errors)
    with transaction.atomic():
        rows_to_update = []
        for old, weights in given.items():
            total = sum(weights.values())
            for new, weight in weights.items():
                pk, _pred = edges[(old, new)]
                rows_to_update.append(OrgUnitSuccession(
                    pk=pk, weight=weight / total, weight_source=OrgUnitSuccession.WeightSource.OFFICIAL
                ))
        OrgUnitSuccession.objects.bulk_update(rows_to_update, ["weight", "weight_source"], batch_size=1000)
        legacy = list(OrgUnit.objects.filter(valid_from=loader.LEGACY_VALID_FROM).values_list("pk", flat=True))
        return loader.crosswalk_rebuild(predecessor_ids=legacy)

