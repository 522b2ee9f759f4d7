"""Each identifier rule, with the message a nurse reads (Vietnamese by default, English on request)."""

import pytest
from django.utils import translation

from ytcs.core.errors import WARNING, FieldError
from ytcs.people.identifiers import (
    audit_tail,
    check_bhyt,
    check_cccd,
    check_phone,
    check_social_insurance_number,
    parse_bhyt,
)


def codes(errors):
    return [e.code for e in errors]


def test_valid_cccd_passes_all_rules():
    assert check_cccd("087084000999", sex="M", birth_year=1984) == []
    assert check_cccd("001 305 012345", sex="F", birth_year=2005) == []


def test_cccd_must_have_twelve_digits():
    [error] = check_cccd("08708400099")
    assert (error.field, error.code) == ("cccd", "cccd_format")
    assert error.message == "Số CCCD phải gồm đúng 12 chữ số; giá trị đã nhập có 11 chữ số."


def test_cccd_rejects_letters():
    [error] = check_cccd("08708400099A")
    assert error.message == "Số CCCD chỉ được gồm chữ số (đúng 12 chữ số)."


def test_cccd_province_must_be_in_tt07_list():
    [error] = check_cccd("003084000999")
    assert error.code == "cccd_province_unknown"
    assert "“003”" in error.message and "Thông tư 07/2016/TT-BCA" in error.message


def test_cccd_sex_digit_must_match_recorded_sex():
    [error] = check_cccd("087084000999", sex="F", birth_year=1984)
    assert error.code == "cccd_sex_mismatch"
    assert error.message == ("Số CCCD: chữ số thứ 4 là “0”, tức giới tính nam, "
                             "nhưng giới tính đã ghi là nữ.")


def test_cccd_century_digit_must_match_birth_year():
    errors = check_cccd("087284000999", sex="M", birth_year=1984)
    assert codes(errors) == ["cccd_century_mismatch"]
    assert "những năm 2000–2099" in errors[0].message and "1984" in errors[0].message


def test_cccd_year_digits_must_match_birth_year():
    [error] = check_cccd("087085000999", sex="M", birth_year=1984)
    assert error.code == "cccd_birth_year_mismatch"
    assert error.message == ("Số CCCD: chữ số thứ 5–6 là “85” nhưng năm sinh đã ghi là 1984 (phải là “84”).")


def test_cccd_message_in_english_when_asked():
    with translation.override("en"):
        [error] = check_cccd("087084000999", sex="F", birth_year=1984)
    assert error.message == ("CCCD number: the 4th digit is “0”, meaning male, but the recorded sex is female.")


def test_fifteen_character_bhyt_is_parsed_into_its_boxes():
    card = parse_bhyt("DN4 79 0123456789")
    assert (card.group_code, card.benefit_level, card.province_code, card.social_insurance_number) == (
        "DN", 4, "79", "0123456789")
    assert check_bhyt("DN4790123456789") == []


def test_ten_digit_bhyt_form_since_2021_is_accepted():
    assert check_bhyt("0123456789") == []
    assert parse_bhyt("0123456789").group_code == ""


def test_bhyt_wrong_length():
    [error] = check_bhyt("DN479012345")
    assert error.code == "bhyt_format"
    assert error.message.startswith("Mã thẻ BHYT phải có 15 ký tự")
    assert error.message.endswith("giá trị đã nhập có 11 ký tự.")


def test_bhyt_unknown_group_code():
    [error] = check_bhyt("ZZ4790123456789")
    assert error.code == "bhyt_group_unknown"
    assert error.message == ("Mã thẻ BHYT: mã đối tượng “ZZ” không có trong danh mục mã đối tượng "
                             "(QĐ 1351/QĐ-BHXH).")


def test_bhyt_level_must_be_one_to_five():
    errors = check_bhyt("DN0790123456789")
    assert "bhyt_level_invalid" in codes(errors)
    assert "phải từ 1 đến 5" in errors[0].message


def test_bhyt_level_inconsistent_with_a_certain_group_blocks():
    [error] = check_bhyt("DN2790123456789")
    assert (error.code, error.severity) == ("bhyt_level_mismatch", "error")
    assert error.message == "Mã thẻ BHYT: đối tượng “DN” thường có mức hưởng 4, nhưng thẻ ghi mức 2."


def test_bhyt_level_inconsistent_with_an_uncertain_group_only_warns():
    [warning] = check_bhyt("CT4790123456789")
    assert (warning.code, warning.severity) == ("bhyt_level_mismatch", WARNING)
    assert isinstance(warning, FieldError)  # the one FieldError of ytcs.core.errors


def test_bhyt_province_must_end_a_tt07_code():
    [error] = check_bhyt("DN4030123456789")
    assert error.code == "bhyt_province_unknown"
    assert "“03”" in error.message


def test_bhyt_number_must_match_social_insurance_number():
    [error] = check_bhyt("DN4790123456789", social_insurance_number="0123456780")
    assert error.code == "bhyt_sin_mismatch"
    assert "“0123456789”" in error.message and "“0123456780”" in error.message


@pytest.mark.parametrize("value", ["123456789", "12345678901", "01234x6789"])
def test_social_insurance_number_is_ten_digits(value):
    [error] = check_social_insurance_number(value)
    assert error.code == "sin_format"
    assert error.message.startswith("Mã số BHXH phải gồm đúng 10 chữ số")


def test_phone_numbers():
    assert check_phone("0912 345 678") == []
    assert check_phone("+84912345678") == []
    [error] = check_phone("091234567")
    assert error.code == "phone_format"


def test_the_audit_trail_keeps_only_the_last_four():
    assert audit_tail("004080001234") == "****1234"
    assert audit_tail(None) == ""
