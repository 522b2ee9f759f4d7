"""Plausible synthetic surveillance data for a demo province, with one measles burst to detect.

Seasonality follows the usual pattern in northern and central Viet Nam (peaks
as parameters, not facts): dengue in the rainy season (peak around ISO week
40), hand-foot-mouth disease twice a year (weeks 14 and 42), influenza in
winter and spring (week 6), varicella and mumps in late winter. Every commune
sends its weekly report most weeks, a few of them late. All rows belong to the
user ``ytcs-synth`` so a re-run replaces them instead of adding to them.
"""

import datetime as dt
import math

import numpy as np
from django.db import transaction
from django.utils import timezone

from ytcs.accounts.models import Role, User
from ytcs.orgunits.models import OrgUnit
from ytcs.surveillance.counts import rebuild_weekly_counts
from ytcs.surveillance.models import (
    AggregateReport,
    Alert,
    CaseReport,
    Classification,
    Disease,
    LabResult,
    WeeklyReport,
)
from ytcs.surveillance.services import report_due_at
from ytcs.surveillance.weeks import last_complete_week

SYNTH_USERNAME = "ytcs-synth"
# code: (mean weekly cases per commune, seasonal amplitude, peak ISO week(s))
CASE_DISEASES = {
    "sot_xuat_huyet": (0.04, 1.4, (40,)),  # ~2 per 1,000 a year, the national order of magnitude
    "tay_chan_mieng": (0.03, 0.9, (14, 42)),
    "lao_phoi": (0.05, 0.0, ()),
    "sot_ret": (0.01, 0.5, (30,)),
    "ho_ga": (0.01, 0.3, (20,)),
    "thuong_han": (0.005, 0.3, (28,)),
    "viem_gan_virut": (0.02, 0.0, ()),
    "soi": (0.002, 0.5, (10,)),
}
AGGREGATE_DISEASES = {
    "cum": (2.0, 0.8, (6,)),
    "thuy_dau": (0.3, 0.9, (10,)),
    "quai_bi": (0.15, 0.6, (12,)),
    "tieu_chay_rotavirus": (0.3, 0.7, (2,)),
    "ly_truc_trung": (0.08, 0.5, (26,)),
    "ly_amip": (0.04, 0.5, (26,)),
    "adeno": (0.05, 0.5, (24,)),
    "sot_phat_ban": (0.02, 0.3, (30,)),
}
BURST = (4, 9)  # measles cases in the week before last and in the last complete week
_REPORT_RATE, _ON_TIME_RATE = 0.95, 0.85


def _rates(mean: float, amplitude: float, peaks: tuple[int, ...], weeks: list[dt.date]) -> np.ndarray:
    """Weekly Poisson means with one raised-cosine season per peak (amplitude 0 = flat)."""
    iso_weeks = np.array([w.isocalendar().week for w in weeks], dtype=float)
    season = np.ones(len(weeks))
    for peak in peaks:
        season += amplitude * np.cos(2 * math.pi * (iso_weeks - peak) / 52.0)
    season = np.clip(season, 0.05, None)
    return mean * season / season.mean()


def _synth_user() -> User:
    user, _ = User.objects.get_or_create(
        username=SYNTH_USERNAME, defaults={"role": Role.STATION_STAFF, "is_active": False}
    )
    return user


def _villages(communes: list[OrgUnit]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {c.pk: [] for c in communes}
    for pk, parent in OrgUnit.objects.filter(
        parent__in=communes, level=OrgUnit.Level.VILLAGE, valid_to__isnull=True
    ).values_list("pk", "parent_id"):
        out[parent].append(pk)
    return out


@transaction.atomic
def synthesise(*, province: OrgUnit, years: int, seed: int, as_of: dt.date) -> str:
    """Replace the synthetic data of ``province`` with ``years`` of weekly data ending the week before ``as_of``."""
    rng = np.random.default_rng(seed)
    user = _synth_user()
    communes = list(OrgUnit.objects.filter(
        path__startswith=province.path, level=OrgUnit.Level.COMMUNE, valid_to__isnull=True).order_by("code", "pk"))
    if not communes:
        raise ValueError(f"{province.name} has no current communes")
    ids = [c.pk for c in communes]
    Alert.objects.filter(case__created_by=user, commune_id__in=ids).delete()
    CaseReport.objects.filter(created_by=user, commune_id__in=ids).delete()
    WeeklyReport.objects.filter(submitted_by=user, unit_id__in=ids).delete()
    last = last_complete_week(as_of)
    weeks = [last - dt.timedelta(weeks=i) for i in range(52 * years - 1, -1, -1)]
    diseases = {d.code: d for d in Disease.objects.filter(code__in=[*CASE_DISEASES, *AGGREGATE_DISEASES])}
    villages = _villages(communes)
    tz = timezone.get_current_timezone()
    reports: list[WeeklyReport] = []
    lines: list[tuple[int, int, int, int]] = []  # (report index, disease id, commune id, cases)
    cases: list[CaseReport] = []
    aggregate_rates = {code: _rates(*spec, weeks) for code, spec in AGGREGATE_DISEASES.items()}
    case_rates = {code: _rates(*spec, weeks) for code, spec in CASE_DISEASES.items()}
    for commune in communes:
        size = rng.lognormal(0.0, 0.5)
        for t, week in enumerate(weeks):
            if rng.random() < _REPORT_RATE:
                due = report_due_at(week)
                late = rng.random() > _ON_TIME_RATE
                at = due + dt.timedelta(hours=float(rng.uniform(1, 72) if late else -rng.uniform(1, 60)))
                iso = week.isocalendar()
                reports.append(WeeklyReport(unit=commune, week_start=week, iso_year=iso.year, iso_week=iso.week,
                                            submitted_at=at, submitted_by=user, on_time=not late))
                for code, rates in aggregate_rates.items():
                    n = int(rng.poisson(rates[t] * size))
                    if n:
                        lines.append((len(reports) - 1, diseases[code].pk, commune.pk, n))
            for code, rates in case_rates.items():
                for _ in range(int(rng.poisson(rates[t] * size))):
                    cases.append(_case(rng, diseases[code], commune, villages[commune.pk], week, user, tz))
    burst_commune = communes[int(rng.integers(len(communes)))]
    for offset, n in zip((1, 0), BURST, strict=True):
        for _ in range(n):
            cases.append(_case(rng, diseases["soi"], burst_commune, villages[burst_commune.pk],
                               last - dt.timedelta(weeks=offset), user, tz, child=True))
    saved = WeeklyReport.objects.bulk_create(reports, batch_size=5000)
    AggregateReport.objects.bulk_create(
        [AggregateReport(weekly_report=saved[i], unit_id=unit, week_start=saved[i].week_start, disease_id=d, cases=n)
         for i, d, unit, n in lines], batch_size=5000,
    )
    saved_cases = CaseReport.objects.bulk_create(cases, batch_size=5000)
    recent = last - dt.timedelta(weeks=1)
    Alert.objects.bulk_create([
        Alert(case=c, disease=c.disease, commune=c.commune, deadline_at=c.deadline_at)
        for c in saved_cases if c.disease.is_immediate and c.week_start >= last
    ])
    cells = rebuild_weekly_counts(unit_ids=ids)
    return (f"{province.name}: {len(communes)} communes, {len(weeks)} weeks, {len(saved)} weekly reports, "
            f"{len(lines)} aggregate lines, {len(saved_cases)} case reports, {cells} weekly cells; "
            f"measles burst in {burst_commune.name} ({BURST[0]} + {BURST[1]} cases, weeks of {recent} and {last})")


def _case(rng: np.random.Generator, disease: Disease, commune: OrgUnit, villages: list[int], week: dt.date,
          user: User, tz: dt.tzinfo, child: bool = False) -> CaseReport:
    onset = week + dt.timedelta(days=int(rng.integers(7)))
    now = timezone.now()
    diagnosed = min(dt.datetime.combine(onset + dt.timedelta(days=int(rng.integers(0, 3))), dt.time(9), tz), now)
    reported = min(diagnosed + dt.timedelta(hours=float(rng.gamma(2.0, 8.0))), now)
    age = int(rng.integers(1, 10)) if child else int(min(rng.gamma(2.0, 14.0), 95))
    confirmed = rng.random() < 0.4
    case = CaseReport(
        disease=disease, reporting_unit=commune, commune=commune,
        village_id=villages[int(rng.integers(len(villages)))] if villages else None,
        age_years=age, sex="M" if rng.random() < 0.5 else "F", onset_date=onset, diagnosed_at=diagnosed,
        reported_at=reported, week_start=week,
        classification=Classification.CONFIRMED if confirmed else Classification.SUSPECTED,
        lab_result=LabResult.POSITIVE if confirmed else LabResult.NOT_TESTED,
        deadline_hours=disease.report_deadline_hours, created_by=user,
    )
    case.is_late = case.deadline_at is not None and case.reported_at > case.deadline_at
    return case
