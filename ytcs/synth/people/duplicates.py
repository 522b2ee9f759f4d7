"""Injected duplicate registrations for testing the duplicate detector (``ytcs synth --duplicates SHARE``).

A re-registration copies a synthetic resident with the errors a second registration really has: the
name typed without diacritics, family and given name swapped, a one-letter typo in the given name,
the birth date with day and month swapped or known only by its year, another phone number, and never
the CCCD or BHXH number (both are unique in the register, and a second registration rarely has them).
Each copy gets one to three of these errors and lives in the original's household or another
synthetic household of the same commune, so ``synth --replace`` removes it with the rest.

The ground truth is *not* stored in the register: it is written to a CSV side file
(``duplicate_id,original_id,errors``) that benchmarks read.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from django.db import transaction

from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit
from ytcs.people.models import Household, Resident

ERRORS = ("no_diacritics", "swapped_order", "given_typo", "birth_day_month_swapped", "birth_year_only",
          "different_phone")
_ERROR_COUNT_PROBS = (0.5, 0.35, 0.15)  # one, two or three errors per copy
_LETTERS = "abcdeghiklmnopqrstuvxy"  # the letters of Vietnamese words


@dataclass(frozen=True)
class InjectedDuplicate:
    duplicate_id: int
    original_id: int
    errors: tuple[str, ...]


def _strip_marks(text: str) -> str:
    """"Nguyễn" → "Nguyen": what a keyboard without Vietnamese input gives, case kept."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in text if unicodedata.category(ch) != "Mn"))


def _typo(rng: np.random.Generator, word: str) -> str:
    """One edit of the unaccented ``word``: a letter replaced, dropped, doubled or two letters swapped."""
    plain = _strip_marks(word)
    if len(plain) < 2:
        return plain + plain[-1:]
    i = int(rng.integers(0, len(plain)))
    kind = int(rng.integers(0, 4))
    if kind == 0:
        letter = _LETTERS[int(rng.integers(0, len(_LETTERS)))]
        out = plain[:i] + (letter.upper() if plain[i].isupper() else letter) + plain[i + 1:]
    elif kind == 1 and len(plain) > 2:
        out = plain[:i] + plain[i + 1:]
    elif kind == 2:
        out = plain[:i + 1] + plain[i] + plain[i + 1:]
    else:
        i = min(i, len(plain) - 2)
        out = plain[:i] + plain[i + 1] + plain[i] + plain[i + 2:]
    return out if fold(out) != fold(word) else plain + "h"


def _copy(rng: np.random.Generator, original: Resident, errors: tuple[str, ...], household_id: int | None,
          village_id: int) -> Resident:
    family, middle, given = original.family_name, original.middle_name, original.given_name
    if "no_diacritics" in errors:
        family, middle, given = _strip_marks(family), _strip_marks(middle), _strip_marks(given)
    if "given_typo" in errors:
        given = _typo(rng, given)
    if "swapped_order" in errors:
        family, given = given, family
    born = original.birth_date
    if "birth_day_month_swapped" in errors:
        born = date(born.year, born.day, born.month)
    elif "birth_year_only" in errors:
        born = date(born.year, 1, 1)
    phone = original.phone
    if "different_phone" in errors:
        phone = "" if rng.random() < 0.3 else f"09{int(rng.integers(0, 100_000_000)):08d}"
    full_name = " ".join(part for part in (family, middle, given) if part)
    return Resident(
        household_id=household_id, commune_id=original.commune_id, village_id=village_id, family_name=family,
        middle_name=middle, given_name=given, full_name=full_name, name_folded=fold(full_name), sex=original.sex,
        birth_date=born, birth_year=born.year, ethnicity=original.ethnicity, occupation=original.occupation,
        cccd=None, social_insurance_number=None, phone=phone,
        bhyt_card_number=original.bhyt_card_number if rng.random() < 0.5 else "",
        bhyt_valid_from=original.bhyt_valid_from, bhyt_valid_to=original.bhyt_valid_to,
    )


def _errors_for(rng: np.random.Generator, original: Resident) -> tuple[str, ...]:
    count = int(rng.choice(3, p=_ERROR_COUNT_PROBS)) + 1
    chosen = set(rng.choice(len(ERRORS), size=count, replace=False).tolist())
    errors = [ERRORS[i] for i in sorted(chosen)]
    born = original.birth_date
    if "birth_day_month_swapped" in errors and (born.day > 12 or born.day == born.month):
        errors[errors.index("birth_day_month_swapped")] = "birth_year_only"
    if "birth_day_month_swapped" in errors and "birth_year_only" in errors:
        errors.remove("birth_year_only")
    return tuple(dict.fromkeys(errors))


def duplicates_inject(*, province: OrgUnit, share: float, seed: int, truth_path: Path) -> list[InjectedDuplicate]:
    """Re-register ``share`` of the province's synthetic residents with realistic errors; write the truth CSV.

    Deterministic for a seed and a given population. One transaction.
    """
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"--duplicates: {share}")
    prefix = f"SYN-{province.code}-"
    rng = np.random.default_rng([seed, 7])
    pool = np.array(
        Resident.objects.active().filter(household__code__startswith=prefix)
        .order_by("pk").values_list("pk", flat=True),
        dtype=np.int64,
    )
    count = round(len(pool) * share)
    if count == 0:
        truth_path.parent.mkdir(parents=True, exist_ok=True)
        truth_path.write_text("duplicate_id,original_id,errors\n", encoding="utf-8")
        return []
    chosen = np.sort(rng.choice(pool, size=count, replace=False)).tolist()
    injected: list[InjectedDuplicate] = []
    with transaction.atomic():
        for start in range(0, len(chosen), 5000):
            originals = list(Resident.objects.filter(pk__in=chosen[start:start + 5000]).order_by("pk"))
            villages = _villages_by_commune({o.commune_id for o in originals})
            households = _households_by_village(prefix, {v for vs in villages.values() for v in vs})
            copies, plan = [], []
            for original in originals:
                errors = _errors_for(rng, original)
                village_id = original.village_id
                if rng.random() < 0.2 and len(villages.get(original.commune_id, [])) > 1:
                    village_id = int(rng.choice(villages[original.commune_id]))
                household_id = None
                if village_id == original.village_id and rng.random() < 0.5:
                    household_id = original.household_id
                elif households.get(village_id):
                    household_id = households[village_id][int(rng.integers(0, len(households[village_id])))]
                copies.append(_copy(rng, original, errors, household_id, village_id))
                plan.append((original.pk, errors))
            Resident.objects.bulk_create(copies, batch_size=1000)
            injected += [InjectedDuplicate(c.pk, pk, errors) for c, (pk, errors) in zip(copies, plan, strict=True)]
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    with truth_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["duplicate_id", "original_id", "errors"])
        writer.writerows((d.duplicate_id, d.original_id, "+".join(d.errors)) for d in injected)
    return injected


def _villages_by_commune(communes: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for pk, parent in OrgUnit.objects.filter(parent_id__in=communes, level=OrgUnit.Level.VILLAGE,
                                             valid_to__isnull=True).values_list("pk", "parent_id"):
        found.setdefault(parent, []).append(pk)
    return found


def _households_by_village(prefix: str, villages: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    rows = Household.objects.filter(village_id__in=villages, code__startswith=prefix).values_list("pk", "village_id")
    for pk, village_id in rows.iterator(chunk_size=10_000):
        if len(found.setdefault(village_id, [])) < 50:
            found[village_id].append(pk)
    return found


def read_truth(path: Path) -> set[tuple[int, int]]:
    """The injected pairs of a truth file, smaller id first."""
    with path.open(encoding="utf-8") as source:
        return {tuple(sorted((int(row["duplicate_id"]), int(row["original_id"])))) for row in csv.DictReader(source)}
