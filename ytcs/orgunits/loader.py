"""``ytcs orgunits load``: the two eras of administrative units and the crosswalk, idempotently.

Era model (see docs/orgunits.md):

* every unit of the 63-province structure (provinces, districts, communes) is a
  row valid on ``[LEGACY_VALID_FROM, REORGANISATION_DATE)``;
* every unit of the 34-province structure is a row valid from
  ``REORGANISATION_DATE`` with no end; current communes hang directly under
  their province (the district level no longer exists);
* an unchanged province still gets two rows joined by a weight-1 succession, so
  one rule ("follow the crosswalk") serves every old unit.

The load is one transaction. Rows are matched on ``(level, code, valid_from)``;
a second run with the same data writes nothing and says so.
"""

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from ytcs.core.text import fold
from ytcs.orgunits.dataset import Dataset, UnitRecord, read_dataset
from ytcs.orgunits.models import OrgUnit, OrgUnitRollup, OrgUnitSuccession

REORGANISATION_DATE = date(2025, 7, 1)
# Start of the 63-province structure (Hà Tây merged into Hà Nội on 1 Aug 2008). Exact for provinces; for
# districts and communes a documented approximation, because the dataset is the last snapshot before
# 1 July 2025 and earlier commune rearrangements are not in it.
LEGACY_VALID_FROM = date(2008, 8, 1)
COUNTRY_VALID_FROM = date(1976, 7, 2)
COUNTRY_CODE = "VN"

Level = OrgUnit.Level
Source = OrgUnitSuccession.WeightSource
Key = tuple[int, str, date]  # (level, code, valid_from)
_UNIT_FIELDS = ("name", "unit_type", "parent_id", "valid_to", "latitude", "longitude", "area_km2", "name_folded")
_BATCH = 1000


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"+{self.created} ~{self.updated} -{self.deleted} ={self.unchanged}"


@dataclass
class LoadReport:
    units: Counts = field(default_factory=Counts)
    successions: Counts = field(default_factory=Counts)
    rollups: Counts = field(default_factory=Counts)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.deleted for c in (self.units, self.successions, self.rollups))


def old_key(level: int, code: str) -> Key:
    return (level, code, LEGACY_VALID_FROM)


def new_key(level: int, code: str) -> Key:
    return (level, code, REORGANISATION_DATE)


def resolve_provinces(texts: Iterable[str], ds: Dataset) -> set[str]:
    """Current province codes for codes or names of either era ("04", "4", "cao bang", "Yên Bái" → "15")."""
    by_name = {}
    for era in (ds.old_provinces, ds.new_provinces):  # current names win
        for code, record in era.items():
            short = fold(record.name).removeprefix("tinh ").removeprefix("thanh pho ")
            new_code = code if era is ds.new_provinces else ds.province_successor[code]
            by_name[fold(record.name)] = by_name[short] = new_code
    codes = set()
    for text in texts:
        key = fold(text)
        code = key.zfill(2) if key.isdigit() else None
        found = code if code in ds.new_provinces else by_name.get(key)
        if found is None:
            raise ValueError(_("Không tìm thấy tỉnh/thành phố “%s”") % text)
        codes.add(found)
    return codes


def orgunits_load(*, provinces: Iterable[str] | None = None, dataset: Dataset | None = None) -> LoadReport:
    """Load both eras for all provinces, or only for the given provinces (codes or names, either era).

    Selecting a current province also loads the old provinces merged into it, so its crosswalk is complete.
    """
    started = time.perf_counter()
    ds = dataset or read_dataset()
    selected = resolve_provinces(provinces, ds) if provinces is not None else set(ds.new_provinces)
    report = LoadReport()
    with transaction.atomic():
        pks = _sync_units(ds, selected, report.units)
        old_provinces = {code for code, new in ds.province_successor.items() if new in selected}
        base = _base_edges(ds, pks, old_provinces)
        scope = [pk for key, pk in pks.items() if key[2] == LEGACY_VALID_FROM]
        _sync_edges(OrgUnitSuccession, "predecessor_id", "successor_id", _with_derived(base, scope), scope,
                    report.successions)
        rollup_scope = list(pks.values())
        _sync_edges(OrgUnitRollup, "unit_id", "current_unit_id", _rollups(rollup_scope), rollup_scope, report.rollups)
    report.seconds = time.perf_counter() - started
    return report


def crosswalk_rebuild(*, predecessor_ids: list[int]) -> LoadReport:
    """Recompute derived district/province edges and rollups after base (commune) weights changed."""
    report = LoadReport()
    base = _edges_in_db(predecessor_ids, base_only=True)
    _sync_edges(OrgUnitSuccession, "predecessor_id", "successor_id", _with_derived(base, predecessor_ids),
                predecessor_ids, report.successions)
    _sync_edges(OrgUnitRollup, "unit_id", "current_unit_id", _rollups(predecessor_ids), predecessor_ids,
                report.rollups)
    return report


# --- units -------------------------------------------------------------------------------------------


def _sync_units(ds: Dataset, selected: set[str], counts: Counts) -> dict[Key, int]:
    existing = {
        (u.level, u.code, u.valid_from): u for u in OrgUnit.objects.exclude(level=Level.VILLAGE)
    }
    pks: dict[Key, int] = {}
    country_key = (Level.COUNTRY, COUNTRY_CODE, COUNTRY_VALID_FROM)
    country = UnitRecord(COUNTRY_CODE, "Việt Nam", "Quốc gia", None)
    old_provinces = {c for c, new in ds.province_successor.items() if new in selected}
    old_districts = {c for c, d in ds.old_districts.items() if d.parent_code in old_provinces}
    waves: list[list[tuple[Key, UnitRecord, Key | None, date | None]]] = [
        [(country_key, country, None, None)],
        [(old_key(Level.PROVINCE, c), ds.old_provinces[c], country_key, REORGANISATION_DATE) for c in
         sorted(old_provinces)]
        + [(new_key(Level.PROVINCE, c), ds.new_provinces[c], country_key, None) for c in sorted(selected)],
        [(old_key(Level.DISTRICT, c), ds.old_districts[c], old_key(Level.PROVINCE, ds.old_districts[c].parent_code),
          REORGANISATION_DATE) for c in sorted(old_districts)]
        + [(new_key(Level.COMMUNE, r.code), r, new_key(Level.PROVINCE, r.parent_code), None)
           for r in ds.new_communes.values() if r.parent_code in selected],
        [(old_key(Level.COMMUNE, r.code), r, old_key(Level.DISTRICT, r.parent_code), REORGANISATION_DATE)
         for r in ds.old_communes.values() if r.parent_code in old_districts],
    ]
    for wave in waves:
        to_create, to_update = [], []
        for key, rec, parent_key, valid_to in wave:
            wanted = {
                "name": rec.name, "unit_type": rec.unit_type, "parent_id": pks[parent_key] if parent_key else None,
                "valid_to": valid_to, "latitude": rec.latitude, "longitude": rec.longitude,
                "area_km2": rec.area_km2, "name_folded": fold(rec.name),
            }
            unit = existing.get(key)
            if unit is None:
                to_create.append(OrgUnit(level=key[0], code=key[1], valid_from=key[2], path="", **wanted))
                continue
            pks[key] = unit.pk
            if any(getattr(unit, f) != v for f, v in wanted.items()):
                for f, v in wanted.items():
                    setattr(unit, f, v)
                to_update.append(unit)
            else:
                counts.unchanged += 1
        for unit in OrgUnit.objects.bulk_create(to_create, batch_size=_BATCH):
            pks[(unit.level, unit.code, unit.valid_from)] = unit.pk
        OrgUnit.objects.bulk_update(to_update, _UNIT_FIELDS, batch_size=_BATCH)
        counts.created += len(to_create)
        counts.updated += len(to_update)
    _fill_paths(pks)
    return pks


def paths_fill_missing(*, level: int) -> None:
    """Set ``path`` = parent path + own pk + "/" for rows of ``level`` created without one, in one UPDATE."""
    prefix = Value("/") if level == Level.COUNTRY else Subquery(
        OrgUnit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    )
    OrgUnit.objects.filter(level=level, path="").update(
        path=Concat(prefix, Cast("pk", output_field=CharField()), Value("/"), output_field=CharField())
    )


def _fill_paths(pks: dict[Key, int]) -> None:
    """Materialise ``path`` top-down for new rows, then repair any unit whose parent changed."""
    for level in (Level.COUNTRY, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        paths_fill_missing(level=level)
    rows = {pk: (parent, path) for pk, parent, path in
            OrgUnit.objects.filter(pk__in=pks.values()).values_list("pk", "parent_id", "path")}
    stale = []
    for pk in sorted(rows, key=lambda p: rows[p][1].count("/")):
        parent, path = rows[pk]
        expected = f"{rows[parent][1] if parent else '/'}{pk}/"
        if path != expected:
            rows[pk] = (parent, expected)
            stale.append(OrgUnit(pk=pk, path=expected))
    OrgUnit.objects.bulk_update(stale, ["path"], batch_size=_BATCH)


# --- crosswalk ---------------------------------------------------------------------------------------

Edges = dict[int, dict[int, tuple[float, str]]]  # predecessor -> successor -> (weight, source)


def _base_edges(ds: Dataset, pks: dict[Key, int], old_provinces: set[str]) -> Edges:
    """Commune-level edges from the dataset; a predecessor whose official weights still fit keeps them."""
    official = _edges_in_db([pks[k] for k in pks if k[2] == LEGACY_VALID_FROM], base_only=True)
    edges: Edges = {}
    for split in ds.splits:
        level = Level.COMMUNE if split.old_level == "commune" else Level.DISTRICT
        record = ds.old_communes.get(split.old_code) if level == Level.COMMUNE else ds.old_districts[split.old_code]
        province = ds.old_districts[record.parent_code].parent_code if level == Level.COMMUNE else record.parent_code
        if province not in old_provinces:
            continue
        pred = pks[old_key(level, split.old_code)]
        succs = [pks[new_key(Level.COMMUNE, code)] for code in split.new_codes]
        kept = official.get(pred, {})
        if set(kept) == set(succs) and all(src == Source.OFFICIAL for _, src in kept.values()):
            edges[pred] = kept
        elif len(succs) == 1:
            edges[pred] = {succs[0]: (1.0, Source.WHOLE)}
        else:
            edges[pred] = {s: (1.0 / len(succs), Source.EQUAL) for s in succs}
    return edges


def _edges_in_db(predecessor_ids: list[int], *, base_only: bool) -> Edges:
    """Stored edges of the given old units (filtered in Python: a 10,000-item IN list is slow on SQLite)."""
    wanted = set(predecessor_ids)
    rows = OrgUnitSuccession.objects.filter(predecessor__valid_from=LEGACY_VALID_FROM)
    if base_only:
        rows = rows.filter(successor__level=Level.COMMUNE)
        # districts with communes get derived edges, not base ones
        wanted -= set(OrgUnit.objects.filter(level=Level.COMMUNE, valid_from=LEGACY_VALID_FROM)
                      .values_list("parent_id", flat=True).distinct())
    edges: Edges = defaultdict(dict)
    for pred, succ, weight, src in rows.values_list("predecessor_id", "successor_id", "weight", "weight_source"):
        if pred in wanted:
            edges[pred][succ] = (weight, src)
    return edges


def _with_derived(base: Edges, scope: list[int]) -> Edges:
    """Add district → new commune and province → new province edges, weighting communes equally."""
    units = {pk: (level, parent) for pk, level, parent in
             OrgUnit.objects.filter(pk__in=scope).values_list("pk", "level", "parent_id")}
    commune_province = dict(OrgUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True)
                            .values_list("pk", "parent_id"))
    children: dict[int, list[int]] = defaultdict(list)
    for pk, (level, parent) in units.items():
        if level == Level.COMMUNE:
            children[parent].append(pk)
    edges: Edges = dict(base)
    district_shares: dict[int, dict[int, float]] = {}
    for pk, (level, _parent) in units.items():
        if level == Level.DISTRICT:
            district_shares[pk] = _mix([base[c] for c in children[pk] if c in base]) if children[pk] else {
                s: w for s, (w, _) in base.get(pk, {}).items()}
            if children[pk]:
                edges[pk] = _as_edges(district_shares[pk])
    districts_of: dict[int, list[int]] = defaultdict(list)
    for pk, (level, parent) in units.items():
        if level == Level.DISTRICT:
            districts_of[parent].append(pk)
    for pk, (level, _parent) in units.items():
        if level == Level.PROVINCE:
            # each commune weighs the same; a commune-less island district counts as one commune
            parts = []
            for d in districts_of[pk]:
                by_province: dict[int, float] = defaultdict(float)
                for s, w in district_shares[d].items():
                    by_province[commune_province[s]] += w
                parts.extend([{p: (w, "") for p, w in by_province.items()}] * max(1, len(children[d])))
            edges[pk] = _as_edges(_mix(parts))
    return edges


def _mix(parts: list[dict[int, tuple[float, str]]]) -> dict[int, float]:
    total: dict[int, float] = defaultdict(float)
    for part in parts:
        for succ, (weight, _source) in part.items():
            total[succ] += weight / len(parts)
    return dict(total)


def _as_edges(shares: dict[int, float]) -> dict[int, tuple[float, str]]:
    if len(shares) == 1:
        return {succ: (1.0, Source.WHOLE) for succ in shares}
    return {succ: (round(w, 12), Source.DERIVED) for succ, w in shares.items()}


def _rollups(scope: list[int]) -> Edges:
    """Every unit in ``scope`` → the current unit(s) it counts toward; current units → themselves."""
    edges: Edges = {}
    current = OrgUnit.objects.filter(pk__in=scope, valid_to__isnull=True).values_list("pk", flat=True)
    for pk in current:
        edges[pk] = {pk: (1.0, "")}
    for pred, succ, weight in OrgUnitSuccession.objects.filter(
        predecessor_id__in=scope, successor__valid_to__isnull=True
    ).values_list("predecessor_id", "successor_id", "weight"):
        edges.setdefault(pred, {})[succ] = (weight, "")
    return edges


def _sync_edges(model, left: str, right: str, wanted: Edges, scope: list[int], counts: Counts) -> None:
    has_source = model is OrgUnitSuccession
    existing = {}
    for i in range(0, len(scope), 5000):
        chunk = scope[i:i + 5000]
        for row in model.objects.filter(**{f"{left}__in": chunk}):
            existing[(getattr(row, left), getattr(row, right))] = row
    to_create, to_update = [], []
    for pred, succs in wanted.items():
        for succ, (weight, source) in succs.items():
            row = existing.pop((pred, succ), None)
            values = {"weight": weight}
            if has_source:
                values |= {"weight_source": source, "effective_date": REORGANISATION_DATE}
            if row is None:
                to_create.append(model(**{left: pred, right: succ}, **values))
            elif any(getattr(row, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(row, f, v)
                to_update.append(row)
            else:
                counts.unchanged += 1
    to_delete = [row.pk for row in existing.values()]
    model.objects.bulk_create(to_create, batch_size=_BATCH)
    model.objects.bulk_update(to_update, ["weight", "weight_source"] if has_source else ["weight"],
                              batch_size=_BATCH)
    for i in range(0, len(to_delete), _BATCH):
        model.objects.filter(pk__in=to_delete[i:i + _BATCH]).delete()
    counts.created += len(to_create)
    counts.updated += len(to_update)
    counts.deleted += len(to_delete)
