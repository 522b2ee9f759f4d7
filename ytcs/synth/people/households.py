"""Group people drawn from the pyramid into households, keeping everyone's age and sex as drawn.

Every person is drawn first (so the age pyramid is exact in expectation); households are then built by
matching: married women to husbands of plausible age, children to mothers who were 18–45 at their birth,
widowed elders to a son's household, and everyone left over into a household of their own. Matching is
done by sorting and ``searchsorted``, never per person, so a chunk of 50,000 people takes milliseconds.
"""

from dataclasses import dataclass

import numpy as np

from ytcs.synth.people import data

HEAD, WIFE, HUSBAND, CHILD, FATHER, MOTHER, FATHER_IN_LAW, MOTHER_IN_LAW, GRANDCHILD, DAUGHTER_IN_LAW = range(10)
# Codes of people.Relationship; the head's parents-in-law have no code of their own in the household book.
RELATIONSHIPS = [
    "head", "spouse", "spouse", "child", "parent", "parent", "other", "other", "grandchild", "child_in_law",
]
_LISTING_RANK = np.array([0, 1, 1, 3, 2, 2, 2, 2, 5, 4])  # order of members in a household listing


@dataclass
class Households:
    """Household membership of ``n`` people, sorted so that members of a household are contiguous."""

    order: np.ndarray  # permutation of the drawn people into household order
    household: np.ndarray  # household index per person (after ``order``)
    relationship: np.ndarray  # index into RELATIONSHIPS per person
    father: np.ndarray  # person index of the household's husband whose family name a person takes, or -1
    heads: np.ndarray  # person index of each household's head
    count: int


def _pick_same_age(rng: np.random.Generator, pool_ages: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each wanted age, a random position in sorted ``pool_ages`` with exactly that age, or -1."""
    lo = np.searchsorted(pool_ages, wanted, side="left")
    hi = np.searchsorted(pool_ages, wanted, side="right")
    pick = lo + (rng.random(len(wanted)) * (hi - lo)).astype(np.int64)
    return np.where(hi > lo, pick, -1)


def _weighted_sample(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """``k`` positions drawn without replacement with probability proportional to ``weights``."""
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    keys = np.log(rng.random(len(weights))) / np.maximum(weights, 1e-9)  # Efraimidis–Spirakis keys
    return np.argpartition(keys, len(keys) - k)[len(keys) - k:]


def _generation_gap(rng: np.random.Generator, size: int) -> np.ndarray:
    """Age difference between a father and his son, 20-40 years."""
    return np.floor(rng.triangular(20, 28, 41, size)).astype(np.int64)


def wives_of(couple: np.ndarray, wives: np.ndarray, k: int) -> np.ndarray:
    """The wife of each couple index (``wives`` is indexed by couple)."""
    return wives[np.minimum(couple, max(k - 1, 0))] if k else np.full(len(couple), -1)


def build(rng: np.random.Generator, *, age: np.ndarray, male: np.ndarray, rural_mountain: bool) -> Households:
    """Build households for people of the given ages and sexes."""
    p = data.params()["household"]
    n = len(age)
    household = np.full(n, -1, dtype=np.int64)
    relationship = np.full(n, HEAD, dtype=np.int8)
    father = np.full(n, -1, dtype=np.int64)

    # Couples: married women, each matched to a husband by rank of (wife's age + usual gap).
    min_wife, min_husband = p["legal_marriage_age"]
    married = (~male) & (age >= min_wife) & (rng.random(n) < data.interp_table(p["female_married_by_age"], age))
    wives = np.flatnonzero(married)
    men = np.flatnonzero(male & (age >= min_husband))
    gap = p["husband_age_gap_mean"]
    k = min(len(wives), len(men))
    wives = np.sort(rng.choice(wives, size=k, replace=False)) if k < len(wives) else wives
    husbands = men[_weighted_sample(rng, data.interp_table(p["female_married_by_age"], age[men] - gap), k)]
    wanted = age[wives] + rng.normal(gap, p["husband_age_gap_sd"], k)
    wives = wives[np.argsort(wanted, kind="stable")]
    husbands = husbands[np.argsort(age[husbands], kind="stable")]
    couples = np.arange(k)
    household[wives] = couples
    household[husbands] = couples
    wife_heads = rng.random(k) < p["head_is_wife_share"]
    heads = np.where(wife_heads, wives, husbands)
    relationship[wives] = np.where(wife_heads, HEAD, WIFE)
    relationship[husbands] = np.where(wife_heads, HUSBAND, HEAD)
    hh_husband = husbands

    # Children (and some unmarried young adults) live with a mother who was 18-45 at their birth.
    lo_birth, hi_birth = p["mother_age_at_birth"]
    young = (household < 0) & (
        (age < 18)
        | ((age < p["unmarried_adult_with_parents_until"]) & (rng.random(n) < p["unmarried_adult_with_parents_share"]))
    )
    kids = np.flatnonzero(young)
    by_age = np.argsort(age[wives], kind="stable")
    mother_gap = np.floor(rng.triangular(lo_birth, p["mother_age_at_birth_mode"], hi_birth + 1, len(kids)))
    pick = _pick_same_age(rng, age[wives][by_age], age[kids] + mother_gap.astype(np.int64))
    found = pick >= 0
    mothers = wives[by_age[pick[found]]]
    placed = kids[found]
    household[placed] = household[mothers]
    relationship[placed] = CHILD
    father[placed] = hh_husband[household[mothers]]

    # Some young couples live with the husband's parents; their children become the head's grandchildren.
    by_husband_age = np.argsort(age[hh_husband], kind="stable")
    share = data.by_profile(p["young_couple_with_parents_share"], rural_mountain)
    young = np.flatnonzero((age[hh_husband] < p["young_couple_max_husband_age"]) & (rng.random(k) < share))
    wanted = age[hh_husband[young]] + _generation_gap(rng, len(young))
    pick = _pick_same_age(rng, age[hh_husband][by_husband_age], wanted)
    found = pick >= 0
    young, parents = young[found], couples[by_husband_age[pick[found]]]
    keep = ~np.isin(parents, young)  # no chains: a household that moves cannot receive another
    young, parents = young[keep], parents[keep]
    merged_into = couples.copy()
    merged_into[young] = parents
    moving = np.flatnonzero(np.isin(household, young))
    relationship[moving] = np.where(
        moving == hh_husband[household[moving]], CHILD,
        np.where(moving == wives_of(household[moving], wives, k), DAUGHTER_IN_LAW, GRANDCHILD),
    )
    father[hh_husband[young]] = hh_husband[parents]
    household[moving] = merged_into[household[moving]]
    alive = np.ones(k, dtype=bool)
    alive[young] = False
    heads = heads[alive]
    living = couples[alive]

    # Widowed elders move in with a son: the household whose husband is 20-40 years younger.
    share = data.by_profile(p["widowed_elder_with_children_share"], rural_mountain)
    elders = np.flatnonzero((household < 0) & (age >= p["elder_age"]) & (rng.random(n) < share))
    by_husband_age = np.argsort(age[hh_husband[living]], kind="stable")
    pick = _pick_same_age(rng, age[hh_husband[living]][by_husband_age], age[elders] - _generation_gap(rng, len(elders)))
    found = pick >= 0
    elders, target = elders[found], living[by_husband_age[pick[found]]]
    # At most one father and one mother per household.
    _, first = np.unique(target * 2 + male[elders], return_index=True)
    elders, target = elders[first], target[first]
    household[elders] = target
    husband_is_head = ~wife_heads[target]
    relationship[elders] = np.where(
        male[elders], np.where(husband_is_head, FATHER, FATHER_IN_LAW), np.where(husband_is_head, MOTHER, MOTHER_IN_LAW)
    )
    father[elders[male[elders]]] = hh_husband[target[male[elders]]]

    # Children still unplaced live with relatives as grandchildren; everyone else heads a household.
    orphans = np.flatnonzero((household < 0) & (age < 18))
    if len(living) and len(orphans):
        target = living[rng.integers(0, len(living), len(orphans))]
        household[orphans] = target
        relationship[orphans] = GRANDCHILD
        father[orphans] = hh_husband[target]
    singles = np.flatnonzero(household < 0)
    household[singles] = k + np.arange(len(singles))
    relationship[singles] = HEAD
    heads = np.concatenate([heads, singles])
    _, household = np.unique(household, return_inverse=True)  # number households 0..count-1
    count = len(heads)

    # Reorder people so that each household's members are contiguous: head, spouse, parents, children by age...
    order = np.lexsort((-age, _LISTING_RANK[relationship], household))
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    father_sorted = father[order]
    father_sorted = np.where(father_sorted >= 0, position[np.maximum(father_sorted, 0)], -1)
    return Households(
        order=order,
        household=household[order],
        relationship=relationship[order],
        father=father_sorted,
        heads=position[heads],
        count=count,
    )
