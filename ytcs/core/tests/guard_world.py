"""The world the guard rails run in: every role at units inside and outside each other's scope, with records.

Both guard rails (the API fuzzer and the leak probe) and their longer ``bench/`` runs build it. Rows are made
with the ORM, not the services, so the guard rails keep working while the services' signatures change.

Two provinces: P has communes A (villages a1, a2) and B (village b1); Q has commune C (village c1). Every
*place* (a1, a2, commune A without a village, b1, c1) holds ``per_place`` residents, each with a household
(in a village), a visit, a problem-list entry, an allergy and a case report; every commune has a signal, a
weekly report, a 24-hour alert and a facility with staff; each commune has a duplicate pair. Users of every
role sit at units inside and outside these places (``copies`` of each).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from ytcs.accounts.models import Role, User
from ytcs.accounts.tests.factories import UserFactory
from ytcs.clinical.models import Condition, Encounter
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.tests.factories import HealthFacilityFactory, OrgUnitFactory, StaffMemberFactory
from ytcs.people.dedup.models import DuplicateCandidate
from ytcs.people.models import Allergy, Household, Resident
from ytcs.people.tests.factories import ResidentFactory
from ytcs.surveillance.diseases import ensure_diseases_loaded
from ytcs.surveillance.models import Alert, CaseReport, Disease, Signal, WeeklyReport
from ytcs.surveillance.weeks import last_complete_week, week_start

# (role, home unit name, may_open_records override)
USER_HOMES: list[tuple[str, str, bool | None]] = [
    (Role.VILLAGE_HEALTH_WORKER, "a1", None),
    (Role.VILLAGE_HEALTH_WORKER, "c1", None),
    (Role.STATION_STAFF, "A", None),
    (Role.STATION_STAFF, "B", None),
    (Role.STATION_STAFF, "A", False),
    (Role.STATION_HEAD, "A", None),
    (Role.STATION_HEAD, "C", None),
    (Role.PROVINCIAL, "P", None),
    (Role.PROVINCIAL, "P", True),
    (Role.PROVINCIAL, "Q", None),
    (Role.NATIONAL_VIEWER, "VN", None),
    (Role.SYSTEM_ADMIN, "VN", None),
    (Role.SYSTEM_ADMIN, "Q", None),
]
PLACES = ("a1", "a2", "A", "b1", "c1")


@dataclass
class Record:
    """One row the probe aims at: its kind, the row, where it lies, and the residents it is about."""

    kind: str
    obj: object
    commune: OrgUnit
    village: OrgUnit | None
    people: tuple[int, ...] = ()

    @property
    def pk(self) -> int:
        return self.obj.pk


@dataclass
class GuardWorld:
    units: dict[str, OrgUnit]
    users: list[User]
    records: dict[str, list[Record]] = field(default_factory=dict)

    def add(self, record: Record) -> Record:
        self.records.setdefault(record.kind, []).append(record)
        return record

    def user(self, role: str, home: str) -> User:
        unit = self.units[home]
        return next(u for u in self.users if u.role == role and u.org_unit_id == unit.pk)


def _units() -> dict[str, OrgUnit]:
    L = OrgUnit.Level  # noqa: N806
    vn = OrgUnitFactory(level=L.COUNTRY, name="Việt Nam", code="VN")
    p = OrgUnitFactory(level=L.PROVINCE, parent=vn, name="Tỉnh P")
    q = OrgUnitFactory(level=L.PROVINCE, parent=vn, name="Tỉnh Q")
    a = OrgUnitFactory(level=L.COMMUNE, parent=p, name="Xã A")
    b = OrgUnitFactory(level=L.COMMUNE, parent=p, name="Xã B")
    c = OrgUnitFactory(level=L.COMMUNE, parent=q, name="Xã C")
    return {
        "VN": vn, "P": p, "Q": q, "A": a, "B": b, "C": c,
        "a1": OrgUnitFactory(level=L.VILLAGE, parent=a, name="Thôn A1"),
        "a2": OrgUnitFactory(level=L.VILLAGE, parent=a, name="Thôn A2"),
        "b1": OrgUnitFactory(level=L.VILLAGE, parent=b, name="Thôn B1"),
        "c1": OrgUnitFactory(level=L.VILLAGE, parent=c, name="Thôn C1"),
    }


def _place(units: dict[str, OrgUnit], name: str) -> tuple[OrgUnit, OrgUnit | None]:
    unit = units[name]
    return (unit.parent, unit) if unit.level == OrgUnit.Level.VILLAGE else (unit, None)


def build_guard_world(*, per_place: int = 1, copies: int = 1) -> GuardWorld:
    """Build the world in the current database (a test's, or a benchmark's throwaway one)."""
    ensure_diseases_loaded()
    units = _units()
    users = [
        UserFactory(username=f"{role}-{home}-{may_open}-{n}", role=role, org_unit=units[home],
                    may_open_records=may_open)
        for n in range(copies) for role, home, may_open in USER_HOMES
    ]
    world = GuardWorld(units, users)
    station = {name: world.user(Role.STATION_STAFF, name) for name in ("A", "B")}
    station["C"] = world.user(Role.STATION_HEAD, "C")
    measles = Disease.objects.get(code="soi")
    now = timezone.now()
    for name in PLACES:
        commune, village = _place(units, name)
        author = station[next(k for k in station if units[k] == commune)]
        for n in range(per_place):
            _person(world, commune, village, author, measles, now, f"{name}{n}")
    for name in ("A", "B", "C"):
        _commune_records(world, units[name], station[name], measles, now)
    return world


def _person(world: GuardWorld, commune: OrgUnit, village: OrgUnit | None, author: User, disease: Disease,
            now: dt.datetime, tag: str) -> None:
    household = None
    if village is not None:
        household = Household.objects.create(code=f"HGD-{tag}", commune=commune, village=village, address="Xóm 1")
    resident = ResidentFactory(commune=commune, village=village, household=household, given_name=f"Khách{tag}",
                               sex="F", cccd=None, phone="0912345678")  # a woman: a birth can be registered
    if household is not None:
        Household.objects.filter(pk=household.pk).update(head=resident)
        world.add(Record("household", household, commune, village, (resident.pk,)))
    people = (resident.pk,)
    world.add(Record("resident", resident, commune, village, people))
    visit = Encounter.objects.create(resident=resident, commune=commune, occurred_at=now - dt.timedelta(days=3),
                                     payer="self_pay", outcome="treated", reason="Tái khám")
    world.add(Record("encounter", visit, commune, village, people))
    condition = Condition.objects.create(resident=resident, icd10_code="I10", source="manual",
                                         onset_date=dt.date(2020, 1, 1))
    world.add(Record("condition", condition, commune, village, people))
    allergy = Allergy.objects.create(resident=resident, kind=Allergy.Kind.DRUG, agent="Penicillin")
    world.add(Record("allergy", allergy, commune, village, people))
    diagnosed = now - dt.timedelta(days=2)
    case = CaseReport.objects.create(
        disease=disease, reporting_unit=commune, commune=commune, village=village, resident=resident,
        age_years=40, sex=resident.sex, diagnosed_at=diagnosed, reported_at=diagnosed + dt.timedelta(hours=2),
        week_start=week_start(timezone.localdate(diagnosed)), deadline_hours=24, created_by=author,
    )
    world.add(Record("case", case, commune, village, people))
    alert = Alert.objects.create(case=case, disease=disease, commune=commune,
                                 deadline_at=diagnosed + dt.timedelta(hours=24))
    world.add(Record("alert", alert, commune, village, people))


def _commune_records(world: GuardWorld, commune: OrgUnit, author: User, disease: Disease, now: dt.datetime) -> None:
    last_week = last_complete_week(timezone.localdate(now))
    signal = Signal.objects.create(unit=commune, disease=disease, week_start=last_week, method="farrington",
                                   count=3, expected=0.5, upperbound=2.0)
    signal.cases.set(CaseReport.objects.filter(commune=commune))
    world.add(Record("signal", signal, commune, None,
                     tuple(CaseReport.objects.filter(commune=commune).values_list("resident_id", flat=True))))
    iso = last_week.isocalendar()
    report = WeeklyReport.objects.create(unit=commune, week_start=last_week, iso_year=iso[0], iso_week=iso[1],
                                         submitted_at=now, submitted_by=author, on_time=True)
    world.add(Record("weekly_report", report, commune, None))
    facility = HealthFacilityFactory(org_unit=commune, name=f"Trạm y tế {commune.name}")
    StaffMemberFactory(facility=facility, full_name=f"Bác sĩ {commune.name}")
    world.add(Record("facility", facility, commune, None))
    world.add(Record("unit", commune, commune, None))
    for village in OrgUnit.objects.filter(parent=commune):
        world.add(Record("unit", village, commune, village))
    members = list(Resident.objects.filter(commune=commune).order_by("pk")[:2])
    if len(members) == 2:
        pair = DuplicateCandidate.objects.create(left=members[0], right=members[1], commune=commune, score=12.0,
                                                 level="possible")
        # a pair is seen by whoever may open both: the commune's station, or the village worker of a village
        # where both live (with several residents a place the first two can share a village)
        shared = members[0].village if members[0].village_id == members[1].village_id else None
        world.add(Record("duplicate", pair, commune, shared, (members[0].pk, members[1].pk)))
