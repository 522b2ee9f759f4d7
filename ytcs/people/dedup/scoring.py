"""Scoring a pair of registrations: a transparent points model (docs/search-dedup.md lists every weight).

Each piece of evidence adds or removes points and leaves a reason code, so the reviewer sees *why* a
pair was proposed. Names are compared on their folded words with Telex residue undone
(``dedup.names``): the family name is the first word, the given name the last, the rest is the middle
name; a pair is also tried with one side's family and given names swapped, or the given name written
first (registrations written "An Văn Nguyễn" or "An Nguyễn Văn"). A given name shared by many people
in the commune earns fewer points than a rare one.

The birth date weighs most, because it is what tells namesakes apart: two people of the same name in a
commune are often born the same year, almost never on the same day. So a full date that agrees, or
agrees but for a typical slip (day and month swapped, the year one off, one digit of the day or month),
earns many points, and two *known* dates of the same year that disagree otherwise count against the
pair. A date entered as 1 January is read as "only the year known": it neither agrees nor disagrees.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ytcs.people.dedup.models import CandidateLevel
from ytcs.people.dedup.names import comparable_words, sound_key
from ytcs.people.search import within_one_edit

LIKELY_THRESHOLD = 10.0
POSSIBLE_THRESHOLD = 7.0

POINTS = {
    "same_cccd": 10.0,
    "different_cccd": -8.0,
    "same_bhxh": 8.0,
    "different_bhxh": -6.0,
    "same_bhyt_card": 6.0,
    "same_phone": 2.0,
    "given_exact": 3.0,  # plus up to RARE_GIVEN_MAX for a rare given name
    "given_typo": 2.5,
    "given_sounds_alike": 2.5,
    "given_different": -6.0,
    "family_exact": 1.5,
    "family_typo": 1.0,
    "family_sounds_alike": 1.0,
    "family_different": -2.0,
    "middle_exact": 1.0,
    "middle_different": -0.5,
    "name_order_swapped": -0.5,
    "birth_date_same": 6.0,
    "birth_day_month_swapped": 5.0,
    "birth_year_off_by_one_same_day": 4.5,
    "birth_date_one_digit": 2.0,
    "birth_year_only": 2.0,
    "birth_year_same": -1.5,
    "birth_year_off_by_one_year_only": 0.0,
    "birth_year_off_by_one": -2.0,
    "birth_year_far": -5.0,
    "sex_different": -7.0,
    "same_household": 1.0,
    "same_village": 1.0,
    "different_commune": -1.0,
}
RARE_GIVEN_MAX = 1.5

REASON_LABELS = {
    "same_cccd": _("Cùng số CCCD"),
    "different_cccd": _("Khác số CCCD"),
    "same_bhxh": _("Cùng mã số BHXH"),
    "different_bhxh": _("Khác mã số BHXH"),
    "same_bhyt_card": _("Cùng mã thẻ BHYT"),
    "same_phone": _("Cùng số điện thoại"),
    "given_exact": _("Trùng tên"),
    "given_typo": _("Tên gần giống (khác một chữ cái)"),
    "given_sounds_alike": _("Tên đọc giống nhau, viết khác"),
    "given_different": _("Khác tên"),
    "family_exact": _("Trùng họ"),
    "family_typo": _("Họ gần giống"),
    "family_sounds_alike": _("Họ đọc giống nhau, viết khác"),
    "family_different": _("Khác họ"),
    "middle_exact": _("Trùng tên đệm"),
    "middle_different": _("Khác tên đệm"),
    "name_order_swapped": _("Họ và tên bị đảo thứ tự"),
    "birth_date_same": _("Trùng ngày sinh"),
    "birth_day_month_swapped": _("Ngày sinh đảo ngày/tháng"),
    "birth_year_off_by_one_same_day": _("Cùng ngày và tháng sinh, năm sinh lệch 1 năm"),
    "birth_date_one_digit": _("Ngày sinh khác một chữ số"),
    "birth_year_only": _("Cùng năm sinh (một bên chỉ ghi năm)"),
    "birth_year_same": _("Cùng năm sinh, khác ngày"),
    "birth_year_off_by_one_year_only": _("Năm sinh lệch 1 năm (một bên chỉ ghi năm)"),
    "birth_year_off_by_one": _("Năm sinh lệch 1 năm"),
    "birth_year_far": _("Năm sinh lệch nhiều"),
    "sex_different": _("Khác giới tính"),
    "same_household": _("Cùng hộ gia đình"),
    "same_village": _("Cùng thôn/bản"),
    "different_commune": _("Khác xã/phường"),
}


@dataclass(frozen=True)
class Person:
    """What the scorer needs of a resident (read with ``values_list``, never the full row)."""

    pk: int
    commune_id: int
    village_id: int | None
    household_id: int | None
    name_folded: str
    sex: str
    birth_date: datetime.date
    cccd: str | None
    social_insurance_number: str | None
    bhyt_card_number: str
    phone: str

    FIELDS = ("pk", "commune_id", "village_id", "household_id", "name_folded", "sex", "birth_date", "cccd",
              "social_insurance_number", "bhyt_card_number", "phone")

    @property
    def words(self) -> list[str]:
        return comparable_words(self.name_folded)


@dataclass(frozen=True)
class PairScore:
    points: float
    reasons: list[tuple[str, float]]

    @property
    def level(self) -> str | None:
        if self.points >= LIKELY_THRESHOLD:
            return CandidateLevel.LIKELY
        if self.points >= POSSIBLE_THRESHOLD:
            return CandidateLevel.POSSIBLE
        return None


def _parts(words: list[str]) -> tuple[str, str, str]:
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def _word_reason(a: str, b: str, kind: str) -> str:
    if a == b:
        return f"{kind}_exact"
    if within_one_edit(a, b) and min(len(a), len(b)) >= 2:
        return f"{kind}_typo"
    if sound_key(a) == sound_key(b):
        return f"{kind}_sounds_alike"
    return f"{kind}_different"


def _name_points(a: list[str], b: list[str], given_share: Callable[[str], float]) -> list[tuple[str, float]]:
    """The best of the straight and the family/given-swapped comparison."""
    best: list[tuple[str, float]] = []
    best_total = -math.inf
    family_a, middle_a, given_a = _parts(a)
    orders = [(b, False)]
    if len(b) > 1:
        orders += [([b[-1], *b[1:-1], b[0]], True),  # family and given swapped: "An Văn Nguyễn"
                   ([*b[1:], b[0]], True),  # written given name first: "An Nguyễn Văn"
                   ([b[-1], *b[:-1]], True)]  # the other way round
    for words_b, swapped in orders:
        if swapped and words_b == b:
            continue
        family_b, middle_b, given_b = _parts(words_b)
        reasons = []
        code = _word_reason(given_a, given_b, "given")
        points = POINTS[code]
        if code == "given_exact":
            share = max(given_share(given_a), 1e-6)
            points += min(RARE_GIVEN_MAX, max(0.0, -math.log10(share) - 1.0))
        reasons.append((code, points))
        if family_a and family_b:
            code = _word_reason(family_a, family_b, "family")
            if swapped and code == "family_different":
                continue  # a swap is a reading of *both* names crosswise, not a way to pair two others
            reasons.append((code, POINTS[code]))
        if middle_a and middle_b:
            code = "middle_exact" if middle_a == middle_b else "middle_different"
            reasons.append((code, POINTS[code]))
        if swapped:
            reasons.append(("name_order_swapped", POINTS["name_order_swapped"]))
        total = sum(p for _, p in reasons)
        if total > best_total:
            best, best_total = reasons, total
    return best


def _year_only(day: datetime.date) -> bool:
    """Registrations that knew only the year are entered as 1 January."""
    return day.month == 1 and day.day == 1


def _one_digit_apart(a: datetime.date, b: datetime.date) -> bool:
    """Day and month written "ddmm" differ in exactly one digit (17/05 and 18/05, 05/03 and 05/08)."""
    return sum(x != y for x, y in zip(f"{a.day:02d}{a.month:02d}", f"{b.day:02d}{b.month:02d}", strict=True)) == 1


def _birth_points(a: datetime.date, b: datetime.date) -> tuple[str, float]:
    year_only = _year_only(a) or _year_only(b)
    if a == b:
        code = "birth_date_same"
    elif a.year == b.year and a.day == b.month and a.month == b.day:
        code = "birth_day_month_swapped"
    elif a.year == b.year and year_only:
        code = "birth_year_only"
    elif a.year == b.year and _one_digit_apart(a, b):
        code = "birth_date_one_digit"
    elif a.year == b.year:
        code = "birth_year_same"
    elif abs(a.year - b.year) == 1 and (a.month, a.day) == (b.month, b.day):
        code = "birth_year_off_by_one_same_day"
    elif abs(a.year - b.year) == 1 and year_only:
        code = "birth_year_off_by_one_year_only"
    elif abs(a.year - b.year) == 1:
        code = "birth_year_off_by_one"
    else:
        code = "birth_year_far"
    return code, POINTS[code]


def score_pair(a: Person, b: Person, *, given_share: Callable[[str], float] = lambda _: 0.01) -> PairScore:
    """Points for "``a`` and ``b`` are the same person"; ``given_share`` is the share of the commune carrying
    a given name (0.02 for An in a Kinh commune)."""
    reasons: list[tuple[str, float]] = []

    def add(code: str, points: float | None = None) -> None:
        reasons.append((code, POINTS[code] if points is None else points))

    if a.cccd and b.cccd:
        add("same_cccd" if a.cccd == b.cccd else "different_cccd")
    if a.social_insurance_number and b.social_insurance_number:
        add("same_bhxh" if a.social_insurance_number == b.social_insurance_number else "different_bhxh")
    if a.bhyt_card_number and b.bhyt_card_number and a.bhyt_card_number == b.bhyt_card_number:
        add("same_bhyt_card")
    if a.phone and b.phone and a.phone == b.phone:
        add("same_phone")
    reasons += _name_points(a.words, b.words, given_share)
    reasons.append(_birth_points(a.birth_date, b.birth_date))
    if a.sex != b.sex:
        add("sex_different")
    if a.household_id and a.household_id == b.household_id:
        add("same_household")
    if a.village_id and a.village_id == b.village_id:
        add("same_village")
    if a.commune_id != b.commune_id:
        add("different_commune")
    return PairScore(round(sum(p for _, p in reasons), 2), [(code, round(p, 2)) for code, p in reasons])
