"""Vietnamese text folding for search and matching.

"Nguyễn Văn An", "nguyen van an" and "NGUYEN VAN AN" must meet, so search keys drop
tone and vowel marks, map đ to d, lower-case and collapse white space.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return ``text`` without diacritics, lower-cased, single-spaced."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text).strip().lower()


def nfc(text: str) -> str:
    """Normalise to NFC with modern tone placement folded ("Hoà" and "Hòa" compare equal)."""
    text = unicodedata.normalize("NFC", _SPACES.sub(" ", text).strip())
    for old, new in _OLD_TONE_PLACEMENT.items():
        text = text.replace(old, new)
    return text


# Old-style tone placement (on the first vowel of oa/oe/uy) to the modern one used by the 2025 unit list.
_OLD_TONE_PLACEMENT = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
    "Òa": "Oà", "Óa": "Oá", "Ỏa": "Oả", "Õa": "Oã", "Ọa": "Oạ",
}
