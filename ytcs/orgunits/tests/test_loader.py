from collections import Counter, defaultdict

import pytest
from django.db.models import Sum

from ytcs.orgunits.csvio import CsvImportError
from ytcs.orgunits.loader import LEGACY_VALID_FROM, REORGANISATION_DATE, orgunits_load
from ytcs.orgunits.models import OrgUnit, OrgUnitRollup, OrgUnitSuccession
from ytcs.orgunits.services import succession_weights_load

Level = OrgUnit.Level


def _expected_counts(ds, new_codes):
    old_provinces = {c for c, n in ds.province_successor.items() if n in new_codes}
    old_districts = {c for c, d in ds.old_districts.items() if d.parent_code in old_provinces}
    return Counter({
        (Level.COUNTRY, None): 1,
        (Level.PROVINCE, LEGACY_VALID_FROM): len(old_provinces),
        (Level.DISTRICT, LEGACY_VALID_FROM): len(old_districts),
        (Level.COMMUNE, LEGACY_VALID_FROM): sum(1 for r in ds.old_communes.values() if r.parent_code in old_districts),
        (Level.PROVINCE, REORGANISATION_DATE): len(new_codes),
        (Level.COMMUNE, REORGANISATION_DATE): sum(1 for r in ds.new_communes.values() if r.parent_code in new_codes),
    })


def test_slice_loads_both_eras_with_dataset_counts(three_provinces, dataset):
    stored = Counter(
        (level, None if level == Level.COUNTRY else valid_from)
        for level, valid_from in OrgUnit.objects.values_list("level", "valid_from")
    )
    assert stored == _expected_counts(dataset, {"04", "15", "22"})
    assert not OrgUnit.objects.filter(level=Level.DISTRICT, valid_to__isnull=True).exists()
    assert three_provinces.units.created == sum(stored.values())


def test_current_communes_hang_under_provinces_and_old_ones_under_districts(three_provinces):
    new = OrgUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True).select_related("parent")
    old = OrgUnit.objects.filter(level=Level.COMMUNE, valid_to=REORGANISATION_DATE).select_related("parent")
    assert {c.parent.level for c in new} == {Level.PROVINCE}
    assert {c.parent.level for c in old} == {Level.DISTRICT}
    assert {c.parent.valid_to for c in old} == {REORGANISATION_DATE}


def test_paths_are_parent_path_plus_own_pk(three_provinces):
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    for pk, parent in OrgUnit.objects.values_list("pk", "parent_id"):
        assert paths[pk] == f"{paths[parent] if parent else '/'}{pk}/"


def test_second_load_changes_nothing(three_provinces, dataset):
    before = (OrgUnit.objects.count(), OrgUnitSuccession.objects.count(), OrgUnitRollup.objects.count())
    again = orgunits_load(provinces=["04", "15", "22"], dataset=dataset)
    assert not again.changed
    assert again.units.unchanged == before[0]
    assert (OrgUnit.objects.count(), OrgUnitSuccession.objects.count(), OrgUnitRollup.objects.count()) == before


def test_province_names_of_either_era_select_the_current_province(db, dataset):
    report = orgunits_load(provinces=["Yên Bái"], dataset=dataset)
    names = set(OrgUnit.objects.filter(level=Level.PROVINCE).values_list("name", flat=True))
    assert names == {"Tỉnh Lào Cai", "Tỉnh Yên Bái"}
    assert report.units.created > 0
    with pytest.raises(ValueError, match="Atlantis"):
        orgunits_load(provinces=["Atlantis"], dataset=dataset)


def test_every_predecessor_weights_sum_to_one(three_provinces):
    sums = OrgUnitSuccession.objects.values("predecessor").annotate(total=Sum("weight"))
    assert sums.count() == OrgUnit.objects.filter(valid_to=REORGANISATION_DATE).count()
    assert all(abs(row["total"] - 1) < 1e-9 for row in sums)
    rollups = OrgUnitRollup.objects.values("unit").annotate(total=Sum("weight"))
    assert rollups.count() == OrgUnit.objects.count()
    assert all(abs(row["total"] - 1) < 1e-9 for row in rollups)


def test_split_commune_gets_equal_shares_marked_as_estimates(three_provinces, dataset):
    split = next(s for s in dataset.splits if len(s.new_codes) > 1 and s.old_level == "commune"
                 and dataset.old_districts[dataset.old_communes[s.old_code].parent_code].parent_code == "22")
    edges = OrgUnitSuccession.objects.filter(predecessor__code=split.old_code, predecessor__level=Level.COMMUNE,
                                             predecessor__valid_to__isnull=False)
    assert {e.successor.code for e in edges} == set(split.new_codes)
    assert {e.weight_source for e in edges} == {OrgUnitSuccession.WeightSource.EQUAL}
    assert {round(e.weight, 9) for e in edges} == {round(1 / len(split.new_codes), 9)}


def test_merged_and_unchanged_provinces_both_succeed_with_weight_one(three_provinces):
    new_lao_cai = OrgUnit.objects.get(level=Level.PROVINCE, code="15", valid_to__isnull=True)
    old = OrgUnitSuccession.objects.filter(successor=new_lao_cai).values_list("predecessor__name", "weight")
    assert sorted(old) == [("Tỉnh Lào Cai", 1.0), ("Tỉnh Yên Bái", 1.0)]
    cao_bang_old = OrgUnit.objects.get(level=Level.PROVINCE, code="04", valid_from=LEGACY_VALID_FROM)
    assert [(e.successor.code, e.weight) for e in cao_bang_old.successions.all()] == [("04", 1.0)]


def test_district_edges_are_derived_from_their_communes(three_provinces):
    district = OrgUnit.objects.filter(level=Level.DISTRICT, parent__code="22").first()
    communes = list(district.children.all())
    expected = defaultdict(float)
    for c in communes:
        for e in c.successions.all():
            expected[e.successor_id] += e.weight / len(communes)
    got = {e.successor_id: e.weight for e in district.successions.all()}
    assert got.keys() == expected.keys()
    assert all(abs(got[k] - expected[k]) < 1e-9 for k in got)


def _split_in_quang_ninh():
    edge = OrgUnitSuccession.objects.filter(weight_source="equal", predecessor__parent__parent__code="22").first()
    return edge.predecessor, sorted(e.successor.code for e in edge.predecessor.successions.all())


def test_official_weights_replace_estimates_and_survive_a_reload(three_provinces, dataset):
    old, new_codes = _split_in_quang_ninh()
    weights = [0.7] + [0.3 / (len(new_codes) - 1)] * (len(new_codes) - 1)
    text = "old_commune_code,new_commune_code,weight\n" + "".join(
        f"{old.code},{code},{w}\n" for code, w in zip(new_codes, weights, strict=True))
    succession_weights_load(csv_text=text)
    stored = {e.successor.code: (e.weight, e.weight_source) for e in old.successions.all()}
    assert stored[new_codes[0]] == (pytest.approx(0.7), OrgUnitSuccession.WeightSource.OFFICIAL)
    rollup = OrgUnitRollup.objects.get(unit=old, current_unit__code=new_codes[0], current_unit__valid_to__isnull=True)
    assert rollup.weight == pytest.approx(0.7)
    district_edge = old.parent.successions.get(successor__code=new_codes[0])
    siblings = old.parent.children.count()
    assert district_edge.weight == pytest.approx(sum(
        e.weight / siblings for c in old.parent.children.all() for e in c.successions.all()
        if e.successor.code == new_codes[0]))
    again = orgunits_load(provinces=["04", "15", "22"], dataset=dataset)
    assert not again.changed
    assert old.successions.get(successor__code=new_codes[0]).weight == pytest.approx(0.7)


def test_official_weights_file_errors(three_provinces):
    old, new_codes = _split_in_quang_ninh()
    header = "old_commune_code,new_commune_code,weight\n"
    cases = [
        (f"{old.code},{new_codes[0]},1\n", [(2, "new_commune_code")]),  # other successors missing
        ("".join(f"{old.code},{c},0.9\n" for c in new_codes), [(2, "weight")]),  # sum is not 1
        (f"99999,{new_codes[0]},1\n", [(2, "old_commune_code")]),
        (f"{old.code},ABCDE,1.5\n", [(2, "new_commune_code"), (2, "weight")]),
    ]
    for body, expected in cases:
        with pytest.raises(CsvImportError) as info:
            succession_weights_load(csv_text=header + body)
        assert [(e.line, e.column) for e in info.value.errors] == expected
    assert not OrgUnitSuccession.objects.filter(weight_source=OrgUnitSuccession.WeightSource.OFFICIAL).exists()
