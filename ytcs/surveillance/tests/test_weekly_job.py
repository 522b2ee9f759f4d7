"""The weekly job end to end from the database, with the real detection engine."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent
from ytcs.surveillance import services
from ytcs.surveillance.models import DetectionRun, Signal
from ytcs.surveillance.series import build_cube
from ytcs.surveillance.tests.factories import at, report_case, submit_weekly
from ytcs.surveillance.weekly_job import weekly_detection_run
from ytcs.surveillance.weeks import last_complete_week

TODAY = timezone.localdate()
LAST_WEEK = last_complete_week(TODAY)
JOB = AuditContext.system("detect-weekly")


def measles_case(user, village, onset: dt.date):
    return report_case(user, disease="soi", village=village, age_years=3, sex="M", onset_date=onset,
                       diagnosed_at=at(onset), reported_at=at(onset, 15))


@pytest.fixture
def burst(station_user, tree):
    """Both communes on the system for six years (a zero report), then 8 measles cases last week in A1."""
    start = LAST_WEEK - dt.timedelta(weeks=52 * 6)
    for unit in (tree.commune, tree.commune2):
        user = station_user if unit == tree.commune else type(station_user).objects.create(
            username="a2", role=station_user.role, org_unit=unit)
        submit_weekly(user, start, submitted_at=at(start + dt.timedelta(days=7)))
    return [measles_case(station_user, tree.village, LAST_WEEK + dt.timedelta(days=i % 5)) for i in range(8)]


def test_series_are_missing_before_a_station_starts_and_zero_after(tree, burst):
    from ytcs.surveillance.models import Disease

    flu, measles = Disease.objects.prefetch_related("group_history").filter(code__in=["soi", "cum"]).order_by("code")
    first = LAST_WEEK - dt.timedelta(weeks=52 * 7)
    cube = build_cube(scope=tree.province, units=[tree.commune, tree.commune2], diseases=[flu, measles],
                      first_week=first, last_week=LAST_WEEK)
    start = (52 * 7) - (52 * 6)
    series = cube.values[0, 1]
    assert all(v != v for v in series[:start])  # NaN before the first report
    assert series[start:-1].sum() == 0 and series[-1] == 8
    flu_series = cube.values[0, 0]
    assert flu_series[start] == 0  # the zero report
    assert flu_series[start + 1] != flu_series[start + 1]  # aggregate disease, no report that week: missing


def test_burst_raises_commune_and_province_signals_with_linked_cases(tree, burst):
    run = weekly_detection_run(as_of=TODAY, scope=tree.province, context=JOB, workers=1)
    signals = {s.unit_id: s for s in Signal.objects.filter(disease__code="soi", week_start=LAST_WEEK)}
    assert set(signals) == {tree.commune.pk, tree.province.pk}
    commune_signal = signals[tree.commune.pk]
    assert commune_signal.count == 8 and commune_signal.method == "farrington"
    assert commune_signal.status == "new"
    assert set(commune_signal.cases.values_list("pk", flat=True)) == {c.pk for c in burst}
    assert signals[tree.province.pk].cases.count() == 8
    assert (run.signal_count, run.new_signal_count) == (2, 2)
    assert not Signal.objects.filter(unit=tree.commune2).exists()


def test_rerunning_the_same_week_creates_no_duplicates_and_keeps_the_review(tree, burst, province_user):
    weekly_detection_run(as_of=TODAY, scope=tree.province, context=JOB, workers=1)
    signal = Signal.objects.get(unit=tree.commune, disease__code="soi")
    services.signal_review(signal, to_status="investigating", context=AuditContext(actor=province_user))
    run = weekly_detection_run(as_of=TODAY, scope=tree.province, context=JOB, workers=1)
    assert Signal.objects.filter(disease__code="soi").count() == 2
    assert (run.signal_count, run.new_signal_count) == (2, 0)
    signal.refresh_from_db()
    assert signal.status == "investigating" and signal.run == run
    assert signal.cases.count() == 8


def test_the_command_runs_the_job_for_a_province(tree, burst, capsys):
    call_command("surveillance", "detect-weekly", "--province", "Tỉnh A", "--as-of", TODAY.isoformat(),
                 "--workers", "1")
    out = capsys.readouterr().out
    assert "Tỉnh A" in out and "2 signal(s), 2 new" in out
    assert DetectionRun.objects.get().scope_unit == tree.province
    event = AuditEvent.objects.get(resource_type="surveillance.Signal", action="create")  # the job, named
    assert (event.actor, event.client, event.changes["unit"]) == (None, "job:detect-weekly", tree.province.pk)


def test_a_method_override_applies_to_every_disease(tree, burst):
    run = weekly_detection_run(as_of=TODAY, scope=tree.province, context=JOB, method="ears-c2", diseases=["soi"],
                               workers=1)
    assert run.methods == {"soi": {"method": "ears-c2", "params": {}}}
    assert Signal.objects.filter(method="ears-c2", unit=tree.commune, week_start=LAST_WEEK).exists()


def test_an_unknown_method_is_refused_before_any_work(tree):
    with pytest.raises(ValueError, match="unknown method"):
        weekly_detection_run(as_of=TODAY, scope=tree.province, context=JOB, method="magic")
    assert not DetectionRun.objects.exists()
