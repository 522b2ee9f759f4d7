"""An error model for re-registrations, written apart from the detector, and namesakes who are other people.

``bench/dedup_bench.py --model independent`` uses it instead of ``ytcs synth --duplicates`` (the project's own
generator, whose errors the detector was first tuned on). It was written from how a second registration of
the same person goes wrong at a commune station — not from ``ytcs/people/dedup/scoring.py`` — and is
documented, with each kind's share, in docs/search-dedup.md ("Measuring the detector").

Each re-registration has exactly **one** error (``ERRORS``); where a kind cannot apply to a person (day and
month cannot be swapped on the 20th, there is no middle name to leave out), another kind is drawn, so the
shares are of the people a kind applies to. Independently of the error, the second registration never has
the CCCD or BHXH number (both unique in the register), keeps the BHYT card code 30 % of the time, has the
same phone 35 %, another phone 30 %, none 35 %, and lives in the same household 25 %, another household
of the village 45 %, another village of the commune 30 %.

Next to them come **other people with the same name** (``NAMESAKES``), who must not be proposed: same full
name, sex and birth year but another day (the hard case), the same name born one to three years apart,
and twins (same household, date, family and middle name, phone; another given name). They carry no CCCD
or BHXH number either, so only names, dates and places tell them apart.

Both ground truths go to CSV side files, never to the register.
"""

from __future__ import annotations

import calendar
import csv
import random
import unicodedata
from datetime import date
from pathlib import Path

# One error per re-registration, with its share (sums to 1).
ERRORS: dict[str, float] = {
    # the name
    "no_diacritics": 0.12,  # typed on a keyboard without Vietnamese input: "Nguyen Van An"
    "diacritic_slip": 0.05,  # one word with a wrong or missing tone mark: "Nguyển", "Thi"
    "given_typo": 0.08,  # one slip of the finger in the given name (neighbouring key, letter dropped/doubled/swapped)
    "family_typo": 0.05,  # the same in the family name
    "telex_residue": 0.03,  # one word typed with the Vietnamese input switched off: "Nguyeenx", "Hoaf"
    "spelling_variant": 0.06,  # the name written as it is heard: s/x, ch/tr, d/gi/r, l/n, n/ng, c/t, i/y
    "middle_omitted": 0.08,  # "Nguyễn An" for "Nguyễn Văn An", "Lò Mai" for "Lò Thị Mai"
    "middle_changed": 0.05,  # another middle name: "Nguyễn Đức An", "Hoàng Thu Hà" for "Hoàng Thị Hà"
    "given_first": 0.05,  # written given name first: "An Nguyễn Văn"
    "family_given_swapped": 0.03,  # family and given name boxes swapped: "An Văn Nguyễn"
    # the birth date
    "day_month_swapped": 0.08,  # 03/07 read as 07/03
    "birth_year_off_by_one": 0.10,  # a digit slip or a year counted from the age: same day and month
    "year_only": 0.05,  # only the year known: entered as 1 January
    "date_digit_typo": 0.06,  # one digit of the day or month mistyped (17 → 18, 05 → 06)
    "age_reckoning": 0.04,  # only the age known, counted the traditional way (tuổi mụ): 1 January of year − 1
    # none: the same name and date, only the circumstances (phone, household, village) differ
    "no_error": 0.07,
}
NAMESAKES: dict[str, float] = {
    "namesake_same_year": 0.60,
    "namesake_near_year": 0.25,
    "twin": 0.15,
}

_MIDDLE = {"M": ["Văn", "Đức", "Hữu", "Minh", "Quốc", "Công", "Đình", "Xuân", "Ngọc", "Thanh", "Quang"],
           "F": ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Hồng", "Mỹ", "Phương", "Bích"]}
# Neighbouring keys on a QWERTY keyboard (phones and PCs alike).
_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_NEIGHBOURS = {}
for _r, _row in enumerate(_ROWS):
    for _i, _key in enumerate(_row):
        _near = [_row[j] for j in (_i - 1, _i + 1) if 0 <= j < len(_row)]
        _near += [_ROWS[r][_i] for r in (_r - 1, _r + 1) if 0 <= r < len(_ROWS) and _i < len(_ROWS[r])]
        _NEIGHBOURS[_key] = "".join(_near)
_TONE_KEYS = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_TONES = list(_TONE_KEYS)
_SHAPE_KEYS = {"\u0302": None, "\u0306": "w", "\u031b": "w"}  # circumflex doubles the vowel; breve, horn: w
# Spoken-name spellings (regional mergers): (start or end of the word, written as, may be written as).
_SPELLINGS = [
    ("start", "tr", "ch"), ("start", "ch", "tr"), ("start", "s", "x"), ("start", "x", "s"),
    ("start", "gi", "d"), ("start", "d", "gi"), ("start", "r", "d"), ("start", "d", "r"),
    ("start", "l", "n"), ("start", "n", "l"), ("end", "ng", "n"), ("end", "n", "ng"), ("end", "c", "t"),
    ("end", "t", "c"), ("end", "i", "y"), ("end", "y", "i"),
]
_I_Y = {"i": "y", "í": "ý", "ì": "ỳ", "ỉ": "ỷ", "ĩ": "ỹ", "ị": "ỵ"}
_I_Y.update({v: k for k, v in _I_Y.items()})


def strip_marks(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in text if unicodedata.category(ch) != "Mn"))


def _case_like(template: str, text: str) -> str:
    return text[:1].upper() + text[1:] if template[:1].isupper() else text


def keyboard_typo(rng: random.Random, word: str) -> str:
    """One slip on the keys of ``word`` (its marks kept where the letter survives)."""
    for _ in range(20):
        chars = list(word)
        i = rng.randrange(len(chars))
        base = strip_marks(chars[i]).lower()
        kind = rng.choice(("neighbour", "drop", "double", "swap"))
        if kind == "neighbour" and base in _NEIGHBOURS:
            chars[i] = rng.choice(_NEIGHBOURS[base])
            if word[i].isupper():
                chars[i] = chars[i].upper()
        elif kind == "drop" and len(chars) > 2:
            del chars[i]
        elif kind == "double":
            chars.insert(i + 1, chars[i].lower())
        elif kind == "swap" and i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
            chars[0] = chars[0].upper() if word[0].isupper() else chars[0]
            chars[1:] = [c.lower() for c in chars[1:]]
        else:
            continue
        out = "".join(chars)
        if strip_marks(out).lower() != strip_marks(word).lower():
            return out
    return word + "h"


def telex(word: str) -> str | None:
    """The keys typed for ``word`` in Telex, as they come out with the input method off; None without marks."""
    out, tone = [], ""
    for ch in unicodedata.normalize("NFD", word):
        if ch in ("đ", "Đ"):
            out.append(ch.replace("đ", "dd").replace("Đ", "Dd"))
        elif ch in _TONE_KEYS:
            tone = _TONE_KEYS[ch]
        elif ch in _SHAPE_KEYS:
            out.append(out[-1].lower() if _SHAPE_KEYS[ch] is None else "w")
        else:
            out.append(ch)
    typed = "".join(out) + tone
    return typed if typed != word else None


def spelling_variant(rng: random.Random, word: str) -> str | None:
    """``word`` written as heard in another dialect, or None when no rule applies."""
    low = word.lower()
    rules = [(where, old, new) for where, old, new in _SPELLINGS
             if (where == "start" and low.startswith(old) and not (old == "n" and low[:2] in ("ng", "nh")))
             or (where == "end" and strip_marks(low).endswith(old)
                 and not (old == "n" and strip_marks(low).endswith("ng")))]
    if not rules:
        return None
    where, old, new = rng.choice(rules)
    if where == "start":
        return _case_like(word, new + word[len(old):])
    if old in ("i", "y"):  # only a lone final i/y after a consonant: "Vy"/"Vi", "Kỳ"/"Kì" (not "Mai", "Thuý")
        if len(word) < 2 or word[-1].lower() not in _I_Y or strip_marks(word[-2]).lower() in "aeiouy":
            return None
        return word[:-1] + _I_Y[word[-1].lower()]
    return word[: len(word) - len(old)] + new


def diacritic_slip(rng: random.Random, word: str) -> str:
    """Another tone mark on ``word`` (or none), keeping the vowel shapes."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [i for i, ch in enumerate(decomposed) if ch in _TONE_KEYS]
    if tones:
        i = tones[0]
        replacement = rng.choice([t for t in _TONES if t != decomposed[i]] + [""])
        decomposed = decomposed[:i] + replacement + decomposed[i + 1:]
    else:
        vowels = [i for i, ch in enumerate(decomposed) if ch.lower() in "aeiouy"]
        i = vowels[-1] + 1 if vowels else len(decomposed)
        while i < len(decomposed) and decomposed[i] in _SHAPE_KEYS:  # the tone goes after ă, â, ơ, ư's mark
            i += 1
        decomposed = decomposed[:i] + rng.choice(_TONES) + decomposed[i:]
    return unicodedata.normalize("NFC", decomposed)


def _valid(year: int, month: int, day: int) -> date | None:
    if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
        return date(year, month, day)
    return None


def digit_typo(rng: random.Random, born: date) -> date | None:
    """The date with one digit of "ddmm" mistyped, still a real date and not the day/month swap."""
    for _ in range(30):
        digits = list(f"{born.day:02d}{born.month:02d}")
        i = rng.randrange(4)
        digits[i] = rng.choice([d for d in "0123456789" if d != digits[i]])
        typed = _valid(born.year, int("".join(digits[2:])), int("".join(digits[:2])))
        if typed and typed != born and typed != _valid(born.year, born.day, born.month):
            return typed
    return None


def year_shift(born: date, years: int) -> date:
    day = min(born.day, calendar.monthrange(born.year + years, born.month)[1])
    return date(born.year + years, born.month, day)


def apply_error(rng: random.Random, kind: str, person: dict, *, as_of: date) -> dict | None:
    """``person`` (family, middle, given, sex, born) with one error of ``kind``; None when it cannot apply."""
    family, middle, given, born = person["family"], person["middle"], person["given"], person["born"]
    out = dict(person)
    if kind == "no_error":
        return out
    if kind == "no_diacritics":
        changed = {k: strip_marks(person[k]) for k in ("family", "middle", "given")}
        if changed == {k: person[k] for k in changed}:
            return None
        out.update(changed)
    elif kind == "diacritic_slip":
        key = rng.choice([k for k in ("family", "middle", "given") if person[k]])
        words = person[key].split()
        j = rng.randrange(len(words))
        words[j] = diacritic_slip(rng, words[j])
        out[key] = " ".join(words)
    elif kind in ("given_typo", "family_typo"):
        key = kind.removesuffix("_typo")
        out[key] = keyboard_typo(rng, person[key])
    elif kind == "telex_residue":
        typed = [(k, t) for k in ("family", "middle", "given") for t in [telex(person[k])] if person[k] and t]
        if not typed:
            return None
        key, value = rng.choice(typed)
        out[key] = value
    elif kind == "spelling_variant":
        options = [(k, v) for k in ("given", "given", "family") for v in [spelling_variant(rng, person[k])] if v]
        if not options:
            return None
        key, value = rng.choice(options)
        out[key] = value
    elif kind == "middle_omitted":
        if not middle:
            return None
        out["middle"] = ""
    elif kind == "middle_changed":
        if not middle:
            return None
        out["middle"] = rng.choice([m for m in _MIDDLE[person["sex"]] if m != middle])
    elif kind == "given_first":
        if not middle:
            return None
        out.update(family=given, middle=family, given=middle)
    elif kind == "family_given_swapped":
        out.update(family=given, given=family)
    elif kind == "day_month_swapped":
        swapped = _valid(born.year, born.day, born.month)
        if swapped is None or swapped == born:
            return None
        out["born"] = swapped
    elif kind == "birth_year_off_by_one":
        shifted = year_shift(born, rng.choice((-1, 1)))
        out["born"] = shifted if shifted <= as_of else year_shift(born, -1)
    elif kind == "year_only":
        if (born.month, born.day) == (1, 1):
            return None
        out["born"] = date(born.year, 1, 1)
    elif kind == "date_digit_typo":
        typed = digit_typo(rng, born)
        if typed is None:
            return None
        out["born"] = typed
    elif kind == "age_reckoning":
        out["born"] = date(born.year - 1, 1, 1)
    else:
        raise ValueError(kind)
    return out


def draw(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def inject(*, share: float, namesake_share: float, seed: int, truth_path: Path, negatives_path: Path,
           as_of: date = date(2026, 1, 1)) -> tuple[int, int]:
    """Write re-registrations of ``share`` of the synthetic residents and namesakes of ``namesake_share``.

    Needs Django set up on the benchmark database. Returns (re-registrations, namesakes).
    """
    from django.db import transaction

    from ytcs.core.text import fold
    from ytcs.people.models import Household, Resident

    rng = random.Random(seed * 7919 + 13)
    pool = list(Resident.objects.active().filter(household__code__startswith="SYN-")
                .order_by("pk").values_list("pk", flat=True))
    chosen = sorted(rng.sample(pool, round(len(pool) * (share + namesake_share))))
    rng.shuffle(chosen)
    split = round(len(pool) * share)
    roles = {pk: ("duplicate" if i < split else "namesake") for i, pk in enumerate(chosen)}
    households: dict[int, list[tuple[int, int]]] = {}
    for pk, village, commune in Household.objects.filter(code__startswith="SYN-").values_list(
            "pk", "village_id", "commune_id").iterator(chunk_size=10_000):
        households.setdefault(commune, []).append((pk, village))
    given_by_sex: dict[str, list[str]] = {"M": [], "F": []}
    truth, negatives = [], []
    with transaction.atomic():
        originals = Resident.objects.filter(pk__in=sorted(chosen)).order_by("pk")
        rows = []
        for original in originals.iterator(chunk_size=5000):
            if len(given_by_sex[original.sex]) < 5000:
                given_by_sex[original.sex].append(original.given_name)
            person = {"family": original.family_name, "middle": original.middle_name, "given": original.given_name,
                      "sex": original.sex, "born": original.birth_date}
            place = households.get(original.commune_id) or [(original.household_id, original.village_id)]
            if roles[original.pk] == "duplicate":
                kind, copy = "no_error", dict(person)
                for _ in range(50):  # draw again until a kind applies to this person
                    drawn = draw(rng, ERRORS)
                    applied = apply_error(rng, drawn, person, as_of=as_of)
                    if applied is not None:
                        kind, copy = drawn, applied
                        break
                where = _duplicate_place(rng, original, place)
                rows.append((original, kind, copy, where, _duplicate_ids(rng, original)))
            else:
                kind = draw(rng, NAMESAKES)
                rows.append((original, kind, None, None, None))
        created = []
        for original, kind, copy, where, idents in rows:
            if copy is None:
                copy, where, idents = _namesake(rng, kind, original, place=households.get(original.commune_id) or [],
                                                given_by_sex=given_by_sex, as_of=as_of)
            household_id, village_id = where
            full = " ".join(p for p in (copy["family"], copy["middle"], copy["given"]) if p)
            created.append((original, kind, Resident(
                household_id=household_id, commune_id=original.commune_id, village_id=village_id,
                family_name=copy["family"], middle_name=copy["middle"], given_name=copy["given"], full_name=full,
                name_folded=fold(full), sex=copy["sex"], birth_date=copy["born"], birth_year=copy["born"].year,
                ethnicity=original.ethnicity, occupation=original.occupation, cccd=None,
                social_insurance_number=None, phone=idents["phone"], bhyt_card_number=idents["bhyt"])))
        Resident.objects.bulk_create([r for _, _, r in created], batch_size=1000)
    for original, kind, resident in created:
        (truth if kind in ERRORS else negatives).append((resident.pk, original.pk, kind))
    for path, header, data in ((truth_path, "duplicate_id,original_id,errors", truth),
                               (negatives_path, "namesake_id,original_id,kind", negatives)):
        with path.open("w", newline="", encoding="utf-8") as out:
            out.write(header + "\n")
            csv.writer(out).writerows(data)
    return len(truth), len(negatives)


def _duplicate_place(rng: random.Random, original: object, place: list[tuple[int, int]]) -> tuple[int, int]:
    roll = rng.random()
    if roll < 0.25:
        return original.household_id, original.village_id
    same_village = [p for p in place if p[1] == original.village_id and p[0] != original.household_id]
    other_village = [p for p in place if p[1] != original.village_id]
    if roll < 0.70 and same_village:
        return rng.choice(same_village)
    if other_village:
        return rng.choice(other_village)
    return rng.choice(same_village) if same_village else (original.household_id, original.village_id)


def _new_phone(rng: random.Random) -> str:
    return f"0{rng.choice('389')}{rng.randrange(10**8):08d}"


def _duplicate_ids(rng: random.Random, original: object) -> dict:
    roll = rng.random()
    phone = original.phone if roll < 0.35 else _new_phone(rng) if roll < 0.65 else ""
    return {"phone": phone, "bhyt": original.bhyt_card_number if rng.random() < 0.30 else ""}


def _namesake(rng: random.Random, kind: str, original: object, *, place: list[tuple[int, int]],
              given_by_sex: dict[str, list[str]], as_of: date) -> tuple[dict, tuple, dict]:
    """Another person: same name and year (another day), the same name a few years apart, or a twin."""
    born = original.birth_date
    person = {"family": original.family_name, "middle": original.middle_name, "given": original.given_name,
              "sex": original.sex, "born": born}
    others = [p for p in place if p[0] != original.household_id]
    same_village = [p for p in others if p[1] == original.village_id]
    if kind == "twin":
        names = [g for g in given_by_sex[original.sex] if fold_word(g) != fold_word(original.given_name)]
        person["given"] = rng.choice(names) if names else original.given_name + "h"
        return person, (original.household_id, original.village_id), {"phone": original.phone, "bhyt": ""}
    if kind == "namesake_same_year":
        year = born.year
    else:
        year = born.year + rng.choice((-3, -2, -1, 1, 2, 3))
        year = min(year, as_of.year - 1)
    while True:
        day = date.fromordinal(date(year, 1, 1).toordinal() + rng.randrange(365))
        if day != born and day <= as_of:
            break
    person["born"] = day
    where = rng.choice(same_village) if same_village and rng.random() < 0.5 else (
        rng.choice(others) if others else (original.household_id, original.village_id))
    return person, where, {"phone": _new_phone(rng) if rng.random() < 0.7 else "", "bhyt": ""}


def fold_word(word: str) -> str:
    return strip_marks(word).lower()
