import datetime as dt

import pytest
from django.utils import timezone

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent
from ytcs.core.errors import DomainError, OutOfScope
from ytcs.surveillance import services
from ytcs.surveillance.inputs import CaseFollowUp
from ytcs.surveillance.models import Alert, CaseReport, Classification, WeeklyCount, WeeklyReport
from ytcs.surveillance.tests.factories import ResidentFactory, at, report_case, submit_weekly
from ytcs.surveillance.weeks import week_start

TODAY = timezone.localdate()


def anonymous_case(user, tree, **overrides):
    args = {
        "disease": "soi", "village": tree.village, "age_years": 4, "sex": "F",
        "onset_date": TODAY - dt.timedelta(days=3), "diagnosed_at": at(TODAY - dt.timedelta(days=1)),
    }
    return report_case(user, **{**args, **overrides})


def refusal(exc: pytest.ExceptionInfo) -> dict[str, tuple[str, str]]:
    """The service's errors as field → (code, message)."""
    return {e.field: (e.code, e.message) for e in exc.value.errors}


def test_onset_after_report_date_is_refused_with_the_reason(station_user, tree):
    with pytest.raises(DomainError) as exc:
        anonymous_case(station_user, tree, onset_date=TODAY - dt.timedelta(days=1),
                       diagnosed_at=at(TODAY - dt.timedelta(days=5)), reported_at=at(TODAY - dt.timedelta(days=4)))
    code, message = refusal(exc)["onset_date"]
    assert code == "onset_after_report" and "sau ngày báo cáo" in message
    assert not CaseReport.objects.exists()


def test_onset_in_the_future_is_refused(station_user, tree):
    with pytest.raises(DomainError) as exc:
        anonymous_case(station_user, tree, onset_date=TODAY + dt.timedelta(days=2))
    code, message = refusal(exc)["onset_date"]
    assert code == "in_future" and "tương lai" in message


def test_unknown_disease_is_refused_with_the_reason(station_user, tree):
    with pytest.raises(DomainError) as exc:
        anonymous_case(station_user, tree, disease="ebola_zz")
    code, message = refusal(exc)["disease"]
    assert code == "unknown_code"
    assert "ebola_zz" in message and "không có trong danh mục" in message


def test_disease_not_yet_listed_on_the_report_date_is_refused(station_user, tree):
    # Nipah was added to group A on 25/11/2025.
    day = dt.date(2025, 11, 20)
    with pytest.raises(DomainError) as exc:
        anonymous_case(station_user, tree, disease="nipah", onset_date=day - dt.timedelta(days=2),
                       diagnosed_at=at(day), reported_at=at(day, 15))
    code, message = refusal(exc)["disease"]
    assert code == "not_listed" and "chưa có trong danh mục vào ngày 20/11/2025" in message


def test_disease_with_its_own_reporting_regime_is_refused(station_user, tree):
    with pytest.raises(DomainError) as exc:
        anonymous_case(station_user, tree, disease="hiv")
    code, message = refusal(exc)["disease"]
    assert code == "separate_regime" and "chế độ riêng" in message


def test_anonymous_case_needs_age_sex_and_village(station_user, tree):
    with pytest.raises(DomainError) as exc:
        anonymous_case(station_user, tree, village=None, sex="", age_years=None)
    errors = refusal(exc)
    assert {field: errors[field][0] for field in ("village_id", "sex", "age_years")} == {
        "village_id": "required", "sex": "required", "age_years": "required"}


def test_every_problem_is_reported_at_once_with_its_code(station_user, tree):
    with pytest.raises(DomainError) as exc:
        anonymous_case(station_user, tree, age_years=130, age_months=12, sex="X", classification="maybe",
                       lab_result="?", outcome="?", lab_test="x" * 121, diagnosed_at=at(dt.date(1899, 12, 31)))
    assert {field: code for field, (code, _message) in refusal(exc).items()} == {
        "age_years": "out_of_range", "age_months": "out_of_range", "sex": "invalid", "classification": "invalid",
        "lab_result": "invalid", "outcome": "invalid", "lab_test": "too_long", "diagnosed_at": "out_of_range",
    }


def test_anonymous_case_may_name_only_a_commune_that_has_no_villages(station_user, tree):
    with pytest.raises(DomainError) as exc:
        anonymous_case(station_user, tree, village=None, commune=tree.commune)
    assert refusal(exc)["village_id"][0] == "required"
    from ytcs.surveillance.tests.factories import UserFactory

    a2_nurse = UserFactory(role=station_user.role, org_unit=tree.commune2)  # Xã A2 has no villages on file
    case = anonymous_case(a2_nurse, tree, village=None, commune=tree.commune2)
    assert case.commune == tree.commune2 and case.village is None


def test_a_village_must_be_a_current_village(station_user, tree):
    with pytest.raises(DomainError) as exc:
        anonymous_case(station_user, tree, village=tree.commune)
    assert refusal(exc)["village_id"][0] == "invalid"


def test_case_of_a_resident_copies_age_and_sex_and_is_audited(station_user, tree):
    resident = ResidentFactory(commune=tree.commune, village=tree.village, sex="F", birth_date=dt.date(2020, 1, 10))
    onset = dt.date(2026, 1, 20)
    case = anonymous_case(station_user, tree, village=None, age_years=None, sex="", resident=resident,
                          onset_date=onset, diagnosed_at=at(onset), reported_at=at(onset, 15))
    assert (case.age_years, case.age_months, case.sex, case.commune) == (6, 0, "F", tree.commune)
    event = AuditEvent.objects.get(resource_type="surveillance.CaseReport", action="create")
    assert list(event.subjects.values_list("resident_id", flat=True)) == [resident.pk]


def test_capture_outside_the_users_unit_is_out_of_scope(tree):
    from ytcs.surveillance.tests.factories import UserFactory

    outsider = UserFactory(org_unit=tree.other_commune)
    with pytest.raises(OutOfScope):
        anonymous_case(outsider, tree)
    assert not CaseReport.objects.exists()


def test_24_hour_disease_raises_an_alert_with_the_time_left(station_user, tree):
    diagnosed = timezone.now() - dt.timedelta(hours=5)
    case = anonymous_case(station_user, tree, diagnosed_at=diagnosed)
    alert = Alert.objects.get(case=case)
    assert alert.deadline_at == diagnosed + dt.timedelta(hours=24)
    left = alert.deadline_at - timezone.now()
    assert dt.timedelta(hours=18, minutes=59) < left <= dt.timedelta(hours=19)


def test_48_hour_disease_raises_no_immediate_alert(station_user, tree):
    case = anonymous_case(station_user, tree, disease="ho_ga")
    assert not Alert.objects.filter(case=case).exists()
    assert case.deadline_hours == 48


def test_case_entered_after_its_deadline_is_late(station_user, tree):
    diagnosed = timezone.now() - dt.timedelta(hours=30)
    late = anonymous_case(station_user, tree, diagnosed_at=diagnosed)  # measles: 24 h
    in_time = anonymous_case(station_user, tree, disease="ho_ga", diagnosed_at=diagnosed)  # pertussis: 48 h
    assert late.is_late is True
    assert in_time.is_late is False


def test_weekly_count_follows_case_create_update_and_delete(station_user, tree):
    onset = TODAY - dt.timedelta(days=10)
    case = anonymous_case(station_user, tree, onset_date=onset)
    anonymous_case(station_user, tree, onset_date=onset)
    cell = WeeklyCount.objects.get(unit=tree.commune, disease__code="soi", week_start=week_start(onset))
    assert (cell.case_reports, cell.count) == (2, 2)

    context = AuditContext(actor=station_user)
    services.case_report_update(case, CaseFollowUp(classification=Classification.DISCARDED), context=context)
    cell.refresh_from_db()
    assert cell.count == 1

    earlier = onset - dt.timedelta(days=14)
    other = CaseReport.objects.exclude(pk=case.pk).get()
    services.case_report_update(other, CaseFollowUp(onset_date=earlier), context=context)
    assert not WeeklyCount.objects.filter(week_start=week_start(onset)).exists()
    assert WeeklyCount.objects.get(week_start=week_start(earlier)).count == 1

    with pytest.raises(DomainError) as exc:
        services.case_report_delete(other, reason=" ", context=context)
    assert refusal(exc)["reason"][0] == "required"
    services.case_report_delete(other, reason="nhập trùng", context=context)
    assert not WeeklyCount.objects.exists()
    assert AuditEvent.objects.filter(action="delete", resource_type="surveillance.CaseReport").count() == 1


def test_zero_report_is_data_and_counts_toward_completeness(station_user, tree):
    week = week_start(TODAY) - dt.timedelta(weeks=1)
    report = submit_weekly(station_user, week, submitted_at=services.report_due_at(week) - dt.timedelta(hours=1))
    assert report.lines.count() == 0 and report.on_time is True
    from ytcs.surveillance.completeness import reporting_completeness

    rows = reporting_completeness(actor=station_user, unit=tree.commune, first_week=week - dt.timedelta(weeks=3),
                                  last_week=week)
    row = next(r for r in rows if r.unit == tree.commune)
    assert (row.expected, row.received, row.on_time) == (4, 1, 1)


def test_weekly_report_lines_feed_the_weekly_count_and_a_correction_replaces_them(station_user, tree):
    week = week_start(TODAY) - dt.timedelta(weeks=1)
    due = services.report_due_at(week)
    submit_weekly(station_user, week, {"cum": (7, 0), "thuy_dau": (2, 0)}, submitted_at=due - dt.timedelta(days=1))
    late = due + dt.timedelta(days=1)
    submit_weekly(station_user, week, {"cum": (5, 0)}, submitted_at=late)
    report = WeeklyReport.objects.get()
    assert report.on_time is True  # the first submission decides timeliness
    counts = dict(WeeklyCount.objects.values_list("disease__code", "count"))
    assert counts == {"cum": 5}


def test_weekly_report_refuses_a_future_week_and_an_unknown_disease(station_user, tree):
    with pytest.raises(DomainError) as exc:
        submit_weekly(station_user, week_start(TODAY) + dt.timedelta(weeks=1), {"khong_co": (1, 0), "cum": (-1, 0)})
    assert {field: code for field, (code, _message) in refusal(exc).items()} == {
        "week": "in_future", "lines.0.disease": "unknown_code", "lines.1.cases": "out_of_range"}


def test_weekly_count_takes_the_larger_of_cases_and_the_weekly_figure(station_user, tree):
    onset = TODAY - dt.timedelta(days=8)
    week = week_start(onset)
    anonymous_case(station_user, tree, disease="sot_xuat_huyet", onset_date=onset)
    submit_weekly(station_user, week, {"sot_xuat_huyet": (3, 0)})
    cell = WeeklyCount.objects.get(disease__code="sot_xuat_huyet")
    assert (cell.case_reports, cell.aggregate_cases, cell.count) == (1, 3, 3)


def test_rebuild_gives_the_same_cells_as_incremental_maintenance(station_user, tree):
    from ytcs.surveillance.counts import rebuild_weekly_counts

    onset = TODAY - dt.timedelta(days=8)
    anonymous_case(station_user, tree, disease="sot_xuat_huyet", onset_date=onset)
    anonymous_case(station_user, tree, disease="sot_xuat_huyet", onset_date=onset, classification="discarded")
    anonymous_case(station_user, tree, onset_date=onset - dt.timedelta(days=7))
    submit_weekly(station_user, week_start(onset), {"sot_xuat_huyet": (3, 0), "cum": (0, 0)})
    fields = ("unit_id", "disease_id", "week_start", "case_reports", "aggregate_cases", "count")
    incremental = sorted(WeeklyCount.objects.values_list(*fields))
    assert rebuild_weekly_counts() == 3
    assert sorted(WeeklyCount.objects.values_list(*fields)) == incremental
    assert rebuild_weekly_counts(unit_ids=[tree.commune.pk]) == 3
    assert sorted(WeeklyCount.objects.values_list(*fields)) == incremental
