"""The engine beyond one total: breakdowns, values that follow every committed write, rounding."""

import datetime as dt
from decimal import Decimal

import pytest

from ytcs.audit.context import AuditContext
from ytcs.core.errors import DomainError
from ytcs.core.periods import parse_period
from ytcs.indicators.engine import Figures, figures_by, figures_by_unit
from ytcs.indicators.selectors import current_definition, indicator_value
from ytcs.indicators.units import resolve_unit
from ytcs.people.models import ResidenceHistory
from ytcs.people.tests.factories import ResidentFactory
from ytcs.surveillance.completeness import reporting_completeness

TODAY = dt.date(2026, 12, 5)


def by(code, unit, period, dimension):
    return figures_by(current_definition(code), resolve_unit(unit), parse_period(period), TODAY, dimension=dimension)


def test_breakdowns_add_up_to_the_total(province):
    # pop.residents 30/06/2026 in P (test_hand_counted): women R1, R3, R6, R9; men R2, R5, R7.
    assert by("pop.residents", "98", "2026-06", "sex") == {"F": Figures(4, None), "M": Figures(3, None)}
    # Age groups on 30/06/2026: R9 (5 months) 0, R5 (2) 1-4, R1 46, R2 36, R3 41, R6 26, R7 30 → 15-59.
    assert by("pop.residents", "98", "2026-06", "age_group") == {
        "0": Figures(1, None), "1-4": Figures(1, None), "15-59": Figures(5, None)}
    assert by("pop.residents", "98", "2026-06", "residence_status") == {
        "permanent": Figures(5, None), "temporary": Figures(1, None), "absent": Figures(1, None)}
    # bhyt.coverage by village: a1 R1 (card) and R5 of 2 present (R6 away); a2 R9 (card), R2, R7; b1 R3 (expired).
    assert by("bhyt.coverage", "98", "2026-06", "village") == {
        province.a1.pk: Figures(1, 2), province.a2.pk: Figures(1, 3), province.b1.pk: Figures(0, 1)}
    with pytest.raises(DomainError):
        by("d25.station_doctor", "98", "2026-06", "sex")


def test_a_province_breaks_down_into_its_communes(province):
    split = figures_by_unit(current_definition("d25.station_visits_bhyt"), resolve_unit("98"),
                            parse_period("2026-06"), TODAY, depth=2)
    assert split.total == Figures(2, 3)
    assert split.parts == {province.a.pk: Figures(1, 2), province.b.pk: Figures(1, 1)}
    doctors = figures_by_unit(current_definition("staff.doctors_per_10k"), resolve_unit("98"),
                              parse_period("2026-06"), TODAY, depth=2)
    assert doctors.parts[None].numerator == 1  # the provincial hospital's doctor sits above the communes
    assert doctors.part(province.b.pk) == Figures(1, 1)


def test_a_value_follows_every_committed_write(province):
    def residents():
        return indicator_value(context=AuditContext.system("t"), indicator="pop.residents", unit="98002",
                               period="2026-06", today=TODAY).as_row()[3]

    assert residents() == "1"
    newcomer = ResidentFactory(given_name="Mới", commune=province.b, village=province.b1)
    ResidenceHistory.objects.create(resident=newcomer, commune=province.b, village=province.b1,
                                    valid_from=dt.date(2026, 5, 1))
    assert residents() == "2"
    ResidenceHistory.objects.filter(resident=newcomer).update(valid_from=dt.date(2026, 7, 1))
    assert residents() == "1"  # moved in after the stock day


@pytest.mark.parametrize(("numerator", "denominator", "value"), [
    (2, 3, Decimal("66.67")), (1, 8, Decimal("12.50")), (1, 400, Decimal("0.25")), (5, 2000, Decimal("0.25")),
    (1, 6, Decimal("16.67")), (1, 800, Decimal("0.13")), (0, 0, None), (3, None, None),
])
def test_values_round_half_up_to_two_decimals(db, numerator, denominator, value):
    assert Figures(numerator, denominator).value(current_definition("bhyt.coverage")) == value


def test_the_engine_counts_weekly_reports_as_the_surveillance_page_does(province):
    """Completeness moved into the engine: for current communes it agrees with the surveillance selector."""
    first, last = dt.date(2026, 6, 1), dt.date(2026, 6, 29)
    page = reporting_completeness(actor=province.nurse, unit=province.a, first_week=first, last_week=last)
    (row,) = page.object_list
    engine = [indicator_value(context=AuditContext.system("t"), indicator=code, unit="98001", period="2026-06")
              for code in ("surv.report_completeness", "surv.report_timeliness", "surv.case_timeliness")]
    assert [r.figures for r in engine] == [
        Figures(row.received, row.expected), Figures(row.on_time, row.expected),
        Figures(row.cases - row.late_cases, row.cases)]


def test_a_rate_for_whole_years_refuses_a_year_in_progress(province):
    with pytest.raises(DomainError) as refused:
        indicator_value(context=AuditContext.system("t"), indicator="pop.crude_birth_rate", unit="98",
                        period="2026", today=TODAY)
    (error,) = refused.value.errors
    assert (error.field, error.code) == ("period", "period_incomplete")
    assert "31/12/2026" in error.message
