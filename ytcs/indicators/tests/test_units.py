"""``UNIT_CODE``: a bare code names a unit of the current map, ``old:CODE`` one of 30 June 2025; no guessing."""

import pytest

from ytcs.core.errors import DomainError
from ytcs.indicators.units import resolve_unit


@pytest.mark.parametrize(("code", "name", "old"), [
    ("VN", "Việt Nam", False),
    ("98", "Tỉnh P", False),  # the current province ...
    ("old:98", "Tỉnh Q (cũ)", True),  # ... and the old one that had the same code
    ("98001", "Xã A", False),  # the current commune ...
    ("old:98001", "Xã O3 (cũ)", True),  # ... and a different old commune with the same code
    ("old:980", "Huyện D (cũ)", True),
    ("98001-02", "Thôn a2", False),
    ("old:VN", "Việt Nam", True),
])
def test_codes_name_one_unit(province, code, name, old):
    ref = resolve_unit(code)
    assert (ref.unit.name, ref.old, ref.code) == (name, old, code)


def test_the_territory_of_a_current_unit_includes_the_old_units_that_became_it(province):
    ref = resolve_unit("98002")
    units = set(ref.fact_units().values_list("unit_id", flat=True))
    assert units == {province.b.pk, province.b1.pk, province.o2.pk, province.o3.pk, province.d.pk}
    old = resolve_unit("old:98012")
    assert set(old.fact_units().values_list("pk", flat=True)) == {province.o2.pk}


@pytest.mark.parametrize(("code", "error"), [
    ("99", "ambiguous_unit"),  # province Z and a village coded 99
    ("98099", "unknown_unit"),
    ("98011", "unknown_unit"),  # an old code asked bare
    ("old:98001-01", "unknown_unit"),  # villages are current units
    ("", "unknown_unit"),
    ("98 001", "unknown_unit"),
    ("98\x00", "unknown_unit"),  # never reaches the database
    ("old:", "unknown_unit"),
    ("x" * 30, "unknown_unit"),
])
def test_unknown_and_ambiguous_codes_are_refused(province, code, error):
    with pytest.raises(DomainError) as refused:
        resolve_unit(code, field="unit")
    (problem,) = refused.value.errors
    assert (problem.field, problem.code) == ("unit", error)
