"""What a reader sees on a page, and the checks that find English, internal codes and Python reprs in it.

Text is what the browser shows or reads out: text nodes and the ``title``, ``placeholder``, ``aria-label``
and ``alt`` attributes, outside ``<script>``/``<style>`` and outside elements marked as another language
(the language switch says "English" with ``lang="en"`` on purpose).
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# Words and phrases of English that have no business in a Vietnamese page: Django's untranslated durations
# ("1 week, 3 days"), library error messages ("File is not a zip file"), Python literals.
ENGLISH = re.compile(
    r"\b(?:weeks?|days?|hours?|minutes?|months?|years?|ago|None|True|False|Error|File is|is not|not a|"
    r"This field|Enter a|Ensure this|Forbidden|Not Found|Bad Request|Server Error|required|invalid|Invalid)\b"
)
# Weekdays are named (thứ Hai … Chủ nhật); "ngày thứ 0" is a setting's number shown as it is stored.
WEEKDAY_NUMBER = re.compile(r"\b[Tt]hứ [01]\b")
# A Vietnamese syllable never ends in "s": "lịch sử cư trús" is an English plural glued to a Vietnamese noun.
VIETNAMESE_PLURAL_S = re.compile(r"\b\w*[^\W\x00-\x7f]\w*s\b")
PYTHON_REPR = re.compile(r"\{'|\['|'\}|'\]|\{\"|<QuerySet|object at 0x|\bDecimal\(|\bdatetime\.")
MODEL_LABEL = re.compile(r"\b[a-z]+\.[A-Z][A-Za-z]+\b")  # people.LifeEvent, surveillance.CaseReport
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")  # system_admin, risk_factors, people_moved
WORD = re.compile(r"\w+")
HTML_LANG = re.compile(r"<html\b[^>]*\blang=\"([^\"]*)\"")
VIETNAMESE_LETTER = re.compile(r"[À-ỹĐđ]")


@dataclass(frozen=True)
class Offence:
    kind: str
    text: str
    context: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.text!r} in “{self.context}”"


class _Reader(HTMLParser):
    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.open: list[tuple[str, bool]] = []  # (tag, hidden from the reader's language)
        self.chunks: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.open) and self.open[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang") if tag != "html" else None  # the page's own language is checked on its own
        hidden = self._hidden() or tag in ("script", "style") or (lang is not None and lang != self.language)
        if not hidden:
            self.chunks += [" ".join(values[a].split()) for a in VISIBLE_ATTRIBUTES if values.get(a)]
            if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
                self.chunks.append(values["value"])
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._hidden():
            self.chunks.append(text)


def visible_text(html: str, language: str) -> list[str]:
    """The pieces of text a reader of ``language`` sees on the page, whitespace collapsed."""
    reader = _Reader(language)
    reader.feed(html)
    reader.close()
    return reader.chunks


def page_language(html: str) -> str | None:
    """The ``lang`` of the ``<html>`` element; None for a fragment (an htmx partial)."""
    match = HTML_LANG.search(html)
    return match.group(1) if match else ("" if "<html" in html else None)


def _find(pattern: re.Pattern, kind: str, chunks: list[str], allowed: frozenset[str] = frozenset()) -> list[Offence]:
    return [Offence(kind, m.group(0), chunk[:160]) for chunk in chunks for m in pattern.finditer(chunk)
            if m.group(0) not in allowed]


def code_offences(chunks: list[str], *, codes: frozenset[str], allowed: frozenset[str]) -> list[Offence]:
    """Python reprs, model labels, snake_case identifiers and known internal codes (role, section, choice
    values, field names), in any language."""
    found = _find(PYTHON_REPR, "Python repr", chunks) + _find(MODEL_LABEL, "model label", chunks)
    found += _find(SNAKE_CASE, "internal code", chunks, allowed)
    wanted = sorted(codes - allowed, key=len, reverse=True)
    if wanted:  # whole codes only: "contact" but not "contacts", "farrington-flexible" but not "Farrington"
        known = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, wanted)) + r")(?![\w-])")
        found += _find(known, "internal code", chunks)
    return found


def vietnamese_page_offences(chunks: list[str], *, codes: frozenset[str], allowed: frozenset[str]) -> list[Offence]:
    """Everything wrong in a page that should be entirely Vietnamese."""
    return (_find(ENGLISH, "English", chunks) + _find(VIETNAMESE_PLURAL_S, "English plural", chunks)
            + _find(WEEKDAY_NUMBER, "weekday number", chunks)
            + code_offences(chunks, codes=codes, allowed=allowed))


def english_page_offences(chunks: list[str], *, data_words: frozenset[str], allowed: frozenset[str]) -> list[Offence]:
    """Everything wrong in an English page: codes as above, and Vietnamese words that are not data (names of
    people and places, free text typed by users) — a message id left untranslated."""
    found = code_offences(chunks, codes=frozenset(), allowed=allowed)
    found += [Offence("untranslated Vietnamese", word, chunk[:160]) for chunk in chunks
              for word in WORD.findall(chunk) if VIETNAMESE_LETTER.search(word) and word not in data_words]
    return found
