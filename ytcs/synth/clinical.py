"""Synthetic visit history for demo and load data: visits, diagnoses, vitals and prescriptions that
look like a commune station's examination register.

Bulk path (``bulk_create`` in chunks, no per-row services or audit rows): it writes only for
residents who have no visit yet, so running it again adds nothing. Every rate below is a
parameter; the ones not taken from a cited source are marked *assumption* and listed in
docs/clinical.md.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ytcs.audit.context import AuditContext
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.clinical.models import Condition, ConditionSource, Diagnosis, Encounter, Outcome, Payer, PrescriptionLine
from ytcs.clinical.validation import sex_mismatch
from ytcs.clinical.vitals import VITAL_FIELDS, bmi_of
from ytcs.core.text import fold
from ytcs.orgunits.models import FacilityKind, HealthFacility, OrgUnit
from ytcs.people.models import Resident

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CHUNK = 2000

# Acute (non-programme) visits per person-year at the commune station, by age band; women × 1.2.
# Assumption: commune stations carry roughly a third of Vietnam's ~2.5 outpatient visits per person-year,
# with children under 5 and people over 60 visiting most.
VISIT_RATE = ((5, 2.0), (15, 0.9), (60, 0.7), (200, 1.4))
FEMALE_RATE_FACTOR = 1.2

# Hypertension prevalence by age band (upper bound exclusive). Shaped to give ~28 % at 25–64 as in
# Vu et al., Front. Public Health 2022 (STEPS 2020 round, vn-domain §11.1); the band split is an assumption.
HTN_PREVALENCE = ((25, 0.0), (35, 0.08), (45, 0.16), (55, 0.30), (65, 0.42), (200, 0.52))
# Diabetes: ~7 % hyperglycaemia at 25–64 (same source); band split is an assumption.
DM_PREVALENCE = ((30, 0.0), (45, 0.03), (65, 0.09), (200, 0.13))
# Share of people with hypertension/diabetes who are treated and followed at the station: 29.6 % treated
# (2011 national survey, vn-domain §11.1); used here as the managed share.
MANAGED_SHARE = 0.30
MONTHLY_ATTENDANCE = 0.8  # assumption: managed patients come for ~80 % of monthly refills

# Acute diagnosis weights by age band; sex-restricted codes are dropped for the other sex.
DIAGNOSES = {
    5: {
        "J06.9": 25,
        "J00": 15,
        "J02.9": 8,
        "J20.9": 8,
        "J18.9": 4,
        "A09.9": 12,
        "A09.0": 3,
        "B08.4": 3,
        "H66.9": 4,
        "L30.9": 3,
        "B86": 2,
        "R50.9": 5,
        "E44.1": 2,
        "Z00.1": 6,
        "J21.9": 3,
    },
    15: {
        "J06.9": 20,
        "J00": 10,
        "J02.9": 10,
        "J03.9": 6,
        "A09.9": 8,
        "K29.7": 3,
        "B86": 3,
        "L01.0": 3,
        "H10.9": 4,
        "K02.9": 4,
        "S93.4": 3,
        "T14.1": 3,
        "B35.4": 2,
        "R51": 3,
        "R50.9": 4,
        "A97.9": 1,
    },
    60: {
        "J06.9": 12,
        "J02.9": 8,
        "J20.9": 6,
        "K29.7": 10,
        "K30": 4,
        "A09.9": 5,
        "M54.5": 8,
        "M54.2": 4,
        "M79.1": 3,
        "R51": 5,
        "G44.2": 3,
        "L30.9": 3,
        "L50.9": 3,
        "B35.4": 2,
        "N39.0": 4,
        "T14.1": 4,
        "S93.4": 3,
        "H10.9": 3,
        "K21.9": 3,
        "Z00.0": 4,
        "R42": 3,
        "E78.5": 2,
        "Z34.9": 6,
        "N76.0": 3,
    },
    200: {
        "J20.9": 8,
        "J06.9": 8,
        "J44.9": 4,
        "M17.9": 10,
        "M15.9": 6,
        "M54.5": 8,
        "M47.9": 5,
        "K29.7": 6,
        "R42": 5,
        "R51": 3,
        "I25.9": 2,
        "H25.9": 2,
        "N40": 4,
        "E78.5": 4,
        "L29.9": 3,
        "Z00.0": 4,
        "G47.0": 3,
    },
}
FEVER_PREFIXES = ("J0", "J1", "J20", "J21", "A09", "B08", "R50", "A97", "H66")
# (drug, strength, instructions, quantity, unit, days) by diagnosis prefix; the first matching prefix wins.
PRESCRIBING = (
    ("J", ("Paracetamol", "500 mg", "Uống 1 viên khi sốt, cách 6 giờ", 10, "viên", 3)),
    ("A09", ("Oresol", "245", "Pha 1 gói với 200 ml nước, uống sau mỗi lần đi ngoài", 5, "gói", 3)),
    ("K2", ("Omeprazol", "20 mg", "Uống 1 viên trước ăn sáng", 14, "viên", 14)),
    ("K30", ("Omeprazol", "20 mg", "Uống 1 viên trước ăn sáng", 14, "viên", 14)),
    ("M", ("Meloxicam", "7,5 mg", "Uống 1 viên sau ăn", 10, "viên", 10)),
    ("R5", ("Paracetamol", "500 mg", "Uống 1 viên khi sốt hoặc đau, cách 6 giờ", 10, "viên", 3)),
    ("B86", ("Permethrin 5%", "30 g", "Bôi toàn thân buổi tối", 1, "tuýp", 7)),
    ("N39", ("Ciprofloxacin", "500 mg", "Uống 1 viên x 2 lần/ngày", 14, "viên", 7)),
)
HTN_DRUGS = (("Amlodipin", "5 mg", 0.6), ("Enalapril", "5 mg", 0.25), ("Losartan", "50 mg", 0.15))


@dataclass
class _Person:
    pk: int
    sex: str
    birth: date
    death: date | None
    commune_id: int
    card: bool
    card_from: date | None
    card_to: date | None


def _band(table: Iterable[tuple[int, float]], age: float) -> float:
    return next(value for upper, value in table if age < upper)


def _age(birth: date, on: date) -> float:
    return (on - birth).days / 365.25


def _moment(rng: random.Random, day: date) -> datetime:
    local = datetime.combine(day, time(7 + rng.randrange(9), rng.randrange(60)), TZ)
    return local.astimezone(UTC)


def _payer(person: _Person, day: date) -> str:
    if not person.card:
        return Payer.SELF_PAY
    if (person.card_from and day < person.card_from) or (person.card_to and day > person.card_to):
        return Payer.SELF_PAY
    return Payer.BHYT


class _Generator:
    def __init__(self, *, seed: int, start: date, end: date, facilities: dict[int, tuple[int | None, str]]) -> None:
        self.seed, self.start, self.end, self.facilities = seed, start, end, facilities
        self.encounters: list[dict] = []
        self.diagnoses: list[tuple[int, int, str, bool]] = []  # (index into encounters, position, code, primary)
        self.lines: list[tuple[int, int, tuple]] = []  # (index into encounters, position, line)
        self.conditions: list[Condition] = []

    def person(self, p: _Person) -> None:
        rng = random.Random(self.seed * 1_000_003 + p.pk)
        last_day = min(self.end, p.death) if p.death else self.end
        first_day = max(self.start, p.birth)
        if first_day > last_day:
            return
        age_now = _age(p.birth, last_day)
        height = self._height(rng, p, age_now)
        weight_factor = rng.gauss(1.0, 0.12)
        htn = rng.random() < _band(HTN_PREVALENCE, age_now)
        dm = rng.random() < _band(DM_PREVALENCE, age_now)
        managed = (htn or dm) and rng.random() < MANAGED_SHARE
        bp_offset = rng.gauss(0, 8)
        if managed:
            onset = first_day - timedelta(days=rng.randrange(30, 2000))
            for code in ("I10",) * htn + ("E11.9",) * dm:
                self.conditions.append(
                    Condition(
                        resident_id=p.pk,
                        icd10_code=code,
                        onset_date=max(onset, p.birth),
                        source=ConditionSource.DIAGNOSIS,
                    )
                )
            day = first_day + timedelta(days=rng.randrange(28))
            while day <= last_day:
                if rng.random() < MONTHLY_ATTENDANCE:
                    self._chronic_visit(rng, p, day, htn, dm, height, weight_factor, bp_offset)
                day += timedelta(days=28 + rng.randrange(7))
        rate = _band(VISIT_RATE, _age(p.birth, first_day + (last_day - first_day) / 2))
        rate *= FEMALE_RATE_FACTOR if p.sex == "F" else 1.0
        years = (last_day - first_day).days / 365.25
        count = _poisson(rng, rate * years)
        span = (last_day - first_day).days + 1
        for _ in range(count):
            day = first_day + timedelta(days=rng.randrange(span))
            self._acute_visit(rng, p, day, htn and not managed, dm and not managed, height, weight_factor, bp_offset)

    def _height(self, rng: random.Random, p: _Person, age: float) -> float:
        adult = 165.0 if p.sex == "M" else 154.0  # assumption: Vietnamese adult means
        if age >= 18:
            return round(rng.gauss(adult, 6 if p.sex == "M" else 5), 1)
        return 0.0  # children: measured per visit from age

    def _vitals(
        self,
        rng: random.Random,
        p: _Person,
        day: date,
        *,
        htn: bool,
        dm: bool,
        height: float,
        weight_factor: float,
        bp_offset: float,
        fever: bool,
    ) -> dict:
        age = _age(p.birth, day)
        vitals: dict = {}
        if age >= 18:
            weight = (58.0 if p.sex == "M" else 50.0) * weight_factor * (1.05 if (htn or dm) else 1.0)
            vitals["height_cm"] = height
            vitals["weight_kg"] = round(min(max(weight + rng.gauss(0, 0.6), 32), 130), 1)
            base = (152 if htn else 112 + 0.35 * max(age - 30, 0)) + bp_offset
            systolic = int(min(max(rng.gauss(base, 9), 85), 230))
            diastolic = int(min(max(rng.gauss(0.58 * systolic + (6 if htn else 2), 5), 50), systolic - 20))
            vitals.update(systolic=systolic, diastolic=diastolic, pulse=int(rng.gauss(80, 9)))
            if dm or rng.random() < 0.1:
                fasting = rng.random() < 0.7
                mean = 8.6 if dm else (5.4 if fasting else 6.4)
                vitals.update(
                    glucose_mmol=round(min(max(rng.gauss(mean, 1.8 if dm else 0.6), 3.2), 25), 1),
                    glucose_fasting=fasting,
                )
        else:
            months = max(age * 12, 0.5)
            weight = (months / 2 + 4) if months < 12 else (age + 4) * 2 if age < 10 else 3 * age + 7
            vitals["weight_kg"] = round(max(weight * weight_factor, 2.0), 1)
            if age >= 2:
                vitals["height_cm"] = round(min(75 + 6 * age, 175) * (0.5 + weight_factor / 2), 1)
            vitals["pulse"] = int(rng.gauss(130 if age < 1 else 110 if age < 5 else 90, 10))
            vitals["respiratory_rate"] = int(rng.gauss(40 if age < 1 else 30 if age < 5 else 22, 4))
        vitals["temperature"] = round(rng.uniform(37.8, 39.4) if fever else rng.gauss(36.7, 0.25), 1)
        vitals["spo2"] = min(100, int(rng.gauss(96.5 if fever else 98, 1)))
        return vitals

    def _add(
        self,
        rng: random.Random,
        p: _Person,
        day: date,
        vitals: dict,
        codes: list[str],
        lines: list[tuple],
        reason: str,
        outcome: str = Outcome.TREATED,
    ) -> None:
        row = dict.fromkeys(VITAL_FIELDS)
        row.update(vitals)
        row.update(
            resident_id=p.pk,
            commune_id=p.commune_id,
            facility_id=self.facilities.get(p.commune_id, (None, ""))[0],
            facility_name=self.facilities.get(p.commune_id, (None, ""))[1],
            occurred_at=_moment(rng, day),
            reason=reason,
            payer=_payer(p, day),
            outcome=outcome,
            bmi=bmi_of(row["weight_kg"], row["height_cm"]),
        )
        index = len(self.encounters)
        self.encounters.append(row)
        self.diagnoses.extend((index, position, code, position == 0) for position, code in enumerate(codes))
        self.lines.extend((index, position, line) for position, line in enumerate(lines))

    def _chronic_visit(
        self,
        rng: random.Random,
        p: _Person,
        day: date,
        htn: bool,
        dm: bool,
        height: float,
        weight_factor: float,
        bp_offset: float,
    ) -> None:
        vitals = self._vitals(
            rng,
            p,
            day,
            htn=htn,
            dm=dm,
            height=height,
            weight_factor=weight_factor,
            bp_offset=bp_offset - 4,
            fever=False,
        )
        codes, lines = [], []
        if htn:
            codes.append("I10")
            roll, drug = rng.random(), HTN_DRUGS[-1]
            for candidate in HTN_DRUGS:
                roll -= candidate[2]
                if roll < 0:
                    drug = candidate
                    break
            lines.append((drug[0], drug[1], "Uống 1 viên buổi sáng", 30, "viên", 30))
        if dm:
            codes.append("E11.9")
            lines.append(("Metformin", "500 mg", "Uống 1 viên x 2 lần/ngày sau ăn", 60, "viên", 30))
        self._add(rng, p, day, vitals, codes, lines, "Khám và lĩnh thuốc định kỳ")

    def _acute_visit(
        self,
        rng: random.Random,
        p: _Person,
        day: date,
        htn: bool,
        dm: bool,
        height: float,
        weight_factor: float,
        bp_offset: float,
    ) -> None:
        age = _age(p.birth, day)
        upper = next(upper for upper in DIAGNOSES if age < upper)
        codes, cumulative = _diagnosis_table(upper, p.sex, 15 <= age < 50)
        code = rng.choices(codes, cum_weights=cumulative)[0]
        fever = code.startswith(FEVER_PREFIXES) and rng.random() < 0.6
        vitals = self._vitals(
            rng, p, day, htn=htn, dm=dm, height=height, weight_factor=weight_factor, bp_offset=bp_offset, fever=fever
        )
        lines = [line for prefix, line in PRESCRIBING if code.startswith(prefix)][:1]
        if age < 12:
            lines = [(n, s, "Theo cân nặng, theo hướng dẫn", max(q // 2, 1), u, d) for n, s, _, q, u, d in lines]
        outcome = Outcome.REFERRED if rng.random() < 0.03 else Outcome.TREATED
        self._add(rng, p, day, vitals, [code], lines, "", outcome)


@lru_cache(maxsize=32)
def _diagnosis_table(upper: int, sex: str, childbearing_age: bool) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Codes and cumulative weights for one age band and sex (pregnancy and vaginitis only at 15–49)."""
    pairs = [
        (code, weight)
        for code, weight in DIAGNOSES[upper].items()
        if not sex_mismatch(code, sex) and (childbearing_age or not code.startswith(("Z34", "N76")))
    ]
    return tuple(c for c, _ in pairs), tuple(accumulate(w for _, w in pairs))


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; means here are small (< 10)."""
    limit, k, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def encounters_synthesise(*, residents: QuerySet, seed: int, years: int = 3, end: date | None = None) -> int:
    """Create a visit history of ``years`` years up to ``end`` (default today) for every resident in
    ``residents`` who has none yet; returns the number of visits created."""
    end = end or timezone.localdate()
    start = end - timedelta(days=round(365.25 * years))
    pending = residents.exclude(encounters__isnull=False).order_by("pk")
    communes = pending.values("commune_id")
    stations = {
        commune_id: (pk, name)
        for pk, commune_id, name in HealthFacility.objects.filter(
            kind=FacilityKind.COMMUNE_STATION, valid_to=None, org_unit__in=communes
        )
        .order_by("-pk")
        .values_list("pk", "org_unit_id", "name")
    }
    facilities = {
        pk: stations.get(pk, (None, f"Trạm Y tế {name}"))
        for pk, name in OrgUnit.objects.filter(pk__in=communes).values_list("pk", "name")
    }
    total = 0
    fields = (
        "pk",
        "sex",
        "birth_date",
        "date_of_death",
        "commune_id",
        "bhyt_card_number",
        "bhyt_valid_from",
        "bhyt_valid_to",
    )
    batch: list[_Person] = []
    for row in pending.values_list(*fields).iterator(chunk_size=CHUNK):
        batch.append(_Person(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6], row[7]))
        if len(batch) == CHUNK:
            total += _write(batch, seed=seed, start=start, end=end, facilities=facilities)
            batch = []
    if batch:
        total += _write(batch, seed=seed, start=start, end=end, facilities=facilities)
    audit_record(
        context=AuditContext.system("synth-visits"),
        action="create",
        resource_type=ResourceType.ENCOUNTER,
        changes={"visits": [0, total], "seed": [None, seed], "years": [None, years]},
    )
    return total


_ENCOUNTER_COLUMNS = (
    "id",
    "resident_id",
    "commune_id",
    "facility_id",
    "facility_name",
    "occurred_at",
    "practitioner_name",
    "reason",
    *VITAL_FIELDS,
    "bmi",
    "payer",
    "outcome",
    "advice",
    "created_at",
    "updated_at",
    "void_reason",
)


def _reserve_ids(model: type, count: int) -> list[int]:
    """Primary keys for ``count`` new rows, so child rows can point at them without a round trip per row.

    PostgreSQL draws them from the table's sequence; SQLite (one writer at a time, and this runs
    inside the write transaction) continues after the current maximum.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def _insert(model: type, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Append ``rows``: COPY on PostgreSQL (several times faster than INSERTs), ``executemany`` on SQLite."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        for offset in range(0, len(rows), 5000):
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608
                rows[offset : offset + 5000],
            )


def _write(
    people: list[_Person], *, seed: int, start: date, end: date, facilities: dict[int, tuple[int | None, str]]
) -> int:
    generator = _Generator(seed=seed, start=start, end=end, facilities=facilities)
    for person in people:
        generator.person(person)
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    with transaction.atomic():
        ids = _reserve_ids(Encounter, len(generator.encounters))
        rows = []
        for pk, row in zip(ids, generator.encounters, strict=True):
            row.update(
                id=pk,
                occurred_at=adapt(row["occurred_at"]),
                practitioner_name="",
                advice="",
                created_at=now,
                updated_at=now,
                void_reason="",
            )
            rows.append(tuple(row[c] for c in _ENCOUNTER_COLUMNS))
        _insert(Encounter, _ENCOUNTER_COLUMNS, rows)
        _insert(
            Diagnosis,
            ("encounter_id", "resident_id", "icd10_code", "is_primary", "note", "position"),
            [
                (ids[i], generator.encounters[i]["resident_id"], code, primary, "", position)
                for i, position, code, primary in generator.diagnoses
            ],
        )
        _insert(
            PrescriptionLine,
            ("encounter_id", "drug_name", "strength", "dose_instructions", "quantity", "unit", "days", "position"),
            [(ids[i], n, s, d, q, u, days, position) for i, position, (n, s, d, q, u, days) in generator.lines],
        )
        Condition.objects.bulk_create(generator.conditions, batch_size=2000)
    return len(generator.encounters)


def synthetic_residents(*, province_name: str) -> QuerySet:
    """Residents of the current province given by name (accents and case ignored; exact name first) or code."""
    provinces = OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE, valid_to=None)
    folded = fold(province_name)
    province = (
        provinces.filter(code=province_name.strip()).first()
        or provinces.filter(name_folded=folded).first()
        or provinces.filter(name_folded__endswith=f" {folded}").first()
    )
    if province is None:
        raise LookupError(province_name)
    return Resident.objects.filter(commune__path__startswith=province.path)
