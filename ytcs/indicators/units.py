"""``UNIT_CODE``: which unit an indicator is asked for, and whose records count toward it.

A bare code names a unit of the *current* map: ``VN``, a 2-digit province, a 5-digit commune or a village
code. Its figures for every period — also before 1 July 2025 — are those of its current territory: records
made against the old units that became (part of) it count through the crosswalk (``OrgUnitRollup``).

``old:CODE`` names a unit of the map in force on 30 June 2025 (an old province, district or commune) and is
reported for its own territory: what was recorded against it and the units under it, for periods that end
before it was abolished. A bare code must mean one thing: 3,316 current commune codes are also old codes
(2,145 of them naming a different commune) and seven province codes changed meaning, hence the prefix.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ytcs.core.errors import DomainError
from ytcs.orgunits.models import OrgUnit, OrgUnitRollup
from ytcs.orgunits.selectors import valid_at

OLD_PREFIX = "old:"
OLD_MAP_DAY = dt.date(2025, 6, 30)  # the last day of the 63-province map
_CODE = re.compile(r"[0-9A-Za-z._-]{1,20}")


@dataclass(frozen=True)
class UnitRef:
    """A resolved ``UNIT_CODE``: the unit, whether it was asked as an old unit, and the code as given."""

    code: str
    unit: OrgUnit
    old: bool

    def fact_units(self) -> QuerySet:
        """The ids of the units whose records may count toward this unit, as a subquery.

        Current unit: every unit (of any era) that rolls up into its subtree. Old unit: its own subtree.
        """
        if self.old:
            return OrgUnit.objects.filter(path__startswith=self.unit.path).values("pk")
        return OrgUnitRollup.objects.filter(current_unit__path__startswith=self.unit.path).values("unit_id")

    def covers_day(self, day: dt.date) -> bool:
        """Whether the unit's own territory existed on ``day`` (always, for a current unit)."""
        return not self.old or self.unit.valid_to is None or day < self.unit.valid_to


def _level_name(unit: OrgUnit) -> str:
    return str(OrgUnit.Level(unit.level).label).lower()


def resolve_unit(code: str, *, field: str = "unit") -> UnitRef:
    """The unit ``code`` names (see the module docstring); :class:`DomainError` when unknown or ambiguous."""
    text = code if isinstance(code, str) else ""
    old = text.startswith(OLD_PREFIX)
    bare = text[len(OLD_PREFIX):] if old else text
    if not _CODE.fullmatch(bare):
        raise DomainError.one(field, "unknown_unit", _(
            "Mã đơn vị “%(code)s” không hợp lệ: hãy viết VN, mã tỉnh 2 chữ số, mã xã 5 chữ số hoặc mã thôn của bản "
            "đồ hiện hành; đơn vị cũ (trước 01/07/2025) viết old:MÃ."
        ) % {"code": text[:40]})
    units = OrgUnit.objects.filter(code=bare)
    units = units.filter(valid_at(OLD_MAP_DAY)) if old else units.filter(valid_to__isnull=True)
    found = list(units.order_by("level", "pk")[:5])
    if len(found) > 1:
        names = ", ".join(f"{u.name} ({_level_name(u)})" for u in found)
        raise DomainError.one(field, "ambiguous_unit", _(
            "Mã đơn vị “%(code)s” trùng với nhiều đơn vị: %(names)s. Không thể biết bạn hỏi đơn vị nào."
        ) % {"code": text, "names": names})
    if found:
        return UnitRef(code=text, unit=found[0], old=old)
    if old:
        message = _("Không có đơn vị nào mang mã “%(code)s” trên bản đồ hành chính ngày 30/06/2025.")
    elif OrgUnit.objects.filter(valid_at(OLD_MAP_DAY), code=bare).exists():
        message = _(
            "Mã “%(code)s” không phải một đơn vị hiện hành; để hỏi đơn vị cũ (trước 01/07/2025) hãy viết old:%(code)s."
        )
    else:
        message = _("Không có đơn vị hiện hành nào mang mã “%(code)s”.")
    raise DomainError.one(field, "unknown_unit", message % {"code": bare})
