"""What a search-box entry is: an identifier, a birth year or date, or a name (with an optional birth filter).

The classification decides how the register is searched and what the audit trail keeps (only the kind,
never an identifier), so every entry gets exactly one kind and nothing typed is dropped without a word:
numbers that are neither an identifier, a plausible birth year nor a date are returned in ``ignored`` for
the page to say so.
"""

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone

from ytcs.core.text import fold

FIRST_BIRTH_YEAR = 1900
IDENTIFIER_DIGITS = 9  # the shortest identifier (a phone without its leading 0): longer digit runs are never echoed


class QueryKind(StrEnum):
    """What a search box entry was taken to be; the audit trail keeps only this, never the identifier."""

    EMPTY = "empty"
    NAME = "name"
    BIRTH = "birth"  # a birth year or date alone: everyone in scope born then
    CCCD = "cccd"
    BHXH_OR_PHONE = "bhxh_or_phone"
    PHONE = "phone"
    BHYT = "bhyt"
    UNKNOWN_NUMBER = "unknown_number"

    @property
    def is_identifier(self) -> bool:
        return self not in {QueryKind.EMPTY, QueryKind.NAME, QueryKind.BIRTH}


@dataclass(frozen=True)
class ParsedQuery:
    kind: QueryKind
    value: str = ""
    tokens: tuple[str, ...] = ()
    birth_year: int | None = None
    birth_date: datetime.date | None = None
    ignored: tuple[str, ...] = ()  # numbers in a name query that are not a birth year or date (never identifiers)
    ignored_identifier: bool = False  # a name query also held a number as long as an identifier (not kept)

    @property
    def carries_identifier(self) -> bool:
        """Whether the entry holds an identifier, alone or beside a name: it must not travel in a URL."""
        return self.kind.is_identifier or self.ignored_identifier


_SEPARATORS = re.compile(r"[\s.\-()]+")
_BHYT = re.compile(r"^[A-Z]{2}[1-5]\d{12}$")
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_EDGE_PUNCTUATION = ",;:!?\"“”()[]"


def plausible_birth_year(token: str) -> int | None:
    """``token`` as a birth year when it is four digits from 1900 to the current year, else None."""
    if len(token) != 4 or not token.isdigit():
        return None
    year = int(token)
    return year if FIRST_BIRTH_YEAR <= year <= timezone.localdate().year else None


def as_birth_date(token: str) -> datetime.date | None:
    """A day/month/year token ("17/05/1980", "17.05.1980", "17-5-1980") as a date in the past, or None."""
    match = _DATE.match(token)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return None
    return date if year >= FIRST_BIRTH_YEAR and date <= timezone.localdate() else None


def _identifier(compact: str) -> ParsedQuery:
    """A digits-only entry: the identifier its length says, else an unknown number."""
    if len(compact) == 11 and compact.startswith("84"):
        return ParsedQuery(QueryKind.PHONE, "0" + compact[2:])
    if len(compact) == 12:
        return ParsedQuery(QueryKind.CCCD, compact)
    if len(compact) == 10:
        return ParsedQuery(QueryKind.BHXH_OR_PHONE, compact)
    if compact.startswith("0") and 9 <= len(compact) <= 11:
        return ParsedQuery(QueryKind.PHONE, compact)
    return ParsedQuery(QueryKind.UNKNOWN_NUMBER)


def parse_query(text: str) -> ParsedQuery:
    """Classify a search-box entry: a CCCD, a BHXH or phone number, a BHYT card code, a birth year or
    date alone, or a name with an optional birth year or date.

    A 10-digit number is tried both as a social-insurance (BHXH) number and as a phone number,
    because both are 10 digits and BHXH numbers may start with 0 like phones do. A four-digit number
    is a birth year only from 1900 to this year; other short numbers are no identifier and are
    refused alone, or ignored (and reported) beside a name.
    """
    text = (text or "").strip()
    compact = _SEPARATORS.sub("", text)
    if not compact:
        return ParsedQuery(QueryKind.EMPTY)
    alone = as_birth_date(text)
    if alone:
        return ParsedQuery(QueryKind.BIRTH, birth_year=alone.year, birth_date=alone)
    if compact.startswith("+"):
        compact = compact[1:]
    if compact.isdigit():
        year = plausible_birth_year(compact) if compact == text else None
        return ParsedQuery(QueryKind.BIRTH, birth_year=year) if year else _identifier(compact)
    if _BHYT.match(compact.upper()):
        return ParsedQuery(QueryKind.BHYT, compact.upper())
    return _name_query(text)


def _name_query(text: str) -> ParsedQuery:
    names: list[str] = []
    numbers: list[str] = []
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    for token in fold(text).split():
        token = token.strip(_EDGE_PUNCTUATION)
        if not token:
            continue
        date, year = as_birth_date(token), plausible_birth_year(token)
        if date and birth_date is None and birth_year in (None, date.year):
            birth_date, birth_year = date, date.year
        elif year and birth_year is None:
            birth_year = year
        elif any(ch.isdigit() for ch in token):
            numbers.append(token)  # a second year, a house or village number, part of an identifier
        else:
            names.append(token)
    names = list(dict.fromkeys(names))
    digits = sum(ch.isdigit() for token in numbers for ch in token)
    identifier = digits >= IDENTIFIER_DIGITS
    ignored = () if identifier else tuple(numbers)
    if not names:
        if birth_year is not None and not numbers:
            return ParsedQuery(QueryKind.BIRTH, birth_year=birth_year, birth_date=birth_date)
        return ParsedQuery(QueryKind.EMPTY, ignored=ignored, ignored_identifier=identifier)
    return ParsedQuery(QueryKind.NAME, " ".join(names), tuple(names), birth_year, birth_date, ignored, identifier)
