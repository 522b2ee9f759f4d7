"""Checks of the national identifiers a resident record carries: CCCD, BHYT card code, BHXH number, phone.

Pure functions: they take the value (and what it must agree with) and return a list of
:class:`~ytcs.core.errors.FieldError` (``severity`` marks a warning), empty when the value is acceptable.
Messages are Vietnamese msgids translated at call time, and each one names the field and the reason, so the
form, the API and the import report show the same sentence. Rules and their sources: ``vn-domain.md`` §6 and
``people/data/SOURCES.md``.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from ytcs.core.errors import ERROR, WARNING, FieldError

DATA_DIR = Path(__file__).resolve().parent / "data"
_NOT_DIGITS = re.compile(r"\D")
_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class BhytGroup:
    code: str
    level: int
    level_certain: bool
    meaning: str


@dataclass(frozen=True)
class BhytCard:
    """The four boxes of a 15-character card code; only ``social_insurance_number`` for the 10-digit form."""

    social_insurance_number: str
    group_code: str = ""
    benefit_level: int | None = None
    province_code: str = ""


@cache
def cccd_province_codes() -> dict[str, str]:
    """TT 07/2016/TT-BCA province code → province name (birth-registration province)."""
    with (DATA_DIR / "cccd_provinces.csv").open(encoding="utf-8") as fh:
        return {row["code"]: row["province"] for row in csv.DictReader(fh)}


@cache
def bhyt_groups() -> dict[str, BhytGroup]:
    """Known BHYT beneficiary group codes with their benefit level (see data/SOURCES.md for the caveats)."""
    with (DATA_DIR / "bhyt_groups.csv").open(encoding="utf-8") as fh:
        return {
            row["code"]: BhytGroup(row["code"], int(row["level"]), row["level_certain"] == "yes", row["meaning"])
            for row in csv.DictReader(fh)
        }


@cache
def bhyt_province_codes() -> frozenset[str]:
    """Box 3 of the card: the last two digits of a TT 07/2016 province code."""
    return frozenset(code[-2:] for code in cccd_province_codes())


def normalise_digits(value: str) -> str:
    """Drop the spaces, dots and dashes people type inside long numbers."""
    return _SEPARATORS.sub("", value or "")


def _sex_label(sex: str) -> str:
    return _("nam") if sex == "M" else _("nữ")


def check_cccd(value: str, *, sex: str | None = None, birth_year: int | None = None) -> list[FieldError]:
    """CCCD = PPP G YY RRRRRR: 12 digits, a known province, G and YY agreeing with sex and birth year."""
    value = normalise_digits(value)
    if _NOT_DIGITS.search(value):
        return [FieldError("cccd", "cccd_format", _("Số CCCD chỉ được gồm chữ số (đúng 12 chữ số)."))]
    if len(value) != 12:
        return [FieldError("cccd", "cccd_format", _(
            "Số CCCD phải gồm đúng 12 chữ số; giá trị đã nhập có %(length)d chữ số."
        ) % {"length": len(value)})]
    errors = []
    province = value[:3]
    if province not in cccd_province_codes():
        errors.append(FieldError("cccd", "cccd_province_unknown", _(
            "Số CCCD: ba chữ số đầu “%(code)s” không phải mã tỉnh nơi đăng ký khai sinh "
            "theo Thông tư 07/2016/TT-BCA."
        ) % {"code": province}))
    digit = int(value[3])
    coded_sex = "M" if digit % 2 == 0 else "F"
    coded_century_start = 1900 + (digit // 2) * 100
    if sex in ("M", "F") and coded_sex != sex:
        errors.append(FieldError("cccd", "cccd_sex_mismatch", _(
            "Số CCCD: chữ số thứ 4 là “%(digit)s”, tức giới tính %(coded)s, nhưng giới tính đã ghi là %(sex)s."
        ) % {"digit": digit, "coded": _sex_label(coded_sex), "sex": _sex_label(sex)}))
    if birth_year is not None:
        if not coded_century_start <= birth_year < coded_century_start + 100:
            errors.append(FieldError("cccd", "cccd_century_mismatch", _(
                "Số CCCD: chữ số thứ 4 là “%(digit)s”, tức sinh trong những năm %(start)s–%(end)s, "
                "nhưng năm sinh đã ghi là %(year)s."
            ) % {"digit": digit, "start": coded_century_start, "end": coded_century_start + 99, "year": birth_year}))
        if value[4:6] != f"{birth_year % 100:02d}":
            errors.append(FieldError("cccd", "cccd_birth_year_mismatch", _(
                "Số CCCD: chữ số thứ 5–6 là “%(coded)s” nhưng năm sinh đã ghi là %(year)s "
                "(phải là “%(expected)s”)."
            ) % {"coded": value[4:6], "year": birth_year, "expected": f"{birth_year % 100:02d}"}))
    return errors


def check_social_insurance_number(value: str, *, field: str = "social_insurance_number") -> list[FieldError]:
    """Mã số BHXH: 10 digits, lifelong; it is also the health identifier (QĐ 2153/QĐ-BYT)."""
    value = normalise_digits(value)
    if len(value) != 10 or _NOT_DIGITS.search(value):
        return [FieldError(field, "sin_format", _(
            "Mã số BHXH phải gồm đúng 10 chữ số; giá trị đã nhập là “%(value)s”."
        ) % {"value": value})]
    return []


def parse_bhyt(value: str) -> BhytCard | None:
    """Split a card code into its boxes; ``None`` when it has neither the 15-character nor the 10-digit form."""
    value = normalise_digits(value).upper()
    if len(value) == 10 and value.isdigit():
        return BhytCard(social_insurance_number=value)
    if len(value) == 15 and value[:2].isalpha() and value[2:].isdigit():
        return BhytCard(value[5:], value[:2], int(value[2]), value[3:5])
    return None


def check_bhyt(value: str, *, social_insurance_number: str | None = None) -> list[FieldError]:
    """BHYT card code: 15 characters (group, level 1–5, province, BHXH number) or the 10-digit form of 2021."""
    raw = normalise_digits(value).upper()
    card = parse_bhyt(raw)
    if card is None:
        return [FieldError("bhyt_card_number", "bhyt_format", _(
            "Mã thẻ BHYT phải có 15 ký tự (2 chữ cái mã đối tượng, 1 chữ số mức hưởng, 2 chữ số mã tỉnh, "
            "10 chữ số mã số BHXH) hoặc 10 chữ số (mẫu thẻ từ 01/04/2021); giá trị đã nhập có %(length)d ký tự."
        ) % {"length": len(raw)})]
    errors = []
    if card.group_code:
        group = bhyt_groups().get(card.group_code)
        if group is None:
            errors.append(FieldError("bhyt_card_number", "bhyt_group_unknown", _(
                "Mã thẻ BHYT: mã đối tượng “%(code)s” không có trong danh mục mã đối tượng (QĐ 1351/QĐ-BHXH)."
            ) % {"code": card.group_code}))
        if not 1 <= card.benefit_level <= 5:
            errors.append(FieldError("bhyt_card_number", "bhyt_level_invalid", _(
                "Mã thẻ BHYT: ký tự thứ 3 là mức hưởng, phải từ 1 đến 5 (đã nhập “%(level)s”)."
            ) % {"level": card.benefit_level}))
        elif group is not None and group.level != card.benefit_level:
            errors.append(FieldError("bhyt_card_number", "bhyt_level_mismatch", _(
                "Mã thẻ BHYT: đối tượng “%(code)s” thường có mức hưởng %(expected)s, nhưng thẻ ghi mức %(level)s."
            ) % {"code": card.group_code, "expected": group.level, "level": card.benefit_level},
                ERROR if group.level_certain else WARNING))
        if card.province_code not in bhyt_province_codes():
            errors.append(FieldError("bhyt_card_number", "bhyt_province_unknown", _(
                "Mã thẻ BHYT: ký tự thứ 4–5 “%(code)s” không phải mã tỉnh (hai số cuối của mã tỉnh "
                "theo Thông tư 07/2016/TT-BCA)."
            ) % {"code": card.province_code}))
    sin = normalise_digits(social_insurance_number or "")
    if sin and sin != card.social_insurance_number:
        errors.append(FieldError("bhyt_card_number", "bhyt_sin_mismatch", _(
            "Mã thẻ BHYT: 10 chữ số cuối “%(card)s” phải trùng mã số BHXH đã ghi “%(sin)s”."
        ) % {"card": card.social_insurance_number, "sin": sin}))
    return errors


_PHONE = re.compile(r"^0[35789]\d{8}$|^02\d{9}$")


def normalise_phone(value: str) -> str:
    value = re.sub(r"[\s.\-()]", "", value or "")
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("84") and len(value) == 11:
        value = "0" + value[2:]
    return value


def check_phone(value: str, *, field: str = "phone") -> list[FieldError]:
    """A Vietnamese mobile number (10 digits, 03/05/07/08/09) or a landline (11 digits, 02x)."""
    if _PHONE.match(normalise_phone(value)):
        return []
    return [FieldError(field, "phone_format", _(
        "Số điện thoại phải là số di động 10 chữ số (bắt đầu bằng 03, 05, 07, 08, 09) hoặc số cố định "
        "11 chữ số (bắt đầu bằng 02); có thể viết +84 thay cho số 0 đầu."
    ))]


def audit_tail(value: str | None) -> str:
    """What the audit trail keeps of an identifier: its last four characters (redaction of the trail's
    ``changes``; what a viewer sees is ``ytcs.accounts.masking``'s decision)."""
    if not value:
        return ""
    return "****" + value[-4:]
