"""Every indicator of the first set on the hand-built province of ``province.py``, each value counted by hand.

Read the province's docstring first: the people, the map and the crosswalk are there. "Present" means living in
the unit with status thường trú or tạm trú (a tạm vắng person between the absence's dates is away).
"""

import datetime as dt

import pytest

from ytcs.audit.context import AuditContext
from ytcs.indicators.selectors import indicator_value
from ytcs.indicators.services import population_estimates_load

JOB = AuditContext.system("tests")
TODAY = dt.date(2026, 12, 5)


def ask(indicator, unit, period, today=TODAY):
    result = indicator_value(context=JOB, indicator=indicator, unit=unit, period=period, today=today)
    return result.as_row()[3:]


@pytest.mark.parametrize(("unit", "period", "expected"), [
    # 2024 (stock 31/12/2024), all statuses. O1: R1, R5 (born 10/03/2024) → A. O2 (split A 0.6 / B 0.4): R2 → A
    # (lives in A today), R3 → B (lives in B today), R11 → A (lives in province Z today: the main successor, A).
    # O3: R4 died 15/08/2024. R6–R9 came in 2025 or later; R10 is merged. Never a fraction.
    ("98", "2024", ["5", "", "5"]),
    ("98001", "2024", ["4", "", "4"]),
    ("98002", "2024", ["1", "", "1"]),
    # The old units for their own territory, unweighted: O2 holds R2, R3, R11; O3 holds nobody alive; Q all five.
    ("old:98012", "2024", ["3", "", "3"]),
    ("old:98001", "2024", ["0", "", "0"]),
    ("old:98", "2024", ["5", "", "5"]),
    ("old:980", "2025S1", ["5", "", "5"]),  # stock 30/06/2025, the last day of the old map
    # 30/06/2026, every status: A holds R1, R5, R6 (away, still on the register), R2, R7 (moved in 01/03), R9
    # (born 20/01); R8 died 10/02; B holds R3; R11 lives in Z.
    ("98", "2026-06", ["7", "", "7"]),
    ("98001", "2026Q2", ["6", "", "6"]),
    ("98001-01", "2026-06", ["3", "", "3"]),  # a1: R1, R5, R6
    ("98001-02", "2026-06", ["3", "", "3"]),  # a2: R2, R7, R9
    ("98002", "2026-06", ["1", "", "1"]),
    # 31/12/2025: R7 still lived in B (moved to A on 01/03/2026), R8 alive.
    ("98002", "2025", ["2", "", "2"]),
    ("VN", "2026-06", ["8", "", "8"]),  # P's 7 and R11 in X
])
def test_residents(province, unit, period, expected):
    assert ask("pop.residents", unit, period) == expected


def test_households(province):
    # 30/06/2026: H1 (R1, R5, R6), H2 (R2, R7, R9), H3 (R3). In 2024 nobody's residence named a household.
    assert ask("pop.households", "98", "2026-06") == ["3", "", "3"]
    assert ask("pop.households", "98001", "2026-06") == ["2", "", "2"]
    assert ask("pop.households", "98", "2024") == ["0", "", "0"]


def test_births_deaths_and_crude_rates(province):
    # R5 born 10/03/2024 in O1 → A; R9 born 20/01/2026 in a2. R4 died 15/08/2024 in O3 → B; R8 died 10/02/2026 in a2.
    assert ask("pop.births", "98", "2024") == ["1", "", "1"]
    assert ask("pop.births", "98001", "2024") == ["1", "", "1"]
    assert ask("pop.births", "old:98011", "2024Q1") == ["1", "", "1"]
    assert ask("pop.births", "98001-02", "2026Q1") == ["1", "", "1"]
    assert ask("pop.deaths", "98002", "2024S2") == ["1", "", "1"]
    assert ask("pop.deaths", "old:98001", "2024") == ["1", "", "1"]
    assert ask("pop.deaths", "98", "2026-02") == ["1", "", "1"]
    assert ask("pop.deaths", "98", "2026-01") == ["0", "", "0"]
    # Mid-year 01/07/2024, present: R1, R2, R3 (tạm trú), R4 (alive until August), R5, R11 = 6.
    # 1 birth ÷ 6 × 1,000 = 166.666… → 166.67; 1 death likewise.
    assert ask("pop.crude_birth_rate", "98", "2024") == ["1", "6", "166.67"]
    assert ask("pop.crude_death_rate", "98", "2024") == ["1", "6", "166.67"]
    # 2025 at B: mid-year 01/07/2025 present R3 (R7 came on 01/08) = 1; no birth, no death in B in 2025.
    assert ask("pop.crude_birth_rate", "98002", "2025") == ["0", "1", "0.00"]


def test_insurance_coverage(province):
    # 30/06/2026, present: R1, R2, R3, R5, R7, R9 (R6 is away until 01/12/2026) = 6. Valid cards: R1
    # (…31/12/2026) and R9 (from 20/01/2026); R2's card has no expiry date, R3's expired in 2024 → 2/6 = 33.33 %.
    assert ask("bhyt.coverage", "98", "2026-06") == ["2", "6", "33.33"]
    # 31/12/2024, present: R1, R2, R3, R5, R11 = 5 (R4 died); valid: R3 (2024 card) — R1's starts in 2025 → 20.00.
    assert ask("bhyt.coverage", "98", "2024") == ["1", "5", "20.00"]
    assert ask("bhyt.coverage", "98002", "2024") == ["1", "1", "100.00"]
    # December 2026 while in progress (today 05/12): R6 is back home from 01/12 and her card is valid → 3/7.
    assert ask("bhyt.coverage", "98", "2026-12", today=dt.date(2026, 12, 5)) == ["3", "7", "42.86"]
    # … but on 30/11 she was still away.
    assert ask("bhyt.coverage", "98", "2026-11") == ["2", "6", "33.33"]


def test_record_completeness(province):
    # 30/06/2026, present 6 (as above); records at least 80 % complete: R1 (90), R3 (85) → 33.33 %.
    assert ask("d25.ehr_complete", "98", "2026-06") == ["2", "6", "33.33"]
    assert ask("d25.ehr_complete", "98002", "2026-06") == ["1", "1", "100.00"]


def test_ehr_coverage_over_the_statistics_office_population(province):
    # No estimate loaded: no denominator, no value.
    assert ask("d25.ehr_coverage", "98", "2024") == ["5", "", ""]
    population_estimates_load([
        "unit,year,population,source\n",
        "old:98011,2024,3,Cục Thống kê (thử)\n", "old:98012,2024,7,Cục Thống kê (thử)\n",
        "old:98001,2024,2,Cục Thống kê (thử)\n",
        "98001,2025,8,Cục Thống kê (thử)\n", "98002,2025,2,Cục Thống kê (thử)\n",
    ])
    # 2024 estimates are for the old communes, shared through the crosswalk: A = O1 3 + O2 7 × 0.6 = 7.2;
    # B = O2 7 × 0.4 + O3 2 = 4.8; P = 3 + 7 + 2 = 12 (no row for the old province or district: communes used).
    # Present on 31/12/2024: A 4 (R1, R2, R5, R11), B 1 (R3), P 5.
    assert ask("d25.ehr_coverage", "98001", "2024") == ["4", "7.2", "55.56"]
    assert ask("d25.ehr_coverage", "98002", "2024") == ["1", "4.8", "20.83"]
    assert ask("d25.ehr_coverage", "98", "2024") == ["5", "12", "41.67"]
    assert ask("d25.ehr_coverage", "old:98012", "2024") == ["3", "7", "42.86"]
    # 31/12/2025, present in P: R1, R2, R3, R5, R6 (her absence starts in 2026), R7 (in B), R8 (alive) = 7;
    # estimate A 8 + B 2 = 10.
    assert ask("d25.ehr_coverage", "98", "2025") == ["7", "10", "70.00"]
    # A province-level row wins over its communes' once it is there.
    population_estimates_load(["unit,year,population,source\n", "98,2025,14,Cục Thống kê (thử)\n"])
    assert ask("d25.ehr_coverage", "98", "2025") == ["7", "14", "50.00"]


def test_stations_doctors_and_villages(province):
    # 30/06/2026: stations SA, SB (SPA is a station point). SA has Dr1 (permanent); SB only Dr2 (contracted).
    assert ask("d25.station_doctor", "98", "2026-06") == ["1", "2", "50.00"]
    assert ask("d25.station_doctor", "98002", "2026-06") == ["0", "1", "0.00"]
    # 31/12/2024: the old station SO2 (in O2, placed in its main successor A) with Dr4 → A 1/1, B no station.
    assert ask("d25.station_doctor", "98", "2024") == ["1", "1", "100.00"]
    assert ask("d25.station_doctor", "98001", "2024") == ["1", "1", "100.00"]
    assert ask("d25.station_doctor", "98002", "2024") == ["0", "0", ""]
    assert ask("d25.station_doctor", "old:98012", "2024") == ["1", "1", "100.00"]
    # Station doctors 30/06/2026: Dr1 (SA), Dr2 (SB), Dr3 (SPA, counted for its station) = 3 over 2 stations.
    assert ask("r72.doctors_per_station", "98", "2026-06") == ["3", "2", "1.50"]
    # 31/08/2025: Dr3 starts on 01/09 → 2 / 2.
    assert ask("r72.doctors_per_station", "98", "2025-08") == ["2", "2", "1.00"]
    # Any roster: Dr1, Dr2, Dr3 and the hospital's Dr5 = 4 per present 6 × 10,000 = 6,666.67. In A: Dr1, Dr3 over
    # A's present R1, R2, R5, R7, R9 = 5 → 4,000.
    assert ask("staff.doctors_per_10k", "98", "2026-06") == ["4", "6", "6666.67"]
    assert ask("staff.doctors_per_10k", "98001", "2026-06") == ["2", "5", "4000.00"]
    # Villages a1, a2, b1; a1's worker is trained, b1's is not → 1/3. Before 01/07/2025 there are no villages.
    assert ask("d25.village_worker", "98", "2026-06") == ["1", "3", "33.33"]
    assert ask("d25.village_worker", "98001-01", "2026-06") == ["1", "1", "100.00"]
    assert ask("d25.village_worker", "98", "2024") == ["0", "0", ""]


def test_station_visits_and_activity(province):
    # June 2026 station visits: V1 (BHYT), V2 (self-paid), V3 (BHYT); V4 is voided, V6 was at the hospital.
    assert ask("d25.station_visits_bhyt", "98", "2026-06") == ["2", "3", "66.67"]
    assert ask("d25.station_visits_bhyt", "98001", "2026-06") == ["1", "2", "50.00"]
    # 2024: V5 at the old station SO2 in O2 → A.
    assert ask("d25.station_visits_bhyt", "98", "2024") == ["1", "1", "100.00"]
    assert ask("d25.station_visits_bhyt", "98002", "2024") == ["0", "0", ""]
    # Last 7 days to 30/06/2026 (24–30 June): SA has V1 (28/06; V4 is voided), SB's V3 was on 10/06 → 1/2.
    assert ask("ops.station_active", "98", "2026-06") == ["1", "2", "50.00"]
    # Week 2026-W26 (22–28 June), stock Sunday 28/06: V1 that day → SA active.
    assert ask("ops.station_active", "98001", "2026-W26") == ["1", "1", "100.00"]
    assert ask("ops.station_active", "98", "2026-W23") == ["1", "2", "50.00"]  # V2 at SA on 05/06
    assert ask("ops.station_active", "98", "2026-W22") == ["0", "2", "0.00"]  # 25–31 May: no visit


def test_surveillance_reporting(province):
    # June 2026: Mondays 1, 8, 15, 22, 29 → 5 weeks × communes A and B = 10 expected. A sent 5 (15/06 late),
    # B sent 2 → received 7 (70 %), on time 6 (60 %).
    assert ask("surv.report_completeness", "98", "2026-06") == ["7", "10", "70.00"]
    assert ask("surv.report_timeliness", "98", "2026-06") == ["6", "10", "60.00"]
    assert ask("surv.report_completeness", "98001", "2026-W25") == ["1", "1", "100.00"]
    # December 2024: Mondays 2, 9, 16, 23, 30 → 5 weeks × the old communes O1, O2, O3 = 15; O2 sent 3. In A: O1 and
    # O2 (split, placed whole in its main successor A) → 10 expected, 3 received; B: O3 → 5, none.
    assert ask("surv.report_completeness", "98", "2024-12") == ["3", "15", "20.00"]
    assert ask("surv.report_completeness", "98001", "2024-12") == ["3", "10", "30.00"]
    assert ask("surv.report_completeness", "98002", "2024-12") == ["0", "5", "0.00"]
    # Case reports of week 8/06/2026 from A: one on time, one late.
    assert ask("surv.case_timeliness", "98", "2026-06") == ["1", "2", "50.00"]
