"""Draw one chunk of synthetic residents as numpy arrays (no database access).

Everything is a column: indices into small vocabularies (name parts, ethnicities, occupations, insurance
groups) plus integer prefixes for the identifiers. ``ids.Allocator`` completes the identifiers so they
stay unique across chunks; ``writer`` turns the columns into rows.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np

from ytcs.core.text import fold
from ytcs.synth.people import data, households

DAYS_PER_YEAR = 365.2425
_EPOCH = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class Context:
    """What stays fixed for a whole run."""

    as_of: date
    province_code: str  # 2-digit GSO code of the current province of residence
    bhyt_coverage: float
    cccd_adult_share: float
    cccd_child_share: float

    @property
    def mix(self) -> data.EthnicMix:
        return data.ethnic_mix(self.province_code)


class Vocabulary:
    """Distinct strings with their folded forms, so 1M names are folded from a few hundred parts."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.folded: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, word: str) -> int:
        if word not in self._index:
            self._index[word] = len(self.words)
            self.words.append(word)
            self.folded.append(fold(word))
        return self._index[word]

    def table(self, pairs: list[list]) -> tuple[np.ndarray, np.ndarray]:
        names, probs = data.weighted(pairs)
        return np.array([self.add(w) for w in names], dtype=np.int32), probs


@dataclass(frozen=True)
class NameTables:
    vocabulary: Vocabulary
    # per naming tradition: family table, {(sex_is_male, traditional): middle table}, {sex_is_male: given table}
    family: dict[str, tuple[np.ndarray, np.ndarray]]
    middle: dict[str, dict[tuple[bool, bool], tuple[np.ndarray, np.ndarray]]]
    given: dict[str, dict[bool, tuple[np.ndarray, np.ndarray]]]


@cache
def name_tables() -> NameTables:
    vocab = Vocabulary()
    family, middle, given = {}, {}, {}
    for naming, lists in data.names().items():
        family[naming] = vocab.table(lists["family"])
        middle[naming] = {
            (sex == "M", style == "traditional"): vocab.table(lists["middle"][sex][style])
            for sex in ("M", "F")
            for style in ("traditional", "modern")
        }
        given[naming] = {sex == "M": vocab.table(lists["given"][sex]) for sex in ("M", "F")}
    return NameTables(vocabulary=vocab, family=family, middle=middle, given=given)


@cache
def occupations() -> list[str]:
    occ = data.params()["occupation"]
    fixed = [occ["child"], occ["pupil"], occ["student"], occ["retired"], occ["elderly_not_working"]]
    adult = [name for profile in occ["adult"].values() for name, _ in profile]
    return list(dict.fromkeys(fixed + adult))


@cache
def bhyt_groups() -> list[str]:
    return list(data.params()["bhyt"]["levels"])


@dataclass
class Chunk:
    """One chunk of residents in household order; ``*_prefix`` columns are completed by ``ids``."""

    male: np.ndarray
    birth_ordinal: np.ndarray
    birth_year: np.ndarray
    household: np.ndarray
    relationship: np.ndarray
    heads: np.ndarray
    household_count: int
    family: np.ndarray
    middle: np.ndarray
    given: np.ndarray
    ethnicity: np.ndarray
    occupation: np.ndarray
    cccd_prefix: np.ndarray  # PPPGYY as an integer, -1 for no number
    bhyt_group: np.ndarray  # index into bhyt_groups(), -1 for uninsured
    bhyt_valid_from: np.ndarray  # date ordinals (0 when uninsured)
    bhyt_valid_to: np.ndarray
    phone: np.ndarray  # the 9 digits after the leading 0, -1 for none

    def __len__(self) -> int:
        return len(self.male)


def _draw(rng: np.random.Generator, table: tuple[np.ndarray, np.ndarray], size: int) -> np.ndarray:
    values, probs = table
    return values[rng.choice(len(values), size=size, p=probs)]


def birth_years(ordinals: np.ndarray) -> np.ndarray:
    return (ordinals - _EPOCH).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def generate_chunk(rng: np.random.Generator, size: int, ctx: Context) -> Chunk:
    """Draw ``size`` residents grouped into households."""
    mix = ctx.mix
    pyr = data.pyramid()
    cell = rng.choice(len(pyr.probs), size=size, p=pyr.probs)
    age = pyr.age_from[cell] + rng.integers(0, 5, size)
    male = pyr.sex_male[cell]
    hh = households.build(rng, age=age, male=male, rural_mountain=mix.rural_mountain)
    age, male = age[hh.order], male[hh.order]
    days = np.floor((age + rng.random(size)) * DAYS_PER_YEAR).astype(np.int64)
    birth_ordinal = ctx.as_of.toordinal() - days
    birth_year = birth_years(birth_ordinal)

    ethnicity = rng.choice(len(mix.probs), size=hh.count, p=mix.probs)[hh.household]
    family, middle, given = _names(
        rng, naming=np.array(mix.namings)[ethnicity], male=male, birth_year=birth_year, father=hh.father
    )
    occupation = _occupations(rng, age=age, rural_mountain=mix.rural_mountain)
    group, valid_from, valid_to = _insurance(
        rng, ctx, age=age, ethnicity=ethnicity, occupation=occupation, household=hh.household,
        hh_count=hh.count, birth_ordinal=birth_ordinal,
    )
    return Chunk(
        male=male, birth_ordinal=birth_ordinal, birth_year=birth_year, household=hh.household,
        relationship=hh.relationship, heads=hh.heads, household_count=hh.count,
        family=family, middle=middle, given=given, ethnicity=ethnicity, occupation=occupation,
        cccd_prefix=_cccd_prefixes(rng, ctx, age=age, male=male, birth_year=birth_year),
        bhyt_group=group, bhyt_valid_from=valid_from, bhyt_valid_to=valid_to,
        phone=_phones(rng, age=age),
    )


def _names(
    rng: np.random.Generator, *, naming: np.ndarray, male: np.ndarray, birth_year: np.ndarray, father: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Family, middle and given name indices by naming tradition; children take their father's family name."""
    tables = name_tables()
    n = len(male)
    family = np.empty(n, dtype=np.int32)
    middle = np.empty(n, dtype=np.int32)
    given = np.empty(n, dtype=np.int32)
    # Older cohorts mostly carry Văn/Thị; the share falls for those born after ~1975.
    traditional = rng.random(n) < np.clip((2005 - birth_year) / 35, 0.1, 0.95)
    for tradition in np.unique(naming):
        in_group = naming == tradition
        family[in_group] = _draw(rng, tables.family[tradition], int(in_group.sum()))
        for is_male in (True, False):
            sex_group = in_group & (male == is_male)
            given[sex_group] = _draw(rng, tables.given[tradition][is_male], int(sex_group.sum()))
            for style in (True, False):
                cell = sex_group & (traditional == style)
                middle[cell] = _draw(rng, tables.middle[tradition][(is_male, style)], int(cell.sum()))
            clash = sex_group & (given == middle)
            given[clash] = _draw(rng, tables.given[tradition][is_male], int(clash.sum()))
    inherits = father >= 0
    family[inherits] = family[father[inherits]]
    return family, middle, given


def _occupations(rng: np.random.Generator, *, age: np.ndarray, rural_mountain: bool) -> np.ndarray:
    occ = data.params()["occupation"]
    vocab = {name: i for i, name in enumerate(occupations())}
    names, probs = data.weighted(data.by_profile(occ["adult"], rural_mountain))
    adult_idx = np.array([vocab[name] for name in names])
    out = adult_idx[rng.choice(len(adult_idx), size=len(age), p=probs)]
    u = rng.random(len(age))
    student = (age >= 18) & (age <= 22) & (u < data.by_profile(occ["student_share_18_22"], rural_mountain))
    out[student] = vocab[occ["student"]]
    elderly = age >= 60
    retired = elderly & (u < data.by_profile(occ["pensioner_share_60plus"], rural_mountain))
    if rural_mountain:  # in the mountains most people keep farming into old age
        out[elderly & ~retired] = adult_idx[np.argmax(probs)]
    out[elderly & ~retired & (age >= 75)] = vocab[occ["elderly_not_working"]]
    out[retired] = vocab[occ["retired"]]
    out[(age >= 6) & (age < 18)] = vocab[occ["pupil"]]
    out[age < 6] = vocab[occ["child"]]
    return out


def _cccd_prefixes(
    rng: np.random.Generator, ctx: Context, *, age: np.ndarray, male: np.ndarray, birth_year: np.ndarray
) -> np.ndarray:
    """PPPGYY of each personal identification number (vn-domain §6.1), -1 where none was issued."""
    p = data.params()["cccd"]
    n = len(age)
    issued = rng.random(n) < np.where(age >= p["adult_age"], ctx.cccd_adult_share, ctx.cccd_child_share)
    others = np.array([int(c) for c in data.cccd_province_codes() if int(c) != int(ctx.province_code)])
    province = np.where(
        rng.random(n) < p["born_elsewhere_share"], others[rng.integers(0, len(others), n)], int(ctx.province_code)
    )
    century_sex = (birth_year // 100 - 19) * 2 + (~male)
    prefix = province * 1000 + century_sex * 100 + birth_year % 100
    return np.where(issued, prefix, -1)


def _insurance(
    rng: np.random.Generator, ctx: Context, *, age: np.ndarray, ethnicity: np.ndarray, occupation: np.ndarray,
    household: np.ndarray, hh_count: int, birth_ordinal: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Insurance group per person, in the legal priority order, with coverage near the target."""
    p = data.params()["bhyt"]
    occ = data.params()["occupation"]
    rural = ctx.mix.rural_mountain
    group_index = {g: i for i, g in enumerate(bhyt_groups())}
    occ_index = {name: i for i, name in enumerate(occupations())}
    n = len(age)
    child = age < p["te_age"]
    # Children under 6 are all covered; the others' uninsured share is set so the total meets the target.
    others = max(int((~child).sum()), 1)
    uninsured_share = min(max((1 - ctx.bhyt_coverage) * n / others, 0.0), 1.0)
    insured = child | (rng.random(n) >= uninsured_share)

    u_household = rng.random(hh_count)[household]
    poor = u_household < data.by_profile(p["poor_share"], rural)
    near_poor = ~poor & (u_household < data.by_profile(p["poor_share"], rural) + data.by_profile(
        p["near_poor_share"], rural))
    minority = np.array([e != "Kinh" for e in ctx.mix.ethnicities])[ethnicity]
    difficult_area = rng.random(hh_count)[household] < data.by_profile(p["minority_dt_share"], rural)

    employee = np.full(n, -1)
    for name, code in occ["employee_groups"].items():
        employee[occupation == occ_index[name]] = group_index[code]
    pupil_lo, pupil_hi = p["pupil_ages"]
    rules = [  # (condition, group) in priority order: the first that applies names the card
        (employee >= 0, None),
        (occupation == occ_index[occ["retired"]], "HT"),
        (child, "TE"),
        (age >= p["social_allowance_age"], "BT"),
        (poor, "HN"),
        (minority & difficult_area, "DT"),
        (near_poor, "CN"),
        ((age >= pupil_lo) & (age < pupil_hi), "HS"),
        (occupation == occ_index[occ["student"]], "SV"),
        (np.ones(n, dtype=bool), "GD"),
    ]
    group = np.full(n, -1, dtype=np.int16)
    for condition, code in rules:
        todo = insured & (group < 0) & condition
        group[todo] = employee[todo] if code is None else group_index[code]

    year_start = date(ctx.as_of.year, 1, 1).toordinal()
    year_end = date(ctx.as_of.year, 12, 31).toordinal()
    valid_from = np.where(insured, year_start, 0)
    valid_to = np.where(insured, year_end, 0)
    te = group == group_index["TE"]
    valid_from[te] = birth_ordinal[te]
    valid_to[te] = birth_ordinal[te] + int(p["te_age"] * DAYS_PER_YEAR) - 1
    return group, valid_from, valid_to


def _phones(rng: np.random.Generator, *, age: np.ndarray) -> np.ndarray:
    prefixes, probs = data.phone_prefixes()
    share = data.step_table(data.params()["phone"]["share_by_age"], age)
    has = rng.random(len(age)) < share
    prefix = np.array([int(p) for p in prefixes], dtype=np.int64)[rng.choice(len(prefixes), size=len(age), p=probs)]
    return np.where(has, prefix * 10_000_000 + rng.integers(0, 10_000_000, len(age)), -1)
