"""Reading and checking a resident list, row by row, before anything is written (``imports``).

The columns of the file (:data:`COLUMNS`, with the other spellings stations use in :data:`ALIASES`), reading a
CSV or XLSX file, and :class:`RowChecker`, which turns each row into values or into the core ``FieldError`` of
each bad cell, with its row number (:class:`RowError`). A file that cannot be read at all raises
``DomainError`` on the ``file`` field.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ytcs.core.errors import ERROR, DomainError, FieldError
from ytcs.core.text import fold, nfc
from ytcs.orgunits.models import OrgUnit
from ytcs.people import identifiers as ids
from ytcs.people.models import Relationship, ResidenceStatus
from ytcs.people.validation import residence_status_errors


@dataclass(frozen=True)
class Column:
    """One column of the file; ``example`` is its value in the template (import_template adds the commune's)."""

    key: str
    attribute: str
    label: Any
    required: bool = False
    example: str = ""


COLUMNS = (
    Column("ma_ho", "household_code", gettext_lazy("Mã hộ (giống nhau cho mọi người cùng hộ)")),
    Column("thon", "village", gettext_lazy("Thôn/bản: mã hoặc tên")),
    Column("dia_chi", "address", gettext_lazy("Địa chỉ của hộ"), example="Xóm Trên"),
    Column("ho_ten", "full_name", gettext_lazy("Họ và tên (hoặc dùng ba cột ho, ten_dem, ten)"),
           example="Nông Văn Dền"),
    Column("ho", "family_name", gettext_lazy("Họ")),
    Column("ten_dem", "middle_name", gettext_lazy("Tên đệm")),
    Column("ten", "given_name", gettext_lazy("Tên")),
    Column("gioi_tinh", "sex", gettext_lazy("Giới tính: Nam/Nữ"), required=True, example="Nam"),
    Column("ngay_sinh", "birth_date", gettext_lazy("Ngày sinh: dd/mm/yyyy"), required=True, example="02/03/1980"),
    Column("quan_he_chu_ho", "relationship_to_head", gettext_lazy("Quan hệ với chủ hộ: chủ hộ, vợ, chồng, con…"),
           example="Chủ hộ"),
    Column("dan_toc", "ethnicity", gettext_lazy("Dân tộc"), example="Tày"),
    Column("nghe_nghiep", "occupation", gettext_lazy("Nghề nghiệp"), example="Làm ruộng"),
    Column("cccd", "cccd", gettext_lazy("Số CCCD (12 chữ số)")),
    Column("dien_thoai", "phone", gettext_lazy("Số điện thoại"), example="0912345678"),
    Column("ma_the_bhyt", "bhyt_card_number", gettext_lazy("Mã thẻ BHYT (15 ký tự hoặc 10 chữ số)")),
    Column("ma_so_bhxh", "social_insurance_number", gettext_lazy("Mã số BHXH (10 chữ số)")),
    Column("bhyt_tu_ngay", "bhyt_valid_from", gettext_lazy("Thẻ BHYT có giá trị từ: dd/mm/yyyy")),
    Column("bhyt_den_ngay", "bhyt_valid_to", gettext_lazy("Thẻ BHYT có giá trị đến: dd/mm/yyyy"),
           example="31/12/2026"),
    Column("noi_dk_kcb", "bhyt_primary_care_facility_code", gettext_lazy("Mã nơi đăng ký KCB ban đầu (5 ký tự)")),
    Column("tinh_trang_cu_tru", "residence_status",
           gettext_lazy("Tình trạng cư trú: thường trú, tạm trú, tạm vắng (để trống là thường trú)"),
           example="Thường trú"),
    Column("cu_tru_tu_ngay", "residence_status_from", gettext_lazy("Tình trạng cư trú từ ngày: dd/mm/yyyy")),
    Column("cu_tru_den_ngay", "residence_status_to",
           gettext_lazy("Tình trạng cư trú đến ngày (ngày đầu tiên không còn): dd/mm/yyyy")),
)
ALIASES = {"ho_va_ten": "ho_ten", "so_cccd": "cccd", "can_cuoc": "cccd", "so_dien_thoai": "dien_thoai",
           "sdt": "dien_thoai", "ma_bhxh": "ma_so_bhxh", "so_the_bhyt": "ma_the_bhyt", "the_bhyt": "ma_the_bhyt",
           "quan_he": "quan_he_chu_ho", "quan_he_voi_chu_ho": "quan_he_chu_ho",
           "ngay_thang_nam_sinh": "ngay_sinh", "thon_ban": "thon", "thon_to": "thon", "nam_nu": "gioi_tinh",
           "cu_tru": "tinh_trang_cu_tru", "tinh_trang_cu_tru_tu_ngay": "cu_tru_tu_ngay",
           "tinh_trang_cu_tru_den_ngay": "cu_tru_den_ngay"}
_SEX = {"nam": "M", "m": "M", "male": "M", "nu": "F", "f": "F", "female": "F"}
_RELATIONSHIP = {
    "chu ho": "head", "vo": "spouse", "chong": "spouse", "vo/chong": "spouse", "con": "child", "con trai": "child",
    "con gai": "child", "bo": "parent", "me": "parent", "cha": "parent", "bo/me": "parent", "chau": "grandchild",
    "ong": "grandparent", "ba": "grandparent", "ong/ba": "grandparent", "anh": "sibling", "chi": "sibling",
    "em": "sibling", "anh/chi/em": "sibling", "con dau": "child_in_law", "con re": "child_in_law",
    "con dau/con re": "child_in_law", "khac": "other", **{v: v for v in Relationship.values},
}
# The statuses as stations write them (folded), and the codes of ``ResidenceStatus``.
_RESIDENCE_STATUS = {"thuong tru": "permanent", "tam tru": "temporary", "tam vang": "absent",
                     **{v: v for v in ResidenceStatus.values}}
_NON_WORD = re.compile(r"[^a-z0-9]+")
_MAX_LENGTH = {"family_name": 60, "middle_name": 60, "given_name": 60, "ethnicity": 40, "occupation": 100,
               "address": 255, "household_code": 32, "bhyt_primary_care_facility_code": 5}


@dataclass(frozen=True)
class RowError:
    """One bad cell: the spreadsheet's row number (the header is row 1) and the error, named by its column."""

    row: int
    error: FieldError

    @property
    def column(self) -> str:
        return self.error.field or ""

    @property
    def message(self) -> str:
        return self.error.message


def row_error(row: int, column: str, code: str, message: str) -> RowError:
    return RowError(row, FieldError(column, code, message))


def unreadable(code: str, message: str) -> DomainError:
    """The file cannot be read at all (format, encoding, missing columns): an error of the ``file`` input."""
    return DomainError.one("file", code, message)


# --- reading ---


def header_key(text: Any) -> str:
    key = _NON_WORD.sub("_", fold(str(text or ""))).strip("_")
    return ALIASES.get(key, key)


def read_rows(name: str, content: bytes) -> tuple[list[str], Iterator[tuple]]:
    """Header and data rows of a CSV (UTF-8, comma/semicolon/tab) or XLSX (first sheet) file."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except zipfile.BadZipFile as exc:  # an .xlsx is a zip archive: this is an .xls, a CSV or a PDF renamed
            raise unreadable("not_xlsx", _(
                "Tệp “%(name)s” không phải là tệp Excel .xlsx (có thể là tệp .xls cũ, hoặc tệp khác được đổi đuôi "
                "thành .xlsx). Hãy mở tệp bằng Excel rồi lưu lại dưới dạng “Sổ làm việc Excel (.xlsx)” hoặc "
                "“CSV UTF-8”.") % {"name": Path(name).name}) from exc
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook; its English stays out
            raise unreadable("damaged", _(
                "Tệp Excel “%(name)s” bị hỏng hoặc không có trang tính nào đọc được. Hãy mở tệp bằng Excel rồi lưu "
                "lại, hoặc lưu dưới dạng “CSV UTF-8”.") % {"name": Path(name).name}) from exc
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise unreadable("no_header", _("Tệp không có dòng tiêu đề."))
        return [str(h or "") for h in header], rows
    if suffix != ".csv":
        raise unreadable("file_type", _("Chỉ nhận tệp .csv hoặc .xlsx."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise unreadable("encoding", _("Tệp CSV phải được lưu với mã hóa UTF-8 (trong Excel: “CSV UTF-8”).")) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise unreadable("no_header", _("Tệp không có dòng tiêu đề."))
    return header, (tuple(r) for r in reader)


def parse_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- checking ---


class RowChecker:
    """Turns raw rows into unsaved ``Resident`` objects, collecting every error."""

    def __init__(self, commune: OrgUnit, columns: list[str | None]) -> None:
        self.commune = commune
        self.columns = columns
        self.labels = {c.attribute: c.key for c in COLUMNS}
        villages = OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE, valid_to__isnull=True)
        self.villages: dict[str, OrgUnit] = {}
        for village in villages:
            self.villages[fold(village.code)] = village
            self.villages[fold(village.name)] = village
        self.today = timezone.localdate()
        self.errors: list[RowError] = []

    def error(self, row: int, attribute: str, code: str, message: str) -> None:
        self.errors.append(row_error(row, self.labels.get(attribute, attribute), code, message))

    def check(self, number: int, raw: tuple) -> dict | None:
        values = {attr: _text(raw[i]) if i < len(raw) and not isinstance(raw[i], datetime.date) else
                  (raw[i] if i < len(raw) else "") for i, attr in enumerate(self.columns) if attr}
        if not any(values.values()):
            return None
        before = len(self.errors)
        row: dict[str, Any] = {"_row": number}
        self._names(number, values, row)
        sex = _SEX.get(fold(values.get("sex", "")))
        if sex is None:
            self.error(number, "sex", "invalid_choice", _("Giới tính phải là “Nam” hoặc “Nữ” (đã ghi “%(value)s”).")
                       % {"value": values.get("sex", "")})
        row["sex"] = sex
        birth = parse_date(values.get("birth_date", ""))
        if birth is None or not datetime.date(1890, 1, 1) <= birth <= self.today:
            self.error(number, "birth_date", "invalid", _(
                "Ngày sinh “%(value)s” không đúng dạng dd/mm/yyyy hoặc ngoài khoảng 1890 đến hôm nay."
            ) % {"value": values.get("birth_date", "")})
            birth = None
        row["birth_date"] = birth
        for attribute in ("bhyt_valid_from", "bhyt_valid_to", "residence_status_from", "residence_status_to"):
            text = values.get(attribute, "")
            row[attribute] = parse_date(text) if text else None
            if text and row[attribute] is None:
                self.error(number, attribute, "invalid", _("Ngày “%(value)s” không đúng dạng dd/mm/yyyy.")
                           % {"value": text})
        self._residence_status(number, values, row)
        self._place(number, values, row)
        self._identifiers(number, values, row, sex, birth)
        for attribute in ("ethnicity", "occupation", "bhyt_primary_care_facility_code"):
            row[attribute] = nfc(values.get(attribute, ""))
        for attribute, limit in _MAX_LENGTH.items():
            if len(str(row.get(attribute) or "")) > limit:
                self.error(number, attribute, "max_length", _("Dài quá %(limit)s ký tự.") % {"limit": limit})
        return row if len(self.errors) == before else None

    def _names(self, number: int, values: dict, row: dict) -> None:
        family, middle, given = (nfc(values.get(k, "")) for k in ("family_name", "middle_name", "given_name"))
        full = nfc(values.get("full_name", ""))
        if full and not (family or given):
            parts = full.split(" ")
            family, given, middle = parts[0], parts[-1] if len(parts) > 1 else "", " ".join(parts[1:-1])
        if not family or not given:
            self.error(number, "full_name" if full or "full_name" in self.columns else "given_name", "required",
                       _("Thiếu họ hoặc tên (cần cột ho_ten, hoặc hai cột ho và ten)."))
        row.update(family_name=family, middle_name=middle, given_name=given,
                   full_name=" ".join(p for p in (family, middle, given) if p))
        row["name_folded"] = fold(row["full_name"])
        relationship = values.get("relationship_to_head", "")
        row["relationship_to_head"] = _RELATIONSHIP.get(fold(relationship)) if relationship else ""
        if row["relationship_to_head"] is None:
            self.error(number, "relationship_to_head", "relationship_unknown", _(
                "Quan hệ với chủ hộ “%(value)s” không có trong danh mục (chủ hộ, vợ, chồng, con, bố, mẹ, cháu, ông, "
                "bà, anh, chị, em, con dâu, con rể, khác).") % {"value": relationship})

    def _residence_status(self, number: int, values: dict, row: dict) -> None:
        """The status by its Vietnamese label or its code; blank leaves the register's value (thường trú if new)."""
        text = values.get("residence_status", "")
        row["residence_status"] = _RESIDENCE_STATUS.get(fold(text)) if text else ""
        if row["residence_status"] is None:
            self.error(number, "residence_status", "invalid_choice", _(
                "Tình trạng cư trú “%(value)s” không có trong danh mục (thường trú, tạm trú, tạm vắng)."
            ) % {"value": text})
            return
        for problem in residence_status_errors(row["residence_status"], row.get("residence_status_from"),
                                               row.get("residence_status_to")):
            self.error(number, problem.field, problem.code, problem.message)

    def _place(self, number: int, values: dict, row: dict) -> None:
        village_text = values.get("village", "")
        row["village"] = self.villages.get(fold(village_text)) if village_text else None
        if village_text and row["village"] is None:
            self.error(number, "village", "village_unknown", _("Xã/phường “%(commune)s” không có thôn/bản “%(value)s”.")
                       % {"commune": self.commune.name, "value": village_text})
        row["household_code"] = values.get("household_code", "").strip().upper()
        row["address"] = nfc(values.get("address", ""))

    def _identifiers(self, number: int, values: dict, row: dict, sex: str | None,
                     birth: datetime.date | None) -> None:
        cccd = ids.normalise_digits(values.get("cccd", ""))
        sin = ids.normalise_digits(values.get("social_insurance_number", ""))
        card = ids.normalise_digits(values.get("bhyt_card_number", "")).upper()
        phone = ids.normalise_phone(values.get("phone", ""))
        problems = []
        if cccd:
            problems += ids.check_cccd(cccd, sex=sex, birth_year=birth.year if birth else None)
        if sin:
            problems += ids.check_social_insurance_number(sin)
        if card:
            problems += ids.check_bhyt(card, social_insurance_number=sin or None)
        if phone:
            problems += ids.check_phone(phone)
        for problem in problems:
            if problem.severity == ERROR:
                self.error(number, problem.field, problem.code, problem.message)
        parsed = ids.parse_bhyt(card) if card else None
        row.update(cccd=cccd or None, phone=phone, bhyt_card_number=card,
                   social_insurance_number=sin or (parsed.social_insurance_number if parsed else None),
                   bhyt_group_code=parsed.group_code if parsed else "",
                   bhyt_benefit_level=parsed.benefit_level if parsed and parsed.group_code else None)
