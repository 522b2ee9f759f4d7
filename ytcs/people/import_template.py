"""The resident-list template a station downloads, filled in for its own commune.

The header row names every column of :data:`ytcs.people.imports.COLUMNS`. The one example row shows each
format with values that pass the dry run as they stand: a village of the commune, the household code
registration would give next, a CCCD that agrees with the example's sex, birth year and province, a BHYT
card of that province, and identifiers that belong to nobody on the register. Uploaded unchanged, the
template checks cleanly as one new person in one new household.
"""

import csv
import io

from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit
from ytcs.people import identifiers as ids
from ytcs.people.import_rows import COLUMNS, parse_date
from ytcs.people.models import Resident
from ytcs.people.validation import next_household_code

_CANDIDATES = 200  # example identifiers tried, in one query each


def _province(commune: OrgUnit) -> OrgUnit | None:
    unit = commune
    while unit is not None and unit.level != OrgUnit.Level.PROVINCE:
        unit = unit.parent
    return unit


def _cccd_province_code(commune: OrgUnit) -> str:
    """The commune's province as the first three CCCD digits (its GSO code, else its name; Hà Nội otherwise)."""
    codes = ids.cccd_province_codes()
    province = _province(commune)
    if province is not None:
        if province.code.isdigit() and f"{int(province.code):03d}" in codes:
            return f"{int(province.code):03d}"
        for code, name in codes.items():
            if fold(province.name).endswith(fold(name)):
                return code
    return next(iter(codes))


def _unused(field: str, candidates: list[str]) -> str:
    """The first candidate that no resident anywhere holds in ``field`` ("" if all are taken: no example)."""
    taken = set(Resident.objects.filter(**{f"{field}__in": candidates}).values_list(field, flat=True))
    return next((c for c in candidates if c not in taken), "")


def example_row(commune: OrgUnit) -> dict[str, str]:
    """Column key → example value for ``commune``."""
    row = {c.key: c.example for c in COLUMNS}
    village = OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE,
                                     valid_to__isnull=True).order_by("name").first()
    if village is not None:  # a new household needs its village; without villages the example has neither
        row.update(ma_ho=next_household_code(commune), thon=village.name)
    born = parse_date(row["ngay_sinh"])
    # CCCD digit 4: 0/1 = man/woman born 1900-1999, 2/3 for 2000-2099; digits 5-6: the birth year
    century_and_sex = (born.year // 100 - 19) * 2 + (0 if fold(row["gioi_tinh"]) == "nam" else 1)
    province = _cccd_province_code(commune)
    prefix = f"{province}{century_and_sex}{born.year % 100:02d}"
    row["cccd"] = _unused("cccd", [f"{prefix}{n:06d}" for n in range(1, _CANDIDATES)])
    social_insurance = _unused("social_insurance_number",
                               [f"{province[-2:]}{n:08d}" for n in range(1, _CANDIDATES)])
    row["ma_the_bhyt"] = f"HN2{province[-2:]}{social_insurance}" if social_insurance else ""
    return row


def template_csv(commune: OrgUnit) -> bytes:
    """The header row and the example row, as UTF-8 CSV with a byte-order mark (Excel opens it correctly)."""
    out = io.StringIO()
    writer = csv.writer(out)
    row = example_row(commune)
    writer.writerow([c.key for c in COLUMNS])
    writer.writerow([row[c.key] for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
