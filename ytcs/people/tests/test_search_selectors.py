"""Resident search, counts and the resident page's data, against the scope and the audit trail."""

import datetime

import pytest
from django.http import Http404

from ytcs.accounts.models import Role
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent, AuditSubject
from ytcs.people.selectors import (
    BhytStatus,
    QueryKind,
    bhyt_status,
    commune_table,
    parse_query,
    resident_counts,
    resident_detail,
    resident_search,
)
from ytcs.web.tests.factories import HouseholdFactory, ResidentFactory, UserFactory, unit_tree


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


def names(results):
    return [r.full_name for r in results.page]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("001084000999", QueryKind.CCCD, "001084000999"),
        ("001 084 000 999", QueryKind.CCCD, "001084000999"),
        ("0912345678", QueryKind.BHXH_OR_PHONE, "0912345678"),
        ("0912.345.678", QueryKind.BHXH_OR_PHONE, "0912345678"),
        ("+84912345678", QueryKind.PHONE, "0912345678"),
        ("gd4041234567890", QueryKind.BHYT, "GD4041234567890"),
        ("12345", QueryKind.UNKNOWN_NUMBER, ""),
        ("123", QueryKind.UNKNOWN_NUMBER, ""),
        ("1850", QueryKind.UNKNOWN_NUMBER, ""),  # four digits but no plausible birth year (a house number, a code)
        ("2100", QueryKind.UNKNOWN_NUMBER, ""),
        ("0012", QueryKind.UNKNOWN_NUMBER, ""),
        ("2003", QueryKind.BIRTH, ""),
        ("17.05.1980", QueryKind.BIRTH, ""),
        ("   ", QueryKind.EMPTY, ""),
        ("Nguyễn Văn  An", QueryKind.NAME, "nguyen van an"),
    ],
)
def test_parse_query_recognises_each_kind(text, kind, value):
    parsed = parse_query(text)
    assert parsed.kind == kind
    assert parsed.value == value


def test_parse_query_takes_a_four_digit_token_as_birth_year():
    parsed = parse_query("an nguyen 1980")
    assert parsed.tokens == ("an", "nguyen")
    assert parsed.birth_year == 1980


@pytest.mark.parametrize(
    ("text", "tokens", "year", "ignored"),
    [
        ("an 2003", ("an",), 2003, ()),
        ("2003 an", ("an",), 2003, ()),
        ("an 17/05/1980", ("an",), 1980, ()),
        ("an 1980 1981", ("an",), 1980, ("1981",)),  # one birth year is used; the other is said to be ignored
        ("nguyen van an 12", ("nguyen", "van", "an"), None, ("12",)),  # a village or house number
        ("nguyen, van an", ("nguyen", "van", "an"), None, ()),
        ("an 2100", ("an",), None, ("2100",)),
    ],
)
def test_parse_query_separates_names_birth_and_stray_numbers(text, tokens, year, ignored):
    parsed = parse_query(text)
    assert (parsed.kind, parsed.tokens, parsed.birth_year, parsed.ignored) == (QueryKind.NAME, tokens, year, ignored)
    assert not parsed.carries_identifier


def test_parse_query_keeps_no_identifier_typed_beside_a_name():
    parsed = parse_query("nguyen van an 0912 345 678")
    assert parsed.kind == QueryKind.NAME and parsed.tokens == ("nguyen", "van", "an")
    assert parsed.ignored == () and parsed.ignored_identifier and parsed.carries_identifier


def test_parse_query_takes_a_year_or_a_date_alone_as_a_birth_filter():
    assert (parse_query("2003").birth_year, parse_query("2003").birth_date) == (2003, None)
    assert parse_query("17/05/1980").birth_date == datetime.date(1980, 5, 17)
    assert not parse_query("2003").kind.is_identifier


def test_a_birth_year_alone_lists_everyone_in_scope_born_that_year_paginated_and_audited(units, nurse):
    for i in range(27):
        ResidentFactory(village=units["village_a"], given_name=f"Bình{i:02d}", birth_date=datetime.date(2003, 1, 2))
    ResidentFactory(village=units["village_a"], birth_date=datetime.date(2004, 1, 2))
    ResidentFactory(village=units["village_b"], birth_date=datetime.date(2003, 1, 2))  # another commune
    first = search(nurse, "2003")
    second = search(nurse, "2003", page=2)
    assert first.query.kind == QueryKind.BIRTH
    assert (first.total, len(first.page), len(second.page)) == (27, 25, 2)
    assert {r.birth_year for r in [*first.page, *second.page]} == {2003}
    assert names(first)[:2] == ["Nguyễn Văn Bình00", "Nguyễn Văn Bình01"]
    event = AuditEvent.objects.filter(action="search").latest("pk")
    assert event.changes == {"query_kind": "birth", "page": 2, "results": 27}
    assert set(AuditSubject.objects.filter(event=event).values_list("resident_id", flat=True)) == {
        r.pk for r in second.page
    }


def test_a_birth_date_alone_lists_everyone_born_that_day(units, nurse):
    born = ResidentFactory(village=units["village_a"], birth_date=datetime.date(1980, 5, 17))
    ResidentFactory(village=units["village_a"], birth_date=datetime.date(1980, 5, 18))
    assert [r.pk for r in search(nurse, "17.05.1980").page] == [born.pk]


def test_a_word_that_matched_nobody_is_reported_and_the_other_words_are_searched(units, nurse):
    v = units["village_a"]
    ResidentFactory(village=v, family_name="Nguyễn", middle_name="Văn", given_name="Bình")
    ResidentFactory(village=v, family_name="Nguyễn", middle_name="Văn", given_name="Chung")
    results = search(nurse, "nguyen van an")
    assert results.unmatched == ("an",)
    assert results.searched == ("nguyen", "van") and not results.partial
    assert names(results) == ["Nguyễn Văn Bình", "Nguyễn Văn Chung"]
    assert search(nurse, "nguyen van binh").unmatched == ()


def test_when_nobody_has_every_word_the_results_say_each_lacks_one_and_the_given_name_ranks_first(units, nurse):
    v = units["village_a"]
    for i in range(6):  # "Văn" is common here, "Nguyễn" rare: by word rarity alone Nguyễn An Bình would lead
        ResidentFactory(village=v, family_name="Hoàng", middle_name="Văn", given_name=f"Khải{i}")
    ResidentFactory(village=v, family_name="Nguyễn", middle_name="An", given_name="Bình")
    ResidentFactory(village=v, family_name="Trần", middle_name="Văn", given_name="An")
    ResidentFactory(village=v, family_name="Nguyễn", middle_name="Văn", given_name="Bình")
    results = search(nurse, "nguyen van an")
    assert results.partial and results.unmatched == ()
    assert names(results)[0] == "Trần Văn An"
    assert set(names(results)) == {"Trần Văn An", "Nguyễn An Bình", "Nguyễn Văn Bình"}


def test_a_given_name_typed_first_still_ranks_the_exact_name_above_a_near_spelling(units, nurse):
    v = units["village_a"]
    ResidentFactory(village=v, family_name="Hoàng", middle_name="Minh", given_name="Hải")  # "linh" ~ "minh"
    ResidentFactory(village=v, family_name="Hoàng", middle_name="Hải", given_name="Linh")
    assert names(search(nurse, "linh hoang hai")) == ["Hoàng Hải Linh", "Hoàng Minh Hải"]
    assert names(search(nurse, "hoang hai linh")) == ["Hoàng Hải Linh", "Hoàng Minh Hải"]


def test_words_found_only_as_near_spellings_are_reported(units, nurse):
    ResidentFactory(village=units["village_a"], family_name="Nguyễn", middle_name="Văn", given_name="Anh")
    results = search(nurse, "nguyen van ann")
    assert names(results) == ["Nguyễn Văn Anh"]
    assert results.approximated == ("ann",) and results.unmatched == ()


def test_a_word_left_out_of_partial_results_is_not_called_a_near_spelling(units, nurse):
    ResidentFactory(village=units["village_a"], family_name="Nguyễn", middle_name="Văn", given_name="Bình")
    ResidentFactory(village=units["village_a"], family_name="Hoàng", middle_name="Thị", given_name="Khuê")
    results = search(nurse, "nguyen van khue")
    assert names(results) == ["Nguyễn Văn Bình"]
    assert results.partial and results.unmatched == () and results.approximated == ()


def test_name_search_ignores_diacritics_and_word_order(units, nurse):
    village = units["village_a"]
    ResidentFactory(village=village, family_name="Nguyễn", middle_name="Văn", given_name="An")
    ResidentFactory(village=village, family_name="Trần", middle_name="Thị", given_name="Lan")
    for query in ("nguyen van an", "Nguyễn Văn An", "an nguyen", "NGUYEN an"):
        assert names(search(nurse, query)) == ["Nguyễn Văn An"], query


def test_name_search_matches_whole_words_not_fragments(units, nurse):
    ResidentFactory(village=units["village_a"], family_name="Hoàng", middle_name="Thị", given_name="Lan")
    assert search(nurse, "an").total == 0


def test_name_search_ranks_exact_then_given_name_then_alphabetical(units, nurse):
    v = units["village_a"]
    ResidentFactory(village=v, family_name="Nguyễn", middle_name="An", given_name="Bình")
    ResidentFactory(village=v, family_name="Lê", middle_name="Văn", given_name="An")
    ResidentFactory(village=v, family_name="Nguyễn", middle_name="Văn", given_name="An")
    ResidentFactory(village=v, family_name="Đỗ", middle_name="Văn", given_name="An")
    assert names(search(nurse, "an")) == [
        "Đỗ Văn An", "Lê Văn An", "Nguyễn Văn An", "Nguyễn An Bình",
    ]
    assert names(search(nurse, "nguyen van an"))[0] == "Nguyễn Văn An"


def test_name_search_narrows_by_birth_year(units, nurse):
    v = units["village_a"]
    ResidentFactory(village=v, birth_date=datetime.date(1980, 1, 2))
    ResidentFactory(village=v, birth_date=datetime.date(1990, 1, 2))
    results = search(nurse, "nguyen van an 1990")
    assert [r.birth_year for r in results.page] == [1990]


def test_identifier_searches_find_exact_matches(units, nurse):
    v = units["village_a"]
    a = ResidentFactory(village=v, cccd="004080000123", phone="0912345678", social_insurance_number="0412345678",
                        bhyt_card_number="GD4040412345678", given_name="Ánh")
    b = ResidentFactory(village=v, social_insurance_number="0912345678", given_name="Bảo")
    ResidentFactory(village=v, given_name="Cúc")
    assert [r.pk for r in search(nurse, "004080000123").page] == [a.pk]
    assert {r.pk for r in search(nurse, "0912345678").page} == {a.pk, b.pk}
    assert [r.pk for r in search(nurse, "GD4040412345678").page] == [a.pk]


def test_bhyt_card_code_also_finds_a_resident_stored_with_only_the_bhxh_number(units, nurse):
    r = ResidentFactory(village=units["village_a"], social_insurance_number="0412345678")
    assert [x.pk for x in search(nurse, "DN4790412345678").page] == [r.pk]


def test_search_never_returns_residents_outside_the_scope(units, nurse):
    ResidentFactory(village=units["village_b"], cccd="004080000999")
    assert search(nurse, "nguyen van an").total == 0
    assert search(nurse, "004080000999").total == 0


def test_provincial_user_without_override_finds_nobody(units):
    ResidentFactory(village=units["village_a"])
    provincial = UserFactory(role=Role.PROVINCIAL, org_unit=units["province"])
    assert search(provincial, "nguyen van an").total == 0


def test_search_is_paginated_by_25(units, nurse):
    for i in range(30):
        ResidentFactory(village=units["village_a"], given_name="An", middle_name=f"Văn{i:02d}")
    first = search(nurse, "an")
    second = search(nurse, "an", page=2)
    assert (first.total, len(first.page), len(second.page)) == (30, 25, 5)


def test_search_audit_names_every_shown_resident_and_keeps_no_identifier(units, nurse):
    r = ResidentFactory(village=units["village_a"], cccd="004080000123")
    search(nurse, "004080000123")
    event = AuditEvent.objects.get(action="search")
    assert event.actor == nurse
    assert event.changes["query_kind"] == "cccd"
    assert "004080000123" not in str(event.changes)
    assert list(AuditSubject.objects.filter(event=event).values_list("resident_id", flat=True)) == [r.pk]


def test_resident_detail_is_404_outside_scope_and_audited_inside(units, nurse):
    own = ResidentFactory(village=units["village_a"])
    other = ResidentFactory(village=units["village_b"])
    with pytest.raises(Http404):
        resident_detail(context=AuditContext(actor=nurse), pk=other.pk)
    detail = resident_detail(context=AuditContext(actor=nurse), pk=own.pk)
    assert detail.resident == own
    assert AuditEvent.objects.filter(action="view", resource_id=str(own.pk)).count() == 1


def test_resident_detail_lists_household_members_and_audits_them(units, nurse):
    household = HouseholdFactory(village=units["village_a"])
    head = ResidentFactory(village=units["village_a"], household=household, given_name="Hùng")
    child = ResidentFactory(village=units["village_a"], household=household, given_name="Minh",
                            birth_date=datetime.date(2015, 3, 1))
    detail = resident_detail(context=AuditContext(actor=nurse), pk=head.pk)
    assert detail.household_members == [child]
    event = AuditEvent.objects.get(action="view")
    assert set(event.subjects.values_list("resident_id", flat=True)) == {head.pk, child.pk}


def test_identifiers_are_full_for_capture_users_and_masked_for_others(units, nurse):
    r = ResidentFactory(village=units["village_a"])
    admin = UserFactory(role=Role.SYSTEM_ADMIN, org_unit=units["country"])
    r.cccd = "004080000123"
    assert resident_detail(context=AuditContext(actor=nurse), pk=r.pk).masker("cccd", r.cccd) == "004080000123"
    assert resident_detail(context=AuditContext(actor=admin), pk=r.pk).masker("cccd", r.cccd) == "••••••••0123"


@pytest.mark.parametrize(
    ("card", "valid_from", "valid_to", "status"),
    [
        ("", None, None, BhytStatus.NONE),
        ("GD4040412345678", None, None, BhytStatus.UNKNOWN),
        ("GD4040412345678", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), BhytStatus.VALID),
        ("GD4040412345678", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), BhytStatus.EXPIRED),
        ("GD4040412345678", datetime.date(2027, 1, 1), datetime.date(2027, 12, 31), BhytStatus.NOT_YET_VALID),
    ],
)
def test_bhyt_status(card, valid_from, valid_to, status):
    from ytcs.people.models import Resident

    r = Resident(bhyt_card_number=card, bhyt_valid_from=valid_from, bhyt_valid_to=valid_to)
    assert bhyt_status(r, on=datetime.date(2026, 12, 31)) == status


def test_counts_cover_the_aggregate_scope(units, nurse):
    h = HouseholdFactory(village=units["village_a"])
    ResidentFactory(village=units["village_a"], household=h)
    ResidentFactory(village=units["village_a"], date_of_death=datetime.date(2024, 1, 1))
    ResidentFactory(village=units["village_b"])
    provincial = UserFactory(role=Role.PROVINCIAL, org_unit=units["province"])
    assert resident_counts(actor=nurse) == resident_counts(actor=nurse).__class__(residents=1, households=1)
    assert resident_counts(actor=provincial).residents == 2
    rows = commune_table(actor=provincial)
    assert [(r.name, r.residents, r.households) for r in rows] == [("Hoà An", 1, 1), ("Nguyên Bình", 1, 0)]


def test_search_and_resident_page_queries_do_not_grow_with_results(units, nurse):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    household = HouseholdFactory(village=units["village_a"])
    first = ResidentFactory(village=units["village_a"], household=household)

    def count(action):
        with CaptureQueriesContext(connection) as ctx:
            action()
        return len(ctx.captured_queries)

    def find():
        list(search(nurse, "nguyen van an").page)

    def detail():
        resident_detail(context=AuditContext(actor=nurse), pk=first.pk)

    find()  # the first search of a process also reads the word statistics (people.search.word_stats)
    few = (count(find), count(detail))
    for _ in range(8):
        ResidentFactory(village=units["village_a"], household=household)
    assert (count(find), count(detail)) == few
