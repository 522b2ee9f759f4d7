"""The detector on one realistic error at a time, and on namesakes who are other people (docs/search-dedup.md).

Each re-registration below differs from the original by one of the error kinds of bench/dedup_errors.py;
the copy has no phone and lives in another household of the same village, so the name and the birth
date have to carry it.
"""

import datetime

import pytest

from ytcs.core.text import fold
from ytcs.people.dedup.names import sound_key, untelex
from ytcs.people.dedup.scoring import POINTS, REASON_LABELS, Person, score_pair
from ytcs.synth.people.data import names

BORN = datetime.date(1980, 5, 7)
PHONE = "0912345678"


def registration(pk, name="Nguyễn Văn Trường", born=BORN, *, sex="M", household=None, village=10, phone="",
                 cccd=None):
    return Person(pk, 1, village, household, fold(name), sex, born, cccd, None, "", phone)


ORIGINAL = registration(1, household=5, phone=PHONE)


def level(copy, original=ORIGINAL):
    return score_pair(original, copy, given_share=lambda _: 0.02).level


@pytest.mark.parametrize(("kind", "copy"), [
    ("no_error", registration(2)),
    ("no_diacritics", registration(2, "Nguyen Van Truong")),
    ("diacritic_slip", registration(2, "Nguyển Văn Trường")),
    ("given_typo", registration(2, "Nguyễn Văn Tường")),
    ("given_typo_neighbour_key", registration(2, "Nguyễn Văn Trườnh")),
    ("family_typo", registration(2, "Ngyuễn Văn Trường")),
    ("telex_residue", registration(2, "Nguyeenx Văn Trường")),
    ("spelling_variant", registration(2, "Nguyễn Văn Chường")),
    ("middle_omitted", registration(2, "Nguyễn Trường")),
    ("middle_changed", registration(2, "Nguyễn Đức Trường")),
    ("given_first", registration(2, "Trường Nguyễn Văn")),
    ("family_given_swapped", registration(2, "Trường Văn Nguyễn")),
    ("day_month_swapped", registration(2, born=datetime.date(1980, 7, 5))),
    ("birth_year_off_by_one", registration(2, born=datetime.date(1981, 5, 7))),
    ("birth_year_off_by_one_down", registration(2, born=datetime.date(1979, 5, 7))),
])
def test_a_re_registration_with_one_error_scores_as_likely(kind, copy):
    assert level(copy) == "likely", score_pair(ORIGINAL, copy, given_share=lambda _: 0.02)


@pytest.mark.parametrize(("kind", "copy", "alone", "corroborated"), [
    # Only the year known, one digit of the day mistyped, the year counted from the age: the date says little,
    # so the pair waits as "possible" until the same phone (or household) backs it.
    ("year_only", registration(2, born=datetime.date(1980, 1, 1)), "possible", {"phone": PHONE}),
    ("date_digit_typo", registration(2, born=datetime.date(1980, 5, 8)), "possible", {"phone": PHONE}),
    ("age_reckoning", registration(2, born=datetime.date(1979, 1, 1)), "possible",
     {"phone": PHONE, "household": 5}),
])
def test_a_weak_birth_date_needs_a_second_sign(kind, copy, alone, corroborated):
    assert level(copy) == alone
    backed = registration(2, born=copy.birth_date, **corroborated)
    assert level(backed) == "likely"


@pytest.mark.parametrize(("kind", "other"), [
    ("same name and year, another day", registration(2, born=datetime.date(1980, 11, 23), phone="0987654321")),
    ("same name and year, another day, a rare name", registration(2, "Nguyễn Văn Trường",
                                                                  born=datetime.date(1980, 10, 30))),
    ("same name, one year apart, another day", registration(2, born=datetime.date(1981, 11, 23))),
    ("same name, three years apart", registration(2, born=datetime.date(1983, 2, 14))),
    ("twin: same household, date and phone, another given name", registration(2, "Nguyễn Văn Hùng", household=5,
                                                                               phone=PHONE)),
    ("same name and date, both have a CCCD and they differ", registration(2, cccd="004080000999")),
])
def test_a_namesake_who_is_another_person_is_not_proposed(kind, other):
    original = registration(1, household=5, phone=PHONE, cccd="004080000123" if other.cccd else None)
    for share in (0.02, 0.0005):  # a common and a rare given name
        assert score_pair(original, other, given_share=lambda _, s=share: s).level is None, kind


def test_twins_are_not_a_name_order_swap():
    """A swap reads both names crosswise; it may not pair one twin's given name with the other's family name."""
    a = registration(1, "Vàng Thị Pàng", household=5, phone=PHONE, sex="F")
    b = registration(2, "Vàng Thị Dở", household=5, phone=PHONE, sex="F")
    scored = score_pair(a, b)
    assert scored.level is None
    assert "name_order_swapped" not in dict(scored.reasons)


def test_telex_residue_is_undone_and_real_name_words_are_left_alone():
    assert [untelex(w) for w in ("nguyeenx", "hoaf", "dduwcs", "thij", "suwowng", "vawn")] == [
        "nguyen", "hoa", "duc", "thi", "suong", "van"]
    words = {fold(word) for tradition in names().values() for part in tradition.values()
             for entries in (part.values() if isinstance(part, dict) else [part])
             for entry in entries for word in str(entry[0]).split()}
    assert len(words) > 150
    assert {w for w in words if untelex(w) != w} == set()


def test_names_that_sound_alike_share_a_key():
    pairs = [("trang", "chang"), ("suong", "xuong"), ("giang", "dang"), ("lan", "nan"), ("an", "ang"),
             ("phuc", "phut"), ("vy", "vi"), ("ky", "ki"), ("dung", "rung")]
    assert all(sound_key(a) == sound_key(b) for a, b in pairs)
    assert sound_key("nguyen") != sound_key("luyen") and sound_key("mai") != sound_key("may")


def test_every_reason_has_a_label():
    assert set(POINTS) <= set(REASON_LABELS)
