"""Input validation of ``week_start,count`` series and the ``ytcs detect`` command line."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ytcs.surveillance.detection import detect, make_params
from ytcs.surveillance.detection.cli import main
from ytcs.surveillance.detection.series import SeriesError, parse_counts_csv

REPO = Path(__file__).resolve().parents[3]


def _problems(text: str):
    with pytest.raises(SeriesError) as info:
        parse_counts_csv(text)
    return info.value.problems


def test_non_monday_date_names_the_line():
    (p,) = _problems("week_start,count\n2024-01-01,3\n2024-01-10,2\n")
    assert (p.line, p.field, p.code) == (3, "week_start", "not_monday")
    assert "line 3" in str(p) and "Wednesday" in str(p)


def test_duplicate_week_names_both_lines():
    (p,) = _problems("week_start,count\n2024-01-01,3\n2024-01-08,2\n2024-01-01,4\n")
    assert (p.line, p.code) == (4, "duplicate_week")
    assert "line 2" in p.message


@pytest.mark.parametrize(("count", "code"), [("-1", "negative_count"), ("2.5", "non_integer_count"),
                                              ("abc", "bad_count"), ("inf", "bad_count")])
def test_bad_counts_name_the_line(count, code):
    (p,) = _problems(f"week_start,count\n2024-01-01,3\n2024-01-08,{count}\n")
    assert (p.line, p.field, p.code) == (3, "count", code)


def test_every_problem_is_reported():
    problems = _problems("week_start,count\n2024-01-02,1\n2024-01-08,-3\nnot-a-date,1\n2024-01-15,1.5\n")
    assert [(p.line, p.code) for p in problems] == [
        (2, "not_monday"), (3, "negative_count"), (4, "bad_date"), (5, "non_integer_count")]


def test_missing_header_column():
    (p,) = _problems("week,count\n2024-01-01,3\n")
    assert p.code == "missing_column" and p.line == 1


def test_missing_weeks_become_missing_values_and_order_does_not_matter():
    series, weeks = parse_counts_csv("count,week_start,note\n5,2024-01-15,x\n3,2023-12-25,\n\n1,2024-01-01,y\n")
    assert series.start.isoformat() == "2023-12-25"
    assert series.iso_start == (2023, 52)
    np.testing.assert_array_equal(series.counts, [3, 1, np.nan, 5])
    assert len(weeks) == 3


def test_empty_count_is_a_missing_week_and_integer_valued_decimals_are_accepted():
    series, _ = parse_counts_csv("\ufeffweek_start,count\n2024-01-01,\n2024-01-08,4.0\n")
    np.testing.assert_array_equal(series.counts, [np.nan, 4])


def test_unknown_method_and_inapplicable_parameter():
    with pytest.raises(ValueError, match="unknown method 'foo'"):
        make_params("foo")
    with pytest.raises(ValueError, match="baseline do not apply to method farrington"):
        make_params("farrington", baseline=7)
    with pytest.raises(ValueError, match="baseline must be at least 3"):
        make_params("ears-c1", baseline=2)


def _write_series(path: Path, n: int = 300, seed: int = 3) -> np.ndarray:
    import datetime as dt

    rng = np.random.default_rng(seed)
    y = rng.poisson(6 + 3 * np.sin(np.arange(n) * 2 * np.pi / 52))
    y[-2] += 25
    start = dt.date(2019, 1, 7)
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["week_start", "count"])
        for i, c in enumerate(y):
            if i != 100:  # one missing week
                w.writerow([(start + dt.timedelta(weeks=i)).isoformat(), int(c)])
    return y


def test_cli_round_trip(tmp_path):
    src, out = tmp_path / "counts.csv", tmp_path / "signals.csv"
    y = _write_series(src)
    assert main(["--method", "farrington-flexible", "--input", str(src), "--output", str(out),
                 "--evaluate-last", "52"]) == 0
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["week_start", "count", "expected", "upperbound", "alarm"]
    assert len(rows) == len(y) - 1  # every input week, the missing one is not invented
    assert all(r["expected"] == r["upperbound"] == "" for r in rows[:-52])
    assert all(r["alarm"] in ("0", "1") for r in rows)
    assert rows[-2]["alarm"] == "1"
    y_float = y.astype(float)
    y_float[100] = np.nan
    res = detect("farrington-flexible", y_float, evaluate_last=52)
    assert float(rows[-1]["upperbound"]) == res.upperbound[-1]


def test_cli_error_writes_nothing(tmp_path, capsys):
    src, out = tmp_path / "counts.csv", tmp_path / "signals.csv"
    src.write_text("week_start,count\n2024-01-01,3\n2024-01-03,2\n2024-01-15,-2\n")
    assert main(["--method", "ears-c1", "--input", str(src), "--output", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert "line 3" in err[0] and "Wednesday" in err[0]
    assert "line 4" in err[1] and "negative" in err[1]
    assert not out.exists()


def test_cli_unknown_method_subprocess(tmp_path):
    src = tmp_path / "counts.csv"
    _write_series(src, n=30)
    proc = subprocess.run([sys.executable, "-m", "ytcs.surveillance.detection.cli", "--method", "shewhart",
                           "--input", str(src), "--output", str(tmp_path / "o.csv")],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode != 0
    assert "invalid choice: 'shewhart'" in proc.stderr
    assert not (tmp_path / "o.csv").exists()


def test_cli_stdout_and_parameters(tmp_path, capsys):
    src = tmp_path / "counts.csv"
    _write_series(src, n=60)
    assert main(["--method", "ears-c3", "--input", str(src), "--output", "-", "--baseline", "5",
                 "--min-sigma", "1"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[8]["upperbound"] == "" and rows[9]["upperbound"] != ""  # C3 needs baseline + 4 weeks


def test_management_command_round_trip(tmp_path):
    from django.core.management import call_command

    src, out = tmp_path / "counts.csv", tmp_path / "signals.csv"
    _write_series(src, n=120)
    call_command("detect", "--method", "ears-c2", "--input", str(src), "--output", str(out), "--alpha", "0.01")
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 119 and rows[-1]["upperbound"] != ""


def test_management_command_error(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    src, out = tmp_path / "counts.csv", tmp_path / "signals.csv"
    src.write_text("week_start,count\n2024-01-01,3\n2024-01-01,2\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("detect", "--method", "cusum", "--input", str(src), "--output", str(out), stderr=err)
    assert "line 3: week 2024-01-01 already given on line 2" in err.getvalue()
    assert not out.exists()
