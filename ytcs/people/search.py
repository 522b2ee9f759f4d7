"""Ranked, typo-tolerant resident name search on SQLite and PostgreSQL.

How a name query is answered:

1. The query is folded (``core.text.fold``) into tokens, so diacritics and case never matter.
2. Each token becomes a *variant group*: the token itself and, for tokens of three letters or more,
   every string one edit away (deletion, insertion, substitution or transposition of adjacent letters).
   "ann" → {"ann", "an", "anh", …}. Two-letter tokens are kept exact, so "an" never finds "Lan".
3. Candidates are the residents whose folded name has, for every group, at least one word in that
   group (word order is free). On PostgreSQL this is one GIN-indexed ``&&`` (array overlap) per group
   on ``string_to_array(name_folded, ' ')`` (index ``resident_name_words_gin``, created by migration
   ``0004``); on SQLite the candidates are found by scanning the scoped, birth-year-filtered names in
   Python — fine for a demo-sized register.
4. If no resident matches every group, nothing is dropped silently (:class:`RankedIds` says what was
   done, for the page to tell the user): a word that no resident in ``base`` has, not even one edit
   away, is reported as *unmatched* and the others are searched; if every word exists but no one has
   them all, one word may be missing from each result (a forgotten middle name) and the result is
   marked *partial*. Words that no ranked resident has exactly (only typo variants of them) are
   reported as *approximated*.
5. Residents with every word exact are fetched first; typo variants only while there are fewer than
   a page of them (``ENOUGH_EXACT``). At most ``CANDIDATE_CAP`` candidates are ranked in Python by
   :func:`name_score`, the same on both databases: rarer words weigh more (so a common given name
   such as An or Anh counts less than a rare one), an exact word beats a one-edit variant, the given
   name (last word) and the exact full name earn bonuses, extra unmatched words cost a little. Before
   the score come two rules. Residents with more of the typed words exactly come first. Among those with
   as many, residents whose given name (the last word of a Vietnamese name, family name first) is exactly
   the query's last word, or its first (the given name typed first, "an nguyen van"), come first, whatever
   the rarity of the other words: "nguyen van an" lists Trần Văn An before Nguyễn An Bình when nobody
   is called Nguyễn Văn An. Beyond the cap the total is reported as
   "more than" and the user is asked to add a birth year.
6. One name word answers one query word: the typo variants of a typed word never include another typed
   word, and a candidate must give each matched query word a different name word (``_matches_groups``),
   so "Nguyễn An Bình" does not answer "nguyen van an" by reading "an" also as "van" misspelt.

Identifier queries never come here: they are exact matches on indexed columns (``selectors``).
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from django.db import connection
from django.db.models import Func, QuerySet, TextField, Value

CANDIDATE_CAP = 500
ENOUGH_EXACT = 25  # a full page of residents with every word exact: typo variants would rank below them
STATS_TTL_SECONDS = 600
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_MIN_FUZZY_LENGTH = 3


# --- word statistics (how common each name word is) ---


@dataclass(frozen=True)
class WordStats:
    """How many residents carry each folded name word; ``total`` is the number of residents counted."""

    counts: dict[str, int]
    total: int

    def weight(self, word: str) -> float:
        """Inverse document frequency, at least 0.5: "nguyen" (a third of the country) weighs little."""
        count = self.counts.get(word, 0)
        return max(0.5, math.log((self.total + 1) / (count + 1)))


_stats_lock = threading.Lock()
_stats: tuple[float, WordStats] | None = None


def word_stats(*, refresh: bool = False) -> WordStats:
    """Word frequencies over the whole register, cached in the process for ``STATS_TTL_SECONDS``.

    Only ranking weights depend on them, so a slightly stale table costs nothing but a little rank
    precision; matching never does.
    """
    global _stats
    now = time.monotonic()
    with _stats_lock:
        if not refresh and _stats is not None and now - _stats[0] < STATS_TTL_SECONDS:
            return _stats[1]
        stats = _compute_word_stats()
        _stats = (now, stats)
        return stats


def clear_word_stats() -> None:
    """Forget the cached statistics (tests, and after a bulk load)."""
    global _stats
    with _stats_lock:
        _stats = None


def _compute_word_stats() -> WordStats:
    from ytcs.people.models import Resident

    table = Resident._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT w, count(*) FROM {table}, unnest(string_to_array(name_folded, ' ')) AS w "  # noqa: S608
                "WHERE merged_into_id IS NULL GROUP BY w"
            )
            counts = dict(cursor.fetchall())
            cursor.execute(f"SELECT count(*) FROM {table} WHERE merged_into_id IS NULL")  # noqa: S608
            total = cursor.fetchone()[0]
        return WordStats(counts, total)
    counter: Counter[str] = Counter()
    total = 0
    for name in Resident.objects.active().values_list("name_folded", flat=True).iterator():
        counter.update(set(name.split()))
        total += 1
    return WordStats(dict(counter), total)


# --- variants ---


def edits1(word: str) -> set[str]:
    """Every string one edit away from ``word`` over a–z (Damerau: adjacent transpositions count as one)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word, ""}


def within_one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by at most one edit (Damerau–Levenshtein ≤ 1), without building sets."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def fuzzy(word: str) -> bool:
    return len(word) >= _MIN_FUZZY_LENGTH


def variant_group(word: str, vocabulary: Container[str]) -> set[str]:
    """The words a query word may stand for: itself, plus its one-edit neighbours that occur in the register
    (``vocabulary``) when it is long enough."""
    if not fuzzy(word):
        return {word}
    return {word} | {v for v in edits1(word) if v in vocabulary}


def word_matches(query_word: str, name_word: str) -> float:
    """1 for the same word; for a long-enough query word, 0.7 when it is the name word with one letter
    struck twice ("ann" for "an", the commonest slip on a phone keyboard), 0.6 for any other one-edit
    variant; else 0."""
    if query_word == name_word:
        return 1.0
    if not fuzzy(query_word) or not within_one_edit(query_word, name_word):
        return 0.0
    if len(query_word) == len(name_word) + 1:
        doubled = any(query_word[i] == query_word[i + 1] and query_word[:i] + query_word[i + 1:] == name_word
                      for i in range(len(query_word) - 1))
        if doubled:
            return 0.7
    return 0.6


# --- scoring ---


GIVEN_NAME_BONUS = 1.0
FAMILY_NAME_BONUS = 0.3
FULL_NAME_BONUS = 2.0
SAME_ORDER_BONUS = 0.3
EXTRA_WORD_COST = 0.4
MISSING_WORD_COST = 1.5


def name_score(query_words: Sequence[str], name_words: Sequence[str], stats: WordStats) -> float:
    """How well ``name_words`` (a folded name split in words) answers ``query_words``; higher is better.

    Each query word is paired with the best unused name word, exact pairs first. A pair scores its
    match quality (1, 0.7 or 0.6) times the rarity of the word (the name word when exact, else the
    typed one); the given name (the last word) and
    the family name (the first) add small bonuses, as do the exact full name and the same word order.
    Name words left unpaired cost a little (a longer name is a slightly worse answer), query words
    left unpaired cost more.
    """
    used: dict[int, int] = {}
    score = 0.0
    last = len(name_words) - 1
    for pass_exact in (True, False):
        for qi, q in enumerate(query_words):
            if qi in used.values():
                continue
            best, best_j = 0.0, -1
            for j, n in enumerate(name_words):
                if j in used:
                    continue
                quality = word_matches(q, n)
                if pass_exact and quality < 1.0:
                    continue
                if quality > best or (quality == best and quality > 0 and j == last):
                    best, best_j = quality, j
            if best_j >= 0:
                used[best_j] = qi
                # An exact word weighs by its own rarity; a variant by the rarity of the word typed, so the
                # closest variant wins whatever its frequency, and never outweighs the typed word itself.
                weight = stats.weight(name_words[best_j] if best == 1.0 else q)
                score += best * weight
                if best_j == last and last > 0:
                    score += GIVEN_NAME_BONUS * best
                elif best_j == 0:
                    score += FAMILY_NAME_BONUS * best
    missing = len(query_words) - len(used)
    score -= MISSING_WORD_COST * missing
    score -= EXTRA_WORD_COST * (len(name_words) - len(used))
    if list(query_words) == list(name_words):
        score += FULL_NAME_BONUS
    elif len(used) > 1 and [used[j] for j in sorted(used)] == sorted(used.values()):
        score += SAME_ORDER_BONUS
    return score


# --- candidates and ranking ---


@dataclass(frozen=True)
class RankedIds:
    """Resident ids, best first, and what the search had to do to find them.

    ``capped``: more residents matched than were ranked. ``searched``: the words every result was
    required to have (the query's words less ``unmatched``). ``unmatched``: query words no resident in
    the searched set has, not even one edit away. ``partial``: no one has every searched word, so each
    result may lack one of them. ``approximated``: searched words that no ranked resident has exactly
    but some have as a one-edit variant (the results are near spellings of them).
    """

    ids: list[int]
    capped: bool
    searched: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()
    partial: bool = False
    approximated: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.ids)


class _StringToArray(Func):
    function = "string_to_array"
    arity = 2


def _words_expression() -> Func:
    from django.contrib.postgres.fields import ArrayField

    return _StringToArray("name_folded", Value(" "), output_field=ArrayField(TextField()))


def _matches_groups(words: Iterable[str], groups: Sequence[set[str]], needed: int) -> bool:
    """Whether ``needed`` of the groups can each be given a *different* name word from their group.

    One name word answers one query word: "Nguyễn An Bình" does not answer "nguyen van an" by using "an"
    both as itself and as a typo of "van". A small augmenting-path matching (a name has a handful of words).
    """
    words = list(dict.fromkeys(words))
    owner: dict[int, int] = {}  # name word index -> group index

    def assign(g: int, seen: set[int]) -> bool:
        for j, word in enumerate(words):
            if word in groups[g] and j not in seen:
                seen.add(j)
                if j not in owner or assign(owner[j], seen):
                    owner[j] = g
                    return True
        return False

    matched = 0
    for g in range(len(groups)):
        matched += assign(g, set())
        if matched >= needed:
            return True
    return matched >= needed


def rank_by_name(base: QuerySet, words: Sequence[str], *, cap: int = CANDIDATE_CAP) -> RankedIds:
    """Ids of the residents in ``base`` whose names answer ``words``, best first, with what was done.

    ``base`` is already scoped and filtered (birth year, village); this adds only the name condition.
    """
    if not words:
        return RankedIds([], False)
    stats = word_stats()
    words = tuple(words)
    # A word the user typed is never also a typo of another typed word ("an" is not "van" misspelt).
    groups = [variant_group(w, stats.counts) - (set(words) - {w}) for w in words]
    variants = dict(zip(words, groups, strict=True))
    rows, capped = _all_words(base, words, groups, cap)
    searched, unmatched, partial = words, (), False
    if not rows:
        found = _groups_found(base, groups)
        unmatched = tuple(w for w, ok in zip(words, found, strict=True) if not ok)
        searched = tuple(w for w, ok in zip(words, found, strict=True) if ok)
        groups = [g for g, ok in zip(groups, found, strict=True) if ok]
        if unmatched and searched:
            rows, capped = _all_words(base, searched, groups, cap)
        if not rows and len(groups) > 1:
            rows, capped = _candidates(base, groups, len(groups) - 1, cap)
            partial = bool(rows)
    # Order: how many typed words the name has exactly; then whether its given name is the query's last word
    # (family name first, as written) or its first (given name typed first, as people are called); then the score.
    given = {searched[0], searched[-1]} if searched else set()
    scored = sorted(
        (
            -len(set(searched).intersection(name.split())),
            name.split()[-1] not in given,
            -name_score(searched, name.split(), stats),
            name, birth_year or 0, pk,
        )
        for pk, name, birth_year in rows
    )
    present = set().union(*(name.split() for _, name, _ in rows)) if rows else set()
    return RankedIds(
        ids=[row[-1] for row in scored],
        capped=capped,
        searched=searched,
        unmatched=unmatched,
        partial=partial,
        approximated=tuple(w for w in searched if w not in present and variants[w] & present),
    )


def _all_words(base: QuerySet, words: Sequence[str], groups: list[set[str]], cap: int) -> tuple[list[tuple], bool]:
    """Candidates with every word: those with every word exact first, so typo variants never crowd them out
    of the cap; variants only while there are fewer than a page of exact ones."""
    rows, capped = _candidates(base, [{w} for w in words], len(words), cap)
    if len(rows) < ENOUGH_EXACT and any(len(group) > 1 for group in groups):
        seen = {row[0] for row in rows}
        more, capped = _candidates(base, groups, len(groups), cap)
        rows += [row for row in more if row[0] not in seen][: cap - len(rows)]
    return rows, capped


def _groups_found(base: QuerySet, groups: Sequence[set[str]]) -> list[bool]:
    """For each group, whether any resident in ``base`` has one of its words (only asked when nobody has all)."""
    if connection.vendor == "postgresql":
        qs = base.alias(name_words=_words_expression()).order_by()
        return [qs.filter(name_words__overlap=sorted(group)).exists() for group in groups]
    found = [False] * len(groups)
    for name in base.order_by().values_list("name_folded", flat=True).iterator(chunk_size=5000):
        words = set(name.split())
        for i, group in enumerate(groups):
            found[i] = found[i] or bool(words & group)
        if all(found):
            break
    return found


def _candidates(base: QuerySet, groups: list[set[str]], needed: int, cap: int) -> tuple[list[tuple], bool]:
    """Up to ``cap`` (pk, name_folded, birth_year) rows whose words meet ``needed`` of the ``groups``."""
    columns = ("pk", "name_folded", "birth_year")
    if connection.vendor == "postgresql":
        from django.db.models import Q

        qs = base.alias(name_words=_words_expression())
        if needed == len(groups):
            for group in groups:
                qs = qs.filter(name_words__overlap=sorted(group))
        else:
            either = Q()
            for subset in combinations(groups, needed):
                both = Q()
                for group in subset:
                    both &= Q(name_words__overlap=sorted(group))
                either |= both
            qs = qs.filter(either)
        # No ORDER BY: ordering would make PostgreSQL walk the name index and test every row; the bitmap
        # from the GIN index is what keeps this fast. Beyond the cap, which residents are ranked is arbitrary.
        fetched = list(qs.order_by().values_list(*columns)[: cap + 1])
        # The array overlaps cannot say that each group used a different word; the rows fetched are checked
        # here (a row dropped this way is rare: two typed words sharing a one-edit variant).
        rows = [row for row in fetched[:cap] if _matches_groups(row[1].split(), groups, needed)]
        return rows, len(fetched) > cap
    rows = []
    for row in base.order_by().values_list(*columns).iterator(chunk_size=5000):
        if _matches_groups(row[1].split(), groups, needed):
            rows.append(row)
            if len(rows) > cap:
                break
    return rows[:cap], len(rows) > cap
