"""Reading the administrative-unit data shipped by ``vietnamadminunits`` (MIT).

The package is installed without its dependencies (one of them, unidecode, is
GPL), and importing it would import them, so its Python modules are never
executed: :func:`data_dir` finds the package directory through
``importlib.util.find_spec`` (which does not run ``__init__``) and this module
reads ``data/dataset.db`` (SQLite) and ``data/converter_2025.json`` directly.

Only plain records leave this module; turning them into rows is the loader's job.
"""

import importlib.util
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ytcs.core.text import nfc

PACKAGE = "vietnamadminunits"


class DatasetMissing(RuntimeError):
    """The data package is not installed (``make install`` installs it)."""


@dataclass(frozen=True)
class UnitRecord:
    code: str
    name: str
    unit_type: str
    parent_code: str | None
    latitude: float | None = None
    longitude: float | None = None
    area_km2: float | None = None


@dataclass(frozen=True)
class Split:
    """An old commune (or a commune-less old district) and the new commune(s) it went to."""

    old_code: str
    old_level: str  # "commune" or "district"
    new_codes: tuple[str, ...]


@dataclass
class Dataset:
    old_provinces: dict[str, UnitRecord] = field(default_factory=dict)
    old_districts: dict[str, UnitRecord] = field(default_factory=dict)
    old_communes: dict[str, UnitRecord] = field(default_factory=dict)
    new_provinces: dict[str, UnitRecord] = field(default_factory=dict)
    new_communes: dict[str, UnitRecord] = field(default_factory=dict)
    province_successor: dict[str, str] = field(default_factory=dict)  # old province code -> new province code
    splits: list[Split] = field(default_factory=list)


def data_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise DatasetMissing(f"Package {PACKAGE!r} is not installed; run `make install`.")
    path = Path(next(iter(spec.submodule_search_locations))) / "data"
    if not (path / "dataset.db").is_file() or not (path / "converter_2025.json").is_file():
        raise DatasetMissing(f"{path} lacks dataset.db or converter_2025.json")
    return path


def _type_of(full_name: str) -> str:
    for prefix in ("Thành phố", "Tỉnh"):
        if full_name.startswith(prefix + " "):
            return prefix
    return ""


def _rows(conn: sqlite3.Connection, sql: str) -> Iterator[sqlite3.Row]:
    conn.row_factory = sqlite3.Row
    yield from conn.execute(sql)


def read_dataset(path: Path | None = None) -> Dataset:
    """All units of both eras and the crosswalk between them, keyed by official code."""
    path = path or data_dir()
    ds = Dataset()
    conn = sqlite3.connect(f"file:{path / 'dataset.db'}?mode=ro", uri=True)
    try:
        legacy_by_key: dict[str, tuple[str, str]] = {}
        for r in _rows(conn, "SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"):
            pcode, dcode = r["provinceCode"], r["districtCode"]
            if pcode not in ds.old_provinces:
                name = nfc(r["province"])
                ds.old_provinces[pcode] = UnitRecord(
                    pcode, name, _type_of(name), None, r["provinceLat"], r["provinceLon"]
                )
            if dcode not in ds.old_districts:
                ds.old_districts[dcode] = UnitRecord(
                    dcode, nfc(r["district"]), r["districtType"], pcode, r["districtLat"], r["districtLon"]
                )
            key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
            if r["wardCode"]:
                ds.old_communes[r["wardCode"]] = UnitRecord(
                    r["wardCode"], nfc(r["ward"]), r["wardType"], dcode, r["wardLat"], r["wardLon"]
                )
                legacy_by_key[key] = ("commune", r["wardCode"])
            else:  # island districts without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo)
                legacy_by_key[key] = ("district", dcode)
            legacy_by_key.setdefault(r["provinceKey"], ("province", pcode))

        new_by_key: dict[tuple[str, str], str] = {}
        new_province_by_key: dict[str, str] = {}
        for r in _rows(conn, "SELECT * FROM admin_units ORDER BY provinceCode, wardCode"):
            pcode = r["provinceCode"]
            if pcode not in ds.new_provinces:
                name = nfc(r["province"])
                ds.new_provinces[pcode] = UnitRecord(
                    pcode, name, _type_of(name), None, r["provinceLat"], r["provinceLon"]
                )
                new_province_by_key[r["provinceKey"]] = pcode
            ds.new_communes[r["wardCode"]] = UnitRecord(
                r["wardCode"], nfc(r["ward"]), r["wardType"], pcode, r["wardLat"], r["wardLon"], r["wardAreaKm2"]
            )
            new_by_key[(r["provinceKey"], r["wardKey"])] = r["wardCode"]
    finally:
        conn.close()

    converter = json.loads((path / "converter_2025.json").read_text(encoding="utf-8"))
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            ds.province_successor[legacy_by_key[old_key][1]] = new_province_by_key[new_key]

    successors: dict[tuple[str, str], list[str]] = {}
    for pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_keys in wards.items():
            for old_key in old_keys:
                successors.setdefault(legacy_by_key[old_key], []).append(new_by_key[(pkey, new_ward_key)])
    for pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in olds.items():
            # The default target (where the old address converts by default) first.
            ordered = sorted(targets, key=lambda t: not t["isDefaultNewWard"])
            targets_codes = [new_by_key[(pkey, t["newWardKey"])] for t in ordered]
            successors.setdefault(legacy_by_key[old_key], []).extend(targets_codes)
    for (level, code), new_codes in sorted(successors.items()):
        ds.splits.append(Split(code, level, tuple(dict.fromkeys(new_codes))))
    return ds
