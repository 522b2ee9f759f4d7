"""``life_events_synthesise``: births, deaths and moves over the last years of a synthetic province.

The population synth draws everyone as of one day; this adds the register's history: babies born to
women 15–49 in their household, deaths with an ICD-10 underlying cause, and whole households moving to
another commune. It writes exactly the rows the register's services write one at a time
(:mod:`ytcs.people.life_events`) — the resident fields, ``ResidenceHistory`` periods, ``LifeEvent``
journal rows, completeness — but in bulk, in one transaction, with one summary audit event, as the
population synth does. Only residents of synthetic households (``SYN-<province>-…``) are touched.

Events are simulated one year at a time in date order within the year: deaths, then the households that
move (and when), then births (a baby born after its household moved is born in the new place), then the
moves of everyone alive and already registered on the moving day.
"""

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit
from ytcs.people.completeness import bulk_record_sections, record_completeness
from ytcs.people.models import Household, LifeEvent, Relationship, ResidenceHistory, Resident
from ytcs.synth.people import data, event_rates, generator
from ytcs.synth.people.ids import UniqueNumbers
from ytcs.synth.people.service import Mode, SynthInputError, household_prefix, unit_label
from ytcs.synth.people.writer import BulkWriter

SYNTH_NOTE = "Dữ liệu tổng hợp (ytcs synth-events)"
MAX_YEARS = 20
ALIVE = np.iinfo(np.int64).max
MOTHER_AGES = (15, 50)  # [15, 50): women 15–49
TE_YEARS = 6
_CHILD_RELATIONSHIP = {  # as ytcs.people.life_events.birth_register derives it from the mother's
    Relationship.HEAD: Relationship.CHILD,
    Relationship.SPOUSE: Relationship.CHILD,
    Relationship.CHILD: Relationship.GRANDCHILD,
    Relationship.CHILD_IN_LAW: Relationship.GRANDCHILD,
}


@dataclass(frozen=True)
class EventCounts:
    births: int
    deaths: int
    people_moved: int
    households_moved: int
    residence_periods: int
    start: date
    end: date
    seconds: float


@dataclass
class _Household:
    pk: int | None  # None until written
    commune_id: int
    village_id: int
    code: str = ""
    address: str = ""
    head: int = -1  # person index
    moved_to: int = -1  # household index, within the current year
    moved_on: int = 0


@dataclass
class _Newborn:
    mother: int
    family_name: str
    middle_name: str
    given_name: str
    ethnicity: str
    relationship: str
    cccd: str | None = None
    sin: str = ""


@dataclass
class _State:
    """Everyone in the province's synthetic households, as growing arrays indexed by person."""

    pk: np.ndarray
    male: np.ndarray
    birth: np.ndarray  # date ordinal
    death: np.ndarray  # date ordinal, ALIVE if alive
    hh: np.ndarray  # household index
    rel: list[str]
    family: list[str]
    ethnicity: list[str]
    last_birth: np.ndarray  # ordinal of a woman's last synthetic birth
    open_from: np.ndarray  # start of the current residence period
    open_hh: np.ndarray  # household of the current residence period
    open_pk: np.ndarray  # existing open ResidenceHistory row, 0 if none
    households: list[_Household]
    newborns: dict[int, _Newborn] = field(default_factory=dict)
    causes: dict[int, str] = field(default_factory=dict)
    moved: set[int] = field(default_factory=set)
    closed_rows: list[tuple[int, int, int, int]] = field(default_factory=list)  # person, hh, from, to
    closed_existing: list[tuple[int, int]] = field(default_factory=list)  # row pk, to
    events: list[tuple[int, str, int, int, int, str]] = field(default_factory=list)  # i, kind, day, commune, other
    old_heads_cleared: set[int] = field(default_factory=set)

    pending: list[tuple] = field(default_factory=list)

    def add_person(self, *, male: bool, birth: int, hh: int, rel: str, family: str, ethnicity: str) -> int:
        """A newborn's index; the arrays grow once per year in ``flush`` (appending one by one is quadratic)."""
        self.pending.append((male, birth, hh))
        self.rel.append(rel)
        self.family.append(family)
        self.ethnicity.append(ethnicity)
        return len(self.pk) + len(self.pending) - 1

    def flush(self) -> None:
        if not self.pending:
            return
        male, birth, hh = (np.array(column, dtype=dtype) for column, dtype in
                           zip(zip(*self.pending, strict=True), (bool, np.int64, np.int64), strict=True))
        zeros = np.zeros(len(birth), dtype=np.int64)
        self.pk, self.male = np.concatenate([self.pk, zeros]), np.concatenate([self.male, male])
        self.birth, self.death = np.concatenate([self.birth, birth]), np.concatenate([self.death, zeros + ALIVE])
        self.hh, self.last_birth = np.concatenate([self.hh, hh]), np.concatenate([self.last_birth, zeros])
        self.open_from, self.open_hh = np.concatenate([self.open_from, birth]), np.concatenate([self.open_hh, hh])
        self.open_pk = np.concatenate([self.open_pk, zeros])
        self.pending = []


def _check(*, years: int, seed: int, shares: dict[str, float]) -> None:
    if not 1 <= years <= MAX_YEARS:
        raise SynthInputError("--years", _("phải là số nguyên từ 1 đến %(max)s (nhận được: %(value)s)")
                              % {"max": MAX_YEARS, "value": years})
    if seed < 0:
        raise SynthInputError("--seed", _("phải là số nguyên không âm (nhận được: %(value)s)") % {"value": seed})
    for name, value in shares.items():
        if not 0.0 <= value <= 1.0:
            raise SynthInputError(name, _("phải là tỉ lệ từ 0 đến 1 (nhận được: %(value)s)") % {"value": value})


def synthetic_events_exist(province: OrgUnit) -> bool:
    """Whether ``life_events_synthesise`` already ran for ``province``."""
    return LifeEvent.objects.filter(note=SYNTH_NOTE, commune__path__startswith=province.path).exists()


def synthetic_events_pending(province: OrgUnit) -> bool:
    """Whether ``province`` has a synthetic population without synthetic events yet (the demo's test)."""
    has_people = Household.objects.filter(code__startswith=household_prefix(province)).exists()
    return has_people and not synthetic_events_exist(province)


def life_events_synthesise(
    *, province: OrgUnit, years: int, seed: int, as_of: date | None = None, mode: Mode = Mode.REFUSE,
    move_share: float | None = None, cccd_newborn_share: float | None = None,
) -> EventCounts:
    """Births, deaths and moves in ``province``'s synthetic households over the ``years`` years up to ``as_of``.

    Deterministic for a seed and a database state. A province that already has synthetic events is
    refused unless ``mode`` is ``APPEND`` (then use another seed); ``REPLACE`` is not offered, since
    undoing deaths and moves would need the state before them — rebuild with ``ytcs synth --replace``.
    """
    p = event_rates.rates()
    move_share = p["moves"]["household_share_per_year"] if move_share is None else move_share
    cccd_newborn_share = p["cccd"]["newborn_share"] if cccd_newborn_share is None else cccd_newborn_share
    _check(years=years, seed=seed, shares={"--move-share": move_share, "--cccd-newborn-share": cccd_newborn_share})
    if mode == Mode.REPLACE:
        raise SynthInputError("--replace", _("không hỗ trợ; hãy tạo lại dân cư bằng `ytcs synth --replace`"))
    end = as_of or timezone.localdate()
    start = end - timedelta(days=round(years * event_rates.DAYS_PER_YEAR))
    started = time.monotonic()
    with transaction.atomic():
        if mode == Mode.REFUSE and synthetic_events_exist(province):
            raise SynthInputError("--province", _(
                "tỉnh “%(name)s” đã có sự kiện hộ tịch tổng hợp; dùng --append (với seed khác) để thêm"
            ) % {"name": province.name})
        state = _load(province)
        if not len(state.pk):
            raise SynthInputError("--province", _(
                "tỉnh “%(name)s” chưa có dân cư tổng hợp; hãy chạy `ytcs synth` trước") % {"name": province.name})
        sim = _Simulation(state, province=province, seed=seed, move_share=move_share,
                          cccd_newborn_share=cccd_newborn_share)
        bounds = [start.toordinal() + round(k * (end.toordinal() + 1 - start.toordinal()) / years)
                  for k in range(years + 1)]
        for year in range(years):
            sim.year(year, bounds[year], bounds[year + 1])
        periods = _write(state, province=province, today=end)
        counts = EventCounts(
            births=len(state.newborns), deaths=len(state.causes), people_moved=len(state.moved),
            households_moved=len(state.households) - sim.households_loaded, residence_periods=periods,
            start=start, end=end, seconds=0.0,
        )
        audit_record(
            context=AuditContext.system("synth-events"), action=AuditAction.UPDATE, resource_type=ResourceType.RESIDENT,
            resource_id=f"synth-events:{province.code}",
            changes={"synth_events": [None, {
                "province": province.code, "years": years, "seed": seed, "start": start.isoformat(),
                "end": end.isoformat(), "mode": str(mode), "births": counts.births, "deaths": counts.deaths,
                "people_moved": counts.people_moved, "households_moved": counts.households_moved,
            }]},
        )
    return EventCounts(**{**counts.__dict__, "seconds": time.monotonic() - started})


def _load(province: OrgUnit) -> _State:
    prefix = household_prefix(province)
    households = list(Household.objects.filter(code__startswith=prefix).order_by("pk")
                      .values_list("pk", "commune_id", "village_id", "code", "address", "head_id"))
    hh_index = {row[0]: i for i, row in enumerate(households)}
    rows = list(Resident.objects.filter(household__code__startswith=prefix).order_by("pk").values_list(
        "pk", "sex", "birth_date", "date_of_death", "household_id", "relationship_to_head", "family_name", "ethnicity",
    ))
    person_index = {row[0]: i for i, row in enumerate(rows)}
    open_rows = dict(ResidenceHistory.objects.filter(
        resident__household__code__startswith=prefix, valid_to__isnull=True,
    ).values_list("resident_id", "pk"))
    open_from = dict(ResidenceHistory.objects.filter(pk__in=open_rows.values()).values_list("pk", "valid_from"))
    n = len(rows)
    birth = np.array([r[2].toordinal() for r in rows], dtype=np.int64)
    state = _State(
        pk=np.array([r[0] for r in rows], dtype=np.int64),
        male=np.array([r[1] == "M" for r in rows], dtype=bool),
        birth=birth,
        death=np.array([r[3].toordinal() if r[3] else ALIVE for r in rows], dtype=np.int64),
        hh=np.array([hh_index[r[4]] for r in rows], dtype=np.int64),
        rel=[r[5] for r in rows], family=[r[6] for r in rows], ethnicity=[r[7] for r in rows],
        last_birth=np.zeros(n, dtype=np.int64),
        open_from=birth.copy(),
        open_hh=np.array([hh_index[r[4]] for r in rows], dtype=np.int64),
        open_pk=np.array([open_rows.get(r[0], 0) for r in rows], dtype=np.int64),
        households=[_Household(pk=h[0], commune_id=h[1], village_id=h[2], code=h[3], address=h[4],
                               head=person_index.get(h[5], -1)) for h in households],
    )
    for i, row_pk in enumerate(state.open_pk.tolist()):
        if row_pk:
            state.open_from[i] = open_from[row_pk].toordinal()
    return state


class _Simulation:
    def __init__(self, state: _State, *, province: OrgUnit, seed: int, move_share: float,
                 cccd_newborn_share: float) -> None:
        self.s, self.seed, self.move_share, self.cccd_share = state, seed, move_share, cccd_newborn_share
        self.households_loaded = len(state.households)
        self.province_code = int(province.code)
        mix = data.ethnic_mix(province.code)
        self.rural_mountain = mix.rural_mountain
        self.naming = dict(zip(mix.ethnicities, mix.namings, strict=True))
        communes = OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE, valid_to=None, path__startswith=province.path)
        villages = OrgUnit.objects.filter(level=OrgUnit.Level.VILLAGE, valid_to=None, parent__in=communes)
        self.villages: dict[int, list[tuple[int, str]]] = {}
        labels = {c.pk: unit_label(c) for c in communes}
        for v in villages.order_by("parent_id", "code", "pk"):
            self.villages.setdefault(v.parent_id, []).append((v.pk, f"{unit_label(v)}, {labels[v.parent_id]}"))
        self.communes = sorted(self.villages)
        last = max((h.code for h in state.households), default="")
        self.prefix = household_prefix(province)
        self.next_number = int(last[len(self.prefix):]) + 1 if last else 1
        self.cccds = UniqueNumbers(Resident.objects.exclude(cccd=None).values_list("cccd", flat=True), random_digits=6)
        self.sins = UniqueNumbers(
            Resident.objects.exclude(social_insurance_number=None).values_list("social_insurance_number", flat=True),
            random_digits=8,
        )

    def year(self, number: int, lo: int, hi: int) -> None:
        """Events dated in ``[lo, hi)``."""
        rng = np.random.default_rng([self.seed, 7, number])
        died = self._deaths(rng, lo, hi)
        moving = self._choose_moves(rng, lo, hi)
        self._births(rng, lo, hi)
        self.s.flush()
        self._apply_moves(moving)
        for i in died:  # after the moves: someone who moved before dying died in the new commune
            s = self.s
            s.events.append((i, LifeEvent.Kind.DEATH, int(s.death[i]), s.households[s.hh[i]].commune_id, 0,
                             s.causes[i]))

    def _exposure(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Share of the year each person was alive and registered, and their age at mid-year."""
        s = self.s
        first = np.maximum(s.birth + 1, lo)
        last = np.minimum(s.death, hi)
        exposure = np.clip((last - first) / (hi - lo), 0.0, 1.0)
        age = np.maximum(((lo + hi) / 2 - s.birth) / event_rates.DAYS_PER_YEAR, 0.0)
        return exposure, age

    def _deaths(self, rng: np.random.Generator, lo: int, hi: int) -> list[int]:
        s = self.s
        exposure, age = self._exposure(lo, hi)
        u = rng.random(len(s.pk))
        when = rng.random(len(s.pk))
        dies = u < event_rates.death_probability(np.floor(age), s.male) * exposure
        for i in np.flatnonzero(dies).tolist():
            first = max(int(s.birth[i]) + 1, lo)
            day = first + int(when[i] * (min(int(s.death[i]), hi) - first))
            s.death[i] = day
            age_then = (day - s.birth[i]) / event_rates.DAYS_PER_YEAR
            cause = event_rates.cause_of_death(rng, age=age_then, male=bool(s.male[i]))
            s.causes[i] = cause
        return np.flatnonzero(dies).tolist()

    def _choose_moves(self, rng: np.random.Generator, lo: int, hi: int) -> list[int]:
        """Households leaving for another commune this year; each gets a new household there."""
        s = self.s
        alive = s.death > lo
        occupied = np.zeros(len(s.households), dtype=bool)
        occupied[s.hh[alive]] = True
        u = rng.random(len(s.households))
        moving = np.flatnonzero(occupied & (u < self.move_share)).tolist()
        if len(self.communes) < 2:
            return []
        chosen = []
        for h_index in moving:
            h = s.households[h_index]
            targets = [c for c in self.communes if c != h.commune_id]
            commune = targets[int(rng.integers(len(targets)))]
            village, address = self.villages[commune][int(rng.integers(len(self.villages[commune])))]
            code = f"{self.prefix}{self.next_number:07d}"
            self.next_number += 1
            s.households.append(_Household(pk=None, commune_id=commune, village_id=village, code=code,
                                           address=address))
            h.moved_to = len(s.households) - 1
            h.moved_on = lo + 1 + int(rng.integers(hi - lo - 1))
            chosen.append(h_index)
        return chosen

    def _births(self, rng: np.random.Generator, lo: int, hi: int) -> None:
        s = self.s
        exposure, age = self._exposure(lo, hi)
        gap = round(event_rates.rates()["fertility"]["min_months_between_births"] * 30.44)
        fertile = ~s.male & (age >= MOTHER_AGES[0]) & (age < MOTHER_AGES[1])
        u = rng.random(len(s.pk))
        when = rng.random(len(s.pk))
        gives_birth = fertile & (u < event_rates.fertility_by_age(age, rural_mountain=self.rural_mountain) * exposure)
        boy_share = event_rates.rates()["fertility"]["sex_ratio_at_birth"]
        boy_share = boy_share / (boy_share + 100)
        for mother in np.flatnonzero(gives_birth).tolist():
            first = max(int(s.birth[mother]) + 1, lo)
            day = first + int(when[mother] * (min(int(s.death[mother]), hi) - first))
            mother_age = (day - s.birth[mother]) / event_rates.DAYS_PER_YEAR
            if not MOTHER_AGES[0] <= mother_age < MOTHER_AGES[1] or day - s.last_birth[mother] < gap:
                continue
            s.last_birth[mother] = day
            self._newborn(rng, mother, day, male=bool(rng.random() < boy_share))

    def _newborn(self, rng: np.random.Generator, mother: int, day: int, *, male: bool) -> None:
        s = self.s
        h_index = int(s.hh[mother])
        h = s.households[h_index]
        if h.moved_to >= 0 and h.moved_on <= day:
            h_index = h.moved_to
        naming = self.naming.get(s.ethnicity[mother], "kinh")
        tables = generator.name_tables()
        words = tables.vocabulary.words
        middle = words[int(_pick(rng, tables.middle[naming][(male, False)]))]
        given = words[int(_pick(rng, tables.given[naming][male]))]
        while given == middle:
            given = words[int(_pick(rng, tables.given[naming][male]))]
        relationship = _CHILD_RELATIONSHIP.get(s.rel[mother], Relationship.OTHER)
        family = self._father_family_name(mother)
        i = s.add_person(male=male, birth=day, hh=h_index, rel=relationship, family=family,
                         ethnicity=s.ethnicity[mother])
        year = date.fromordinal(day).year
        baby = _Newborn(mother=mother, family_name=family, middle_name=middle, given_name=given,
                        ethnicity=s.ethnicity[mother], relationship=relationship)
        if rng.random() < self.cccd_share:
            prefix = self.province_code * 1000 + ((year // 100 - 19) * 2 + (not male)) * 100 + year % 100
            baby.cccd = f"{int(self.cccds.complete(rng, np.array([prefix]))[0]):012d}"
        baby.sin = f"{int(self.sins.complete(rng, np.array([self.province_code]))[0]):010d}"
        s.newborns[i] = baby
        s.events.append((i, LifeEvent.Kind.BIRTH, day, s.households[h_index].commune_id, 0, ""))

    def _father_family_name(self, mother: int) -> str:
        """Children take the father's family name: the male head when the mother is his wife or daughter-in-law."""
        s = self.s
        head = s.households[s.hh[mother]].head
        if head >= 0 and head != mother and s.male[head] and s.rel[mother] in (Relationship.SPOUSE,
                                                                              Relationship.CHILD_IN_LAW):
            return s.family[head]
        if s.rel[mother] == Relationship.HEAD:
            same = np.flatnonzero((s.hh == s.hh[mother]) & s.male)
            husbands = [j for j in same.tolist() if s.rel[j] == Relationship.SPOUSE]
            if husbands:
                return s.family[husbands[0]]
        return s.family[mother]

    def _apply_moves(self, moving: list[int]) -> None:
        s = self.s
        for h_index in moving:
            h = s.households[h_index]
            new_index, day = h.moved_to, h.moved_on
            new = s.households[new_index]
            for i in np.flatnonzero(s.hh == h_index).tolist():
                if s.death[i] <= day or s.open_from[i] >= day:
                    continue  # died before the move (stays on the old commune's register) or not yet registered
                if s.open_pk[i]:
                    s.closed_existing.append((int(s.open_pk[i]), day))
                else:
                    s.closed_rows.append((i, int(s.open_hh[i]), int(s.open_from[i]), day))
                s.open_pk[i], s.open_from[i], s.open_hh[i], s.hh[i] = 0, day, new_index, new_index
                s.moved.add(i)
                s.events.append((i, LifeEvent.Kind.MOVE_OUT, day, h.commune_id, new.commune_id, ""))
                s.events.append((i, LifeEvent.Kind.MOVE_IN, day, new.commune_id, h.commune_id, ""))
                if h.head == i:
                    new.head, h.head = i, -1
                    s.old_heads_cleared.add(h_index)
            h.moved_to, h.moved_on = -1, 0


def _pick(rng: np.random.Generator, table: tuple[np.ndarray, np.ndarray]) -> int:
    values, probs = table
    return values[rng.choice(len(values), p=probs)]


def _write(state: _State, *, province: OrgUnit, today: date) -> int:
    """Write what the simulation decided; returns the number of residence periods created."""
    s = state
    now = timezone.now()
    new_households = [h for h in s.households if h.pk is None]
    created = Household.objects.bulk_create([
        Household(code=h.code, commune_id=h.commune_id, village_id=h.village_id, address=h.address,
                  head_id=int(s.pk[h.head]) if h.head >= 0 else None)
        for h in new_households
    ])
    for h, row in zip(new_households, created, strict=True):
        h.pk = row.pk
    cleared = [s.households[i].pk for i in s.old_heads_cleared]
    Household.objects.filter(pk__in=cleared).update(head=None, updated_at=now)

    babies = [_newborn_row(s, i, baby, province=province, today=today) for i, baby in s.newborns.items()]
    Resident.objects.bulk_create(babies, batch_size=500)
    for i, row in zip(s.newborns, babies, strict=True):
        s.pk[i] = row.pk

    _update_residents(s, today=today, now=now)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {connection.ops.quote_name(ResidenceHistory._meta.db_table)} SET valid_to = %s WHERE id = %s",  # noqa: S608
            [(date.fromordinal(day).isoformat(), pk) for pk, day in s.closed_existing],
        )
    writer = BulkWriter()
    periods = [(i, hh, start, end) for i, hh, start, end in s.closed_rows]
    periods += [(i, int(s.open_hh[i]), int(s.open_from[i]), None) for i in np.flatnonzero(s.open_pk == 0).tolist()]
    households = [s.households[hh] for _i, hh, _start, _end in periods]
    _insert(writer, ResidenceHistory, {
        "resident_id": [int(s.pk[i]) for i, *_rest in periods],
        "commune_id": [h.commune_id for h in households],
        "village_id": [h.village_id for h in households],
        "household_id": [h.pk for h in households],
        "valid_from": [date.fromordinal(start).isoformat() for _i, _hh, start, _end in periods],
        "valid_to": [None if end is None else date.fromordinal(end).isoformat() for *_rest, end in periods],
    }, len(periods))
    events = sorted(s.events, key=lambda e: (e[2], e[0], e[1]))
    _insert(writer, LifeEvent, {
        "resident_id": [int(s.pk[e[0]]) for e in events],
        "kind": [str(e[1]) for e in events],
        "occurred_on": [date.fromordinal(e[2]).isoformat() for e in events],
        "commune_id": [e[3] for e in events],
        "other_commune_id": [e[4] or None for e in events],
        "cause_icd10": [e[5] for e in events],
        "note": SYNTH_NOTE,
        "recorded_by_id": None,
        "recorded_at": connection.ops.adapt_datetimefield_value(now),
    }, len(events))
    return len(periods)


def _insert(writer: BulkWriter, model: type[Model], columns: dict, count: int) -> None:
    if count:
        ids = writer.reserve_ids(model, count)
        writer.send(writer.prepare(model, {"id": ids.tolist(), **columns}, count))


def _update_residents(s: _State, *, today: date, now: datetime) -> None:
    """Deaths and moves on the resident rows, with the completeness the services would store."""
    touched = sorted({int(s.pk[i]) for i in (*s.causes, *s.moved)})
    residents = Resident.objects.in_bulk(touched)
    sections = bulk_record_sections(touched)
    index = {int(pk): i for i, pk in enumerate(s.pk.tolist())}
    rows = []
    for pk, resident in residents.items():
        i = index[pk]
        if i in s.causes:
            resident.date_of_death = date.fromordinal(int(s.death[i]))
            resident.cause_of_death_icd10 = s.causes[i]
        if i in s.moved:
            h = s.households[s.hh[i]]
            resident.commune_id, resident.village_id, resident.household_id = h.commune_id, h.village_id, h.pk
        pct = record_completeness(resident, today=today, record_sections=sections[pk]).pct
        rows.append((resident.date_of_death.isoformat() if resident.date_of_death else None,
                     resident.cause_of_death_icd10, resident.commune_id, resident.village_id, resident.household_id,
                     connection.ops.adapt_datetimefield_value(now), pct, pk))
    columns = ("date_of_death", "cause_of_death_icd10", "commune_id", "village_id", "household_id", "updated_at",
               "completeness_pct")
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {quote(Resident._meta.db_table)} SET {assignments} WHERE id = %s", rows)  # noqa: S608


def _newborn_row(s: _State, i: int, baby: _Newborn, *, province: OrgUnit, today: date) -> Resident:
    """The newborn as ``birth_register`` saves it: mother linked, her household and village, TE insurance."""
    born = date.fromordinal(int(s.birth[i]))
    h = s.households[s.hh[i]]
    full_name = " ".join(p for p in (baby.family_name, baby.middle_name, baby.given_name) if p)
    card = f"TE1{int(province.code):02d}{baby.sin}"
    resident = Resident(
        household_id=h.pk, relationship_to_head=baby.relationship, commune_id=h.commune_id, village_id=h.village_id,
        family_name=baby.family_name, middle_name=baby.middle_name, given_name=baby.given_name, full_name=full_name,
        name_folded=fold(full_name), sex="M" if s.male[i] else "F", birth_date=born, birth_year=born.year,
        ethnicity=baby.ethnicity, cccd=baby.cccd, bhyt_card_number=card, social_insurance_number=baby.sin,
        bhyt_group_code="TE", bhyt_benefit_level=1, bhyt_valid_from=born, bhyt_valid_to=_day_before_birthday(born),
        mother_id=int(s.pk[baby.mother]),
    )
    resident.completeness_pct = record_completeness(resident, today=today, record_sections=set()).pct
    return resident


def _day_before_birthday(born: date) -> date:
    """The last day of the TE card: the day before the 6th birthday (29 February counts from 1 March)."""
    birthday = date(born.year + TE_YEARS, 3, 1) if (born.month, born.day) == (2, 29) else born.replace(
        year=born.year + TE_YEARS)
    return birthday - timedelta(days=1)
