"""The ranked name search: the issue's examples, typo tolerance, rarity, birth filters, village, merged records."""

import datetime

import pytest

from ytcs.accounts.models import Role
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent
from ytcs.people.search import WordStats, edits1, name_score, rank_by_name, within_one_edit, word_matches
from ytcs.people.selectors import resident_search
from ytcs.web.tests.factories import ResidentFactory, UserFactory, unit_tree


def search(actor, query, **options):
    """``resident_search`` as ``actor`` acting from a page."""
    return resident_search(context=AuditContext(actor=actor), query=query, **options)


pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return unit_tree()


@pytest.fixture
def nurse(units):
    return UserFactory(role=Role.STATION_STAFF, org_unit=units["commune_a"])


@pytest.fixture
def crowd(units):
    """Nguyễn Văn An among namesakes and near-namesakes."""
    v = units["village_a"]
    target = ResidentFactory(village=v, family_name="Nguyễn", middle_name="Văn", given_name="An",
                             birth_date=datetime.date(1980, 5, 17))
    for family, middle, given in [("Nguyễn", "Văn", "Anh"), ("Nguyễn", "An", "Bình"), ("Lê", "Văn", "An"),
                                  ("Nguyễn", "Thị", "Lan"), ("Trần", "Văn", "Ân"), ("Nguyễn", "Văn", "Anh Tuấn")]:
        ResidentFactory(village=v, family_name=family, middle_name=middle, given_name=given,
                        birth_date=datetime.date(1985, 1, 2))
    return target


@pytest.mark.parametrize("query", ["nguyen van an", "Nguyễn Văn An", "An Nguyen", "an van nguyen",
                                   "Nguyen Van Ann", "nguyen van an 1980", "Nguyen Van Ann 17/05/1980",
                                   "ngyuen van an"])
def test_issue_examples_rank_nguyen_van_an_first(nurse, crowd, query):
    results = search(nurse, query)
    assert results.page[0].pk == crowd.pk, [r.full_name for r in results.page]


def test_exact_name_beats_typo_variants_and_longer_names(nurse, crowd):
    names = [r.full_name for r in search(nurse, "nguyen van anh").page]
    assert names[0] == "Nguyễn Văn Anh"
    assert {"Nguyễn Văn Anh Tuấn", "Nguyễn Văn An"} <= set(names)  # a longer name; one edit away from "anh"
    names = [r.full_name for r in search(nurse, "nguyen van an").page]
    assert names[0] == "Nguyễn Văn An"
    assert "Nguyễn Thị Lan" not in names  # "an" is too short for typo variants: it never matches "lan"


def test_nguyen_plus_birth_year_finds_the_person(nurse, crowd):
    results = search(nurse, "nguyen 1980")
    assert [r.pk for r in results.page] == [crowd.pk]


def test_a_missing_middle_name_still_finds_the_person(nurse, crowd):
    results = search(nurse, "nguyen xuan an 1980")
    assert [r.pk for r in results.page] == [crowd.pk]


def test_village_narrows_the_search(units, nurse, crowd):
    assert search(nurse, "nguyen van an", village="giang").total >= 1
    assert search(nurse, "nguyen van an", village="khong co thon nay").total == 0
    event = AuditEvent.objects.filter(action="search").latest("pk")
    assert event.changes["village"] == "khong co thon nay"


def test_merged_registrations_are_not_found(nurse, crowd, units):
    ResidentFactory(village=units["village_a"], given_name="An", merged_into=crowd)
    assert [r.pk for r in search(nurse, "nguyen van an 1980").page] == [crowd.pk]


def test_identifier_search_is_exact_and_not_fuzzy(nurse, units):
    r = ResidentFactory(village=units["village_a"], cccd="004080000123", phone="0912345678")
    assert [x.pk for x in search(nurse, "004080000123").page] == [r.pk]
    assert search(nurse, "004080000124").total == 0
    assert [x.pk for x in search(nurse, "0912 345 678").page] == [r.pk]
    assert "0912345678" not in str(AuditEvent.objects.filter(action="search").values_list("changes", flat=True))


def test_province_admin_with_override_searches_every_commune(units, crowd):
    ResidentFactory(village=units["village_b"], family_name="Nguyễn", middle_name="Văn", given_name="An",
                    birth_date=datetime.date(1990, 1, 1))
    provincial = UserFactory(role=Role.PROVINCIAL, org_unit=units["province"], may_open_records=True)
    nurse_b = UserFactory(role=Role.STATION_STAFF, org_unit=units["commune_b"])
    assert search(provincial, "an nguyen 1980").total == 1
    assert sum(r.full_name == "Nguyễn Văn An" for r in search(provincial, "an nguyen").page) == 2
    assert all(r.commune_id == units["commune_b"].pk for r in search(nurse_b, "an nguyen").page)


def test_the_rank_is_capped_and_says_so(units):
    for i in range(5):
        ResidentFactory(village=units["village_a"], middle_name=f"Văn{i}")
    from ytcs.people.models import Resident

    ranked = rank_by_name(Resident.objects.all(), ["nguyen"], cap=3)
    assert ranked.capped and ranked.total == 3


def test_rare_given_names_weigh_more_than_common_ones():
    stats = WordStats({"nguyen": 400, "van": 300, "an": 50, "khue": 1}, 1000)
    assert name_score(["nguyen", "khue"], ["nguyen", "van", "khue"], stats) > \
        name_score(["nguyen", "an"], ["nguyen", "van", "an"], stats)


@pytest.mark.parametrize(("a", "b", "near"), [
    ("nguyen", "nguyen", True), ("ngyuen", "nguyen", True), ("nguyn", "nguyen", True), ("nguyenn", "nguyen", True),
    ("nguyen", "nguyet", True), ("an", "anh", True), ("nguyen", "ngyuet", False), ("an", "lan", True),
    ("hoa", "hoang", False),
])
def test_within_one_edit_matches_the_edit_set(a, b, near):
    assert within_one_edit(a, b) is near
    assert (b in edits1(a) or a == b) is near


def test_a_doubled_letter_is_a_closer_typo_than_another_letter():
    assert word_matches("ann", "an") > word_matches("ann", "anh") > 0
    assert word_matches("an", "lan") == 0  # two-letter words are matched exactly
