"""A small province built by hand, whose every indicator value is counted by hand in ``test_hand_counted.py``.

The map (codes as the contracts use them)::

    VN
    ├── 98  P (current province, from 01/07/2025)
    │   ├── 98001  A  — villages 98001-01 (a1), 98001-02 (a2)
    │   └── 98002  B  — village 98002-01 (b1)
    ├── 99  Z (another current province) — 99001 X, with a village coded "99" (so the bare code 99 is ambiguous)
    └── old:98  Q (the old province, until 30/06/2025; same code as P, different unit) → P
        └── old:980 D (old district)
            ├── old:98011  O1 → A (whole)
            ├── old:98012  O2 → A 0.6, B 0.4 (split)
            └── old:98001  O3 → B (whole; the bare code 98001 is A, a different commune)

The people (R10 is a registration merged into R1; statuses permanent unless said)::

    R1  F 1980  O1 2000→2025-07-01, then A/a1 (household H1)      card 2025-01-01..2026-12-31, record 90 %
    R2  M 1990  O2 2010→2025-07-01, then A/a2 (H2)                card number, no expiry date,   record 50 %
    R3  F 1985  O2 2010→2025-07-01, then B/b1 (H3); tạm trú       card 2024-01-01..2024-12-31,   record 85 %
    R4  M 1970  O3 1990→ (never closed), died 2024-08-15
    R5  M born 2024-03-10 in O1 (mother R1), then A/a1 (H1)
    R6  F 2000  A/a1 from 2025-07-01 (H1); tạm vắng 2026-01-01..2026-12-01   card 2025-01-01..2027-12-31
    R7  M 1995  B/b1 2025-08-01→2026-03-01, then A/a2 (H2)
    R8  F 1960  A/a2 from 2025-07-01 (H2), died 2026-02-10
    R9  F born 2026-01-20 in A/a2 (H2)                          card 2026-01-20..2032-01-19
    R10   merged into R1; A/a1 from 2025-07-01 — never counted
    R11 M 1950  O2 2000→2025-07-01, then X (province Z)

Facilities: stations SA (A), SB (B) from 2025-07-01, station point SPA of SA, the old station SO2 (O2,
2015→2025-07-01), the provincial hospital PH (P). Doctors: Dr1 permanent at SA, Dr2 contracted at SB, Dr3
permanent at SPA from 2025-09-01, Dr4 permanent at SO2 until 2025-07-01, Dr5 at PH; village health workers: a1
trained, b1 not. Visits: V1 R1 at SA 2026-06-28 BHYT, V2 R2 at SA 2026-06-05 self-paid, V3 R3 at SB 2026-06-10
BHYT, V4 R7 at SA 2026-06-29 BHYT but voided, V5 R2 at SO2 2024-05-05 BHYT, V6 R1 at PH 2026-06-15 BHYT.
Weekly reports, June 2026: A every week (one late), B two weeks; December 2024: O2 three weeks.
Case reports, June 2026: two from A, one late.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from ytcs.accounts.models import Role
from ytcs.accounts.tests.factories import UserFactory
from ytcs.clinical.models import Encounter
from ytcs.orgunits.models import Cadre, FacilityKind, OrgUnit, OrgUnitRollup, OrgUnitSuccession
from ytcs.orgunits.tests.factories import HealthFacilityFactory, OrgUnitFactory, StaffMemberFactory
from ytcs.people.models import Household, ResidenceHistory, ResidenceStatus
from ytcs.people.tests.factories import ResidentFactory
from ytcs.surveillance.models import CaseReport, Disease, WeeklyReport

D = dt.date
L = OrgUnit.Level
MERGER = D(2025, 7, 1)
OLD_FROM = D(2008, 8, 1)


def _old(code: str, name: str, level: int, parent: OrgUnit | None, successors: dict[OrgUnit, float]) -> OrgUnit:
    unit = OrgUnitFactory(code=code, name=name, level=level, parent=parent, valid_from=OLD_FROM, valid_to=MERGER)
    for successor, weight in successors.items():
        OrgUnitSuccession.objects.create(predecessor=unit, successor=successor, weight=weight, effective_date=MERGER)
        OrgUnitRollup.objects.create(unit=unit, current_unit=successor, weight=weight)
    return unit


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _map() -> SimpleNamespace:
    m = SimpleNamespace()
    m.vn = OrgUnitFactory(code="VN", name="Việt Nam", level=L.COUNTRY, valid_from=D(1976, 7, 2))
    m.p = OrgUnitFactory(code="98", name="Tỉnh P", level=L.PROVINCE, parent=m.vn)
    m.a = OrgUnitFactory(code="98001", name="Xã A", level=L.COMMUNE, parent=m.p)
    m.b = OrgUnitFactory(code="98002", name="Xã B", level=L.COMMUNE, parent=m.p)
    m.a1 = OrgUnitFactory(code="98001-01", name="Thôn a1", level=L.VILLAGE, parent=m.a)
    m.a2 = OrgUnitFactory(code="98001-02", name="Thôn a2", level=L.VILLAGE, parent=m.a)
    m.b1 = OrgUnitFactory(code="98002-01", name="Thôn b1", level=L.VILLAGE, parent=m.b)
    m.z = OrgUnitFactory(code="99", name="Tỉnh Z", level=L.PROVINCE, parent=m.vn)
    m.x = OrgUnitFactory(code="99001", name="Xã X", level=L.COMMUNE, parent=m.z)
    m.x1 = OrgUnitFactory(code="99", name="Thôn 99", level=L.VILLAGE, parent=m.x)
    m.q = _old("98", "Tỉnh Q (cũ)", L.PROVINCE, m.vn, {m.p: 1.0})
    m.d = _old("980", "Huyện D (cũ)", L.DISTRICT, m.q, {m.a: 1.6 / 3, m.b: 1.4 / 3})
    m.o1 = _old("98011", "Xã O1 (cũ)", L.COMMUNE, m.d, {m.a: 1.0})
    m.o2 = _old("98012", "Xã O2 (cũ)", L.COMMUNE, m.d, {m.a: 0.6, m.b: 0.4})
    m.o3 = _old("98001", "Xã O3 (cũ)", L.COMMUNE, m.d, {m.b: 1.0})
    return m


def _lives(resident: object, *periods: tuple) -> None:
    """Residence periods ``(commune, village, household, from, to)`` of a resident."""
    for commune, village, household, start, end in periods:
        ResidenceHistory.objects.create(resident=resident, commune=commune, village=village, household=household,
                                        valid_from=start, valid_to=end)


def _people(m: SimpleNamespace) -> None:
    h1 = Household.objects.create(code="H1", village=m.a1, commune=m.a)
    h2 = Household.objects.create(code="H2", village=m.a2, commune=m.a)
    h3 = Household.objects.create(code="H3", village=m.b1, commune=m.b)
    m.households = (h1, h2, h3)

    def person(name: str, **fields: object) -> object:
        return ResidentFactory(given_name=name, **fields)

    m.r1 = person("R1", sex="F", birth_date=D(1980, 1, 1), commune=m.a, village=m.a1, household=h1,
                  bhyt_card_number="GD4980000000001", bhyt_valid_from=D(2025, 1, 1), bhyt_valid_to=D(2026, 12, 31),
                  completeness_pct=90)
    _lives(m.r1, (m.o1, None, None, D(2000, 1, 1), MERGER), (m.a, m.a1, h1, MERGER, None))
    m.r2 = person("R2", sex="M", birth_date=D(1990, 5, 5), commune=m.a, village=m.a2, household=h2,
                  bhyt_card_number="GD4980000000002", completeness_pct=50)
    _lives(m.r2, (m.o2, None, None, D(2010, 1, 1), MERGER), (m.a, m.a2, h2, MERGER, None))
    m.r3 = person("R3", sex="F", birth_date=D(1985, 3, 3), commune=m.b, village=m.b1, household=h3,
                  residence_status=ResidenceStatus.TEMPORARY, bhyt_card_number="GD4980000000003",
                  bhyt_valid_from=D(2024, 1, 1), bhyt_valid_to=D(2024, 12, 31), completeness_pct=85)
    _lives(m.r3, (m.o2, None, None, D(2010, 1, 1), MERGER), (m.b, m.b1, h3, MERGER, None))
    m.r4 = person("R4", sex="M", birth_date=D(1970, 7, 7), commune=m.o3, date_of_death=D(2024, 8, 15))
    _lives(m.r4, (m.o3, None, None, D(1990, 1, 1), None))
    m.r5 = person("R5", sex="M", birth_date=D(2024, 3, 10), commune=m.a, village=m.a1, household=h1, mother=m.r1)
    _lives(m.r5, (m.o1, None, None, D(2024, 3, 10), MERGER), (m.a, m.a1, h1, MERGER, None))
    m.r6 = person("R6", sex="F", birth_date=D(2000, 2, 2), commune=m.a, village=m.a1, household=h1,
                  residence_status=ResidenceStatus.ABSENT, residence_status_from=D(2026, 1, 1),
                  residence_status_to=D(2026, 12, 1), bhyt_card_number="GD4980000000006",
                  bhyt_valid_from=D(2025, 1, 1), bhyt_valid_to=D(2027, 12, 31))
    _lives(m.r6, (m.a, m.a1, h1, MERGER, None))
    m.r7 = person("R7", sex="M", birth_date=D(1995, 9, 9), commune=m.a, village=m.a2, household=h2)
    _lives(m.r7, (m.b, m.b1, None, D(2025, 8, 1), D(2026, 3, 1)), (m.a, m.a2, h2, D(2026, 3, 1), None))
    m.r8 = person("R8", sex="F", birth_date=D(1960, 1, 1), commune=m.a, village=m.a2, household=h2,
                  date_of_death=D(2026, 2, 10))
    _lives(m.r8, (m.a, m.a2, h2, MERGER, None))
    m.r9 = person("R9", sex="F", birth_date=D(2026, 1, 20), commune=m.a, village=m.a2, household=h2,
                  bhyt_card_number="TE1980000000009", bhyt_valid_from=D(2026, 1, 20),
                  bhyt_valid_to=D(2032, 1, 19))
    _lives(m.r9, (m.a, m.a2, h2, D(2026, 1, 20), None))
    m.r10 = person("R10", sex="F", birth_date=D(1980, 1, 1), commune=m.a, village=m.a1, merged_into=m.r1)
    _lives(m.r10, (m.a, m.a1, h1, MERGER, None))
    m.r11 = person("R11", sex="M", birth_date=D(1950, 6, 6), commune=m.x)
    _lives(m.r11, (m.o2, None, None, D(2000, 1, 1), MERGER), (m.x, None, None, MERGER, None))


def _facilities(m: SimpleNamespace) -> None:
    m.sa = HealthFacilityFactory(code="SA", org_unit=m.a)
    m.sb = HealthFacilityFactory(code="SB", org_unit=m.b)
    m.spa = HealthFacilityFactory(code="SPA", org_unit=m.a, kind=FacilityKind.STATION_POINT, parent=m.sa)
    m.so2 = HealthFacilityFactory(code="SO2", org_unit=m.o2, valid_from=D(2015, 1, 1), valid_to=MERGER)
    m.ph = HealthFacilityFactory(code="PH", org_unit=m.p, kind=FacilityKind.PROVINCIAL_GENERAL_HOSPITAL)
    StaffMemberFactory(facility=m.sa, staff_code="Dr1", cadre=Cadre.DOCTOR, is_permanent=True)
    StaffMemberFactory(facility=m.sb, staff_code="Dr2", cadre=Cadre.DOCTOR, is_permanent=False)
    StaffMemberFactory(facility=m.spa, staff_code="Dr3", cadre=Cadre.DOCTOR, active_from=D(2025, 9, 1))
    StaffMemberFactory(facility=m.so2, staff_code="Dr4", cadre=Cadre.DOCTOR, active_from=D(2010, 1, 1),
                       active_to=MERGER)
    StaffMemberFactory(facility=m.ph, staff_code="Dr5", cadre=Cadre.DOCTOR, active_from=D(2020, 1, 1))
    StaffMemberFactory(facility=m.sb, staff_code="N1", cadre=Cadre.NURSE)
    StaffMemberFactory(facility=m.sa, staff_code="VHW1", cadre=Cadre.VILLAGE_HEALTH_WORKER, village=m.a1)
    StaffMemberFactory(facility=m.sb, staff_code="VHW2", cadre=Cadre.VILLAGE_HEALTH_WORKER, village=m.b1,
                       is_trained=False)


def _visits(m: SimpleNamespace) -> None:
    def visit(resident: object, facility: object, day: dt.date, payer: str, **fields: object) -> Encounter:
        return Encounter.objects.create(resident=resident, commune=facility.org_unit, facility=facility,
                                        occurred_at=at(day), payer=payer, **fields)

    visit(m.r1, m.sa, D(2026, 6, 28), "bhyt")
    visit(m.r2, m.sa, D(2026, 6, 5), "self_pay")
    visit(m.r3, m.sb, D(2026, 6, 10), "bhyt")
    visit(m.r7, m.sa, D(2026, 6, 29), "bhyt", voided_at=at(D(2026, 6, 30)), void_reason="nhầm")
    visit(m.r2, m.so2, D(2024, 5, 5), "bhyt")
    visit(m.r1, m.ph, D(2026, 6, 15), "bhyt")


def _surveillance(m: SimpleNamespace) -> None:
    m.nurse = UserFactory(username="nurse_a", role=Role.STATION_STAFF, org_unit=m.a)
    june = [D(2026, 6, 1), D(2026, 6, 8), D(2026, 6, 15), D(2026, 6, 22), D(2026, 6, 29)]
    for monday in june:
        WeeklyReport.objects.create(unit=m.a, week_start=monday, iso_year=2026, iso_week=monday.isocalendar().week,
                                    submitted_at=at(monday + dt.timedelta(days=7)), submitted_by=m.nurse,
                                    on_time=monday != D(2026, 6, 15))
    for monday in june[:2]:
        WeeklyReport.objects.create(unit=m.b, week_start=monday, iso_year=2026, iso_week=monday.isocalendar().week,
                                    submitted_at=at(monday + dt.timedelta(days=7)), submitted_by=m.nurse, on_time=True)
    for monday in (D(2024, 12, 2), D(2024, 12, 9), D(2024, 12, 16)):
        WeeklyReport.objects.create(unit=m.o2, week_start=monday, iso_year=2024, iso_week=monday.isocalendar().week,
                                    submitted_at=at(monday + dt.timedelta(days=7)), submitted_by=m.nurse, on_time=True)
    disease = Disease.objects.order_by("pk").first()
    for late in (False, True):
        CaseReport.objects.create(disease=disease, reporting_unit=m.a, commune=m.a, age_years=3, sex="M",
                                  diagnosed_at=at(D(2026, 6, 9)), reported_at=at(D(2026, 6, 9 + 3 * late)),
                                  week_start=D(2026, 6, 8), is_late=late, created_by=m.nurse)


def build_province() -> SimpleNamespace:
    """The whole world above; returns its units, people and facilities by the names used in the docstring."""
    world = _map()
    _people(world)
    _facilities(world)
    _visits(world)
    _surveillance(world)
    return world
