"""``ytcs indicators``: the outputs are contracts, so they are compared byte for byte; refusals exit with 2."""

import io
import json
from unittest import mock

import pytest
from django.core.management import call_command, execute_from_command_line
from django.db import connections
from django.utils import translation

from ytcs.indicators.models import IndicatorValue, PopulationEstimate

HEADER = "indicator,unit,period,numerator,denominator,value\n"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def refused(capsys, *args: str) -> str:
    """Run as the ``ytcs`` entry point does; the exit status must be 2 and the reason on standard error.

    The entry point closes the database connections when it ends, which would end the test's transaction.
    """
    with pytest.raises(SystemExit) as exit_, mock.patch.object(connections, "close_all"):
        execute_from_command_line(["ytcs", "indicators", *args])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def test_value_csv_is_a_header_and_one_row(province):
    # Station visits June 2026: 2 of 3 paid by BHYT (test_hand_counted) → 66.67, not 0.6667.
    assert run("value", "d25.station_visits_bhyt", "--unit", "98", "--period", "2026-06") == (
        HEADER + "d25.station_visits_bhyt,98,2026-06,2,3,66.67\n")


def test_a_count_has_no_denominator_and_its_value_is_the_numerator(province):
    assert run("value", "pop.residents", "--unit", "98", "--period", "2024") == HEADER + "pop.residents,98,2024,5,,5\n"


def test_a_zero_denominator_gives_an_empty_value(province):
    assert run("value", "d25.station_doctor", "--unit", "98002", "--period", "2024") == (
        HEADER + "d25.station_doctor,98002,2024,0,0,\n")


def test_the_unit_and_period_repeat_the_codes_as_given(province):
    assert run("value", "pop.residents", "--unit", "old:98012", "--period", "2024Q4") == (
        HEADER + "pop.residents,old:98012,2024Q4,3,,3\n")


def test_json_is_one_object_with_the_same_keys(province):
    assert run("value", "d25.station_visits_bhyt", "--unit", "98", "--period", "2026-06", "--format", "json") == (
        '{"indicator": "d25.station_visits_bhyt", "unit": "98", "period": "2026-06", "numerator": 2, '
        '"denominator": 3, "value": 66.67}\n')
    count = json.loads(run("value", "pop.residents", "--unit", "98", "--period", "2024", "--format", "json"))
    assert count == {"indicator": "pop.residents", "unit": "98", "period": "2024", "numerator": 5,
                     "denominator": None, "value": 5}
    empty = json.loads(run("value", "d25.station_doctor", "--unit", "98002", "--period", "2024", "--format", "json"))
    assert (empty["denominator"], empty["value"]) == (0, None)


def test_weighted_figures_keep_their_decimals(province):
    PopulationEstimate.objects.create(unit=province.o1, year=2024, value=3, source="thử")
    PopulationEstimate.objects.create(unit=province.o2, year=2024, value=7, source="thử")
    assert run("value", "d25.ehr_coverage", "--unit", "98001", "--period", "2024") == (
        HEADER + "d25.ehr_coverage,98001,2024,4,7.2,55.56\n")


@pytest.mark.parametrize(("args", "says"), [
    (["nope.indicator", "--unit", "98", "--period", "2024"], "Không có chỉ số nào mang mã “nope.indicator”"),
    (["pop.residents", "--unit", "98099", "--period", "2024"], "Không có đơn vị hiện hành nào mang mã “98099”"),
    (["pop.residents", "--unit", "98011", "--period", "2024"], "hãy viết old:98011"),
    (["pop.residents", "--unit", "old:99001", "--period", "2024"], "ngày 30/06/2025"),
    (["pop.residents", "--unit", "99", "--period", "2024"], "trùng với nhiều đơn vị: Tỉnh Z"),
    (["pop.residents", "--unit", "98", "--period", "2024-13"], "Mã kỳ báo cáo “2024-13” không hợp lệ"),
    (["pop.births", "--unit", "98", "--period", "2024-W10"], "không tính cho kỳ tuần"),
    (["pop.crude_birth_rate", "--unit", "98", "--period", "2024-06"], "không tính cho kỳ tháng"),
    (["pop.residents", "--unit", "old:98012", "--period", "2025"], "chỉ tồn tại đến ngày 30/06/2025"),
    (["pop.residents", "--unit", "98", "--period", "2099"], "chưa bắt đầu"),
])
def test_refusals_exit_with_2_and_say_why(province, capsys, args, says):
    with translation.override("vi"):
        err = refused(capsys, "value", *args)
    assert err.startswith("CommandError: ") and says in err


def test_every_problem_is_reported_at_once(db, capsys):
    err = refused(capsys, "value", "nope.x", "--unit", "none", "--period", "x")
    assert "nope.x" in err and "“none”" in err and "“x”" in err


def test_list_names_code_version_name_and_period_types(db):
    with translation.override("en"):
        lines = run("list", "--format", "csv").splitlines()
    assert lines[0] == "code,version,name,period_types"
    assert "pop.crude_birth_rate,1,Crude birth rate,year" in lines
    assert "surv.report_completeness,1,Weekly surveillance reports received,week month quarter half_year " \
           "nine_months year" in lines
    text = run("list")
    assert "d25.station_doctor" in text and "v1" in text


def test_load_population_checks_every_row_before_writing(province, tmp_path, capsys):
    good = tmp_path / "population.csv"
    good.write_text("unit,year,population,source\nold:98012,2024,7,Cục Thống kê 2025\n98001,2025,8,Cục Thống kê\n",
                    encoding="utf-8")
    assert run("load-population", str(good)) == "population estimates: 2 new, 0 updated, 0 unchanged\n"
    assert run("load-population", str(good)) == "population estimates: 0 new, 0 updated, 2 unchanged\n"
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,year,population,source\n98002,2025,5,ok\n98011,2025,x,\n", encoding="utf-8")
    err = refused(capsys, "load-population", str(bad))
    assert "rows.3.unit" in err and "rows.3.population" in err and "rows.3.source" in err
    assert not PopulationEstimate.objects.filter(unit=province.b).exists()  # nothing half-written


def test_rebuild_stores_the_totals_of_the_province_and_its_communes(province):
    out = run("rebuild", "--province", "98", "--from", "2026-06")
    assert "values written: 1 province(s)" in out
    stored = IndicatorValue.objects.filter(definition__code="d25.station_visits_bhyt", period="2026-06")
    assert {(v.unit.code, v.numerator, v.denominator, v.value) for v in stored} == {
        ("98", 2.0, 3.0, 66.67), ("98001", 1.0, 2.0, 50.0), ("98002", 1.0, 1.0, 100.0)}
    again = run("rebuild", "--province", "Tỉnh P", "--from", "2026-06")
    assert again.split(" ", 1)[0] == out.split(" ", 1)[0]  # the same rows, replaced, not added
    assert stored.count() == 3


def test_rebuild_refuses_an_unknown_province(db, capsys):
    assert "no province" in refused(capsys, "rebuild", "--province", "Atlantis")
