"""CSV input shared by the org-unit, facility and staff imports.

Imports are all-or-nothing: every row is checked first, every problem is
collected as a :class:`RowError` naming the file line, the column and the
reason, and nothing is written unless there are none. Line numbers count the
header as line 1, as a spreadsheet shows them.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from ytcs.core.text import fold, nfc

COMMUNE_CODE = re.compile(r"^\d{5}$")
PROVINCE_CODE = re.compile(r"^\d{2}$")
LOCAL_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$")
_TRUE = {"1", "x", "co", "yes", "true", "y", "c"}
_FALSE = {"0", "", "khong", "no", "false", "n", "k"}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("Dòng %(line)s, cột %(column)s: %(reason)s") % {
            "line": self.line, "column": self.column, "reason": self.reason,
        }


class CsvImportError(Exception):
    """The input was refused; ``errors`` lists every problem found. Nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return _("%(created)s mới, %(updated)s cập nhật, %(unchanged)s không đổi") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
        }


def read_rows(text: str, *, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[tuple[int, dict]]:
    """Rows as ``(line, {column: stripped NFC text})``; raises for a missing column or an empty file."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise CsvImportError([RowError(1, c, _("thiếu cột bắt buộc")) for c in missing])
    unknown = [c for c in header if c not in required + optional]
    if unknown:
        raise CsvImportError([RowError(1, c, _("cột không được hỗ trợ")) for c in unknown])
    reader.fieldnames = header
    rows = []
    for record in reader:
        values = {k: nfc(v or "") for k, v in record.items() if k is not None}
        if any(values.values()):
            rows.append((reader.line_num, values))
    if not rows:
        raise CsvImportError([RowError(2, "", _("tệp không có dòng dữ liệu nào"))])
    return rows


def parse_bool(value: str) -> bool | None:
    key = fold(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


def parse_date(value: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_choice(value: str, choices: type) -> str | None:
    """A TextChoices value from its code ("doctor") or its Vietnamese label ("Bác sĩ"), marks optional."""
    key = fold(value)
    for choice in choices:
        if key in (choice.value, fold(str(choice.label))):
            return choice.value
    return None
