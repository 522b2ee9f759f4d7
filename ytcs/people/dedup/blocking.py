"""Candidate pairs: only residents sharing a *blocking key* are ever compared.

Comparing every pair of a commune's 10,000 residents would be 50 million comparisons; the keys cut that
to the pairs that could plausibly be one person:

- the same identifier: BHYT card code or phone number (CCCD and BHXH numbers are unique in the
  register, so two registrations never share one);
- the family and the given name in either order, or any two words of the name within the same birth
  year, allowing one dropped letter in either word (deletion neighbourhoods: "anh" and "ann" both
  yield "an"), which also catches one-letter typos and swapped name order ("nguyen … an" shares a
  key with "an … nguyen" and "nguyen … ann");
- the same birth date, sex and village.

A key shared by more than ``MAX_BLOCK`` residents (a very common name in a big commune) says too little
to be worth all its pairs and is skipped; the other keys still pair those people when they match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from ytcs.people.dedup.scoring import Person

MAX_BLOCK = 150


def _deletions(word: str) -> set[str]:
    """``word`` and every string with one of its letters removed (kept only if two letters remain)."""
    out = {word}
    if len(word) >= 3:
        out |= {word[:i] + word[i + 1:] for i in range(len(word))}
    return out


def keys(person: Person) -> set[tuple]:
    """The blocking keys of one resident."""
    found: set[tuple] = set()
    if person.bhyt_card_number:
        found.add(("bhyt", person.bhyt_card_number))
    if person.phone:
        found.add(("phone", person.phone))
    words = person.words
    last = len(words) - 1
    for i, first in enumerate(words):
        for j in range(i + 1, len(words)):
            second = words[j]
            if first == second:
                continue
            # Family + given name alone; any other two words only within the same birth year, or the
            # common middle names (Văn, Thị) would pair half the commune.
            year = None if (i, j) == (0, last) else person.birth_date.year
            for variant in _deletions(second):
                found.add(("name", year, *sorted((first, variant))))
            for variant in _deletions(first):
                found.add(("name", year, *sorted((variant, second))))
    found.add(("born", person.birth_date, person.sex, person.village_id))
    return found


def candidate_pairs(people: Iterable[Person], *, max_block: int = MAX_BLOCK) -> Iterator[tuple[Person, Person]]:
    """Each pair of residents sharing at least one usable key, once, smaller pk first."""
    blocks: dict[tuple, list[Person]] = defaultdict(list)
    for person in people:
        for key in keys(person):
            blocks[key].append(person)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > max_block:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)
                if pair[0] == pair[1] or pair in seen:
                    continue
                seen.add(pair)
                yield (a, b) if a.pk < b.pk else (b, a)
