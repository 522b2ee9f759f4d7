"""Name words as the duplicate detector compares them: Telex residue undone, and a key for names that sound alike.

Both work on folded words (``core.text.fold``: no marks, lower case) and rest on how Vietnamese is
spelled, so they leave every real word alone:

- **Telex residue.** A name typed with the Vietnamese input method switched off keeps the keys that
  should have become marks: "Nguyeenx" for Nguyễn, "Hoaf" for Hoà, "Dduwcs" for Đức. A Vietnamese
  syllable never contains f, j, w or z, never has r, s or x after its first letter (bar the "tr" of
  its initial), and never doubles a, e, o or d — so removing those keys and undoing the doubling
  gives back the folded word, and changes no correctly typed one.
- **Sounds alike.** The same spoken name is written differently across dialects: the north merges
  the initials tr/ch, s/x, d/gi/r and, in places, l/n; the south merges the finals n/ng and t/c and
  the initials v/d; a lone final y is written i as well (Vy/Vi, Kỳ/Kì). ``sound_key`` maps each
  group to one spelling, so "Trang" and "Chang", "Sương" and "Xương", "Giang" and "Dang" meet.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TELEX_KEYS = set("fjwzrsx")
_TELEX_DOUBLES = re.compile(r"(aa|ee|oo|dd)")
_INITIALS = (("tr", "ch"), ("gi", "d"), ("r", "d"), ("v", "d"), ("x", "s"))
_FINALS = (("ng", "n"), ("c", "t"))
_VOWELS = set("aeiouy")


@lru_cache(maxsize=65_536)
def untelex(word: str) -> str:
    """``word`` (folded) without leftover Telex keys: "nguyeenx" → "nguyen", "dduwcs" → "duc"."""
    keep = 2 if word.startswith("tr") else 1  # the initial consonant(s) may be r, s, x
    cleaned = word[:keep] + "".join(ch for ch in word[keep:] if ch not in _TELEX_KEYS)
    return _TELEX_DOUBLES.sub(lambda m: m.group(0)[0], cleaned)


@lru_cache(maxsize=65_536)
def sound_key(word: str) -> str:
    """One spelling for the ways a (folded, Telex-free) name word is written as it is heard."""
    for old, new in _INITIALS:
        if word.startswith(old):
            word = new + word[len(old):]
            break
    if word.startswith("n") and word[1:2] not in ("g", "h"):
        word = "l" + word[1:]
    for old, new in _FINALS:
        if word.endswith(old) and len(word) > len(old):
            word = word[: -len(old)] + new
            break
    if len(word) >= 2 and word.endswith("y") and word[-2] not in _VOWELS:
        word = word[:-1] + "i"
    return word


def comparable_words(name_folded: str) -> list[str]:
    """The words of a folded name as the detector compares and blocks them."""
    return [untelex(word) for word in name_folded.split()]
