import datetime as dt

import pytest
from django.utils import timezone

from ytcs.accounts.models import Role
from ytcs.audit.models import AuditEvent
from ytcs.orgunits.tests.factories import abolished_unit
from ytcs.surveillance.models import CaseReport, Signal
from ytcs.surveillance.tests.factories import ResidentFactory, UserFactory
from ytcs.surveillance.weeks import last_complete_week

TODAY = timezone.localdate()
LAST_WEEK = last_complete_week(TODAY)
API = "/api/surveillance"


def case_payload(tree, **kw):
    return {"disease": "soi", "village_id": tree.village.pk, "age_years": 2, "sex": "M",
            "onset_date": (TODAY - dt.timedelta(days=2)).isoformat(),
            "diagnosed_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(), **kw}


def test_diseases_list_gives_the_group_on_a_day(client, station_user):
    client.force_login(station_user)
    before = {d["code"]: d for d in client.get(f"{API}/diseases", {"on": "2023-10-19"}).json()}
    after = {d["code"]: d for d in client.get(f"{API}/diseases", {"on": "2023-10-20"}).json()}
    assert (before["covid19"]["group"], after["covid19"]["group"]) == ("A", "B")
    assert before["nipah"]["group"] is None
    assert after["soi"]["report_deadline_hours"] == 24


def test_case_create_returns_201_and_structured_422(client, station_user, tree):
    client.force_login(station_user)
    created = client.post(f"{API}/cases", case_payload(tree), content_type="application/json")
    assert created.status_code == 201 and created.json()["disease"] == "soi"
    bad = client.post(f"{API}/cases", case_payload(tree, disease="xyz", onset_date=(TODAY + dt.timedelta(days=1))
                                                   .isoformat()), content_type="application/json")
    assert bad.status_code == 422
    assert {(e["field"], e["code"]) for e in bad.json()["errors"]} == {
        ("disease", "unknown_code"), ("onset_date", "in_future")}
    assert CaseReport.objects.count() == 1


def test_case_input_errors_have_the_one_body_with_codes(client, station_user, tree):
    client.force_login(station_user)
    typed = client.post(f"{API}/cases", case_payload(tree, age_years="two"), content_type="application/json")
    assert typed.status_code == 422 and typed.json()["errors"][0]["field"] == "age_years"
    anonymous = client.post(f"{API}/cases", {**case_payload(tree, sex=""), "village_id": None},
                            content_type="application/json")
    assert anonymous.status_code == 422
    assert {(e["field"], e["code"]) for e in anonymous.json()["errors"]} == {
        ("village_id", "required"), ("sex", "required")}
    late = client.post(f"{API}/cases", case_payload(tree, onset_date=TODAY.isoformat(),
                                                    reported_at=(timezone.now() - dt.timedelta(days=2)).isoformat(),
                                                    diagnosed_at=(timezone.now() - dt.timedelta(days=3)).isoformat()),
                       content_type="application/json")
    assert late.status_code == 422 and late.json()["errors"][0]["code"] == "onset_after_report"
    assert not CaseReport.objects.exists()


def test_case_date_times_without_offset_are_vietnam_time(client, station_user, tree):
    """A naive date-time was a 500 (naive compared with aware); it is the wall clock in Vietnam (UTC+7)."""
    client.force_login(station_user)
    created = client.post(f"{API}/cases", case_payload(tree, onset_date=None, diagnosed_at="2025-01-01T00:00:00"),
                          content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["diagnosed_at"] == "2025-01-01T00:00:00+07:00"
    an_hour_ago = timezone.localtime() - dt.timedelta(hours=1)  # read as UTC it would be 6 hours ahead
    both = client.post(f"{API}/cases", case_payload(
        tree, diagnosed_at=an_hour_ago.replace(tzinfo=None, microsecond=0).isoformat(),
        reported_at=(an_hour_ago + dt.timedelta(minutes=30)).replace(tzinfo=None, microsecond=0).isoformat()),
        content_type="application/json")
    assert both.status_code == 201, both.content
    case = CaseReport.objects.get(pk=both.json()["id"])
    assert case.diagnosed_at == an_hour_ago.replace(microsecond=0)
    assert case.reported_at - case.diagnosed_at == dt.timedelta(minutes=30)


def test_case_date_times_with_an_offset_keep_it(client, station_user, tree):
    client.force_login(station_user)
    utc = (timezone.now() - dt.timedelta(hours=3)).replace(microsecond=0, tzinfo=dt.UTC)
    created = client.post(f"{API}/cases", case_payload(tree, diagnosed_at=utc.isoformat(),
                                                       reported_at=(utc + dt.timedelta(hours=1)).isoformat()),
                          content_type="application/json")
    assert created.status_code == 201, created.content
    case = CaseReport.objects.get(pk=created.json()["id"])
    assert (case.diagnosed_at, case.reported_at) == (utc, utc + dt.timedelta(hours=1))


def test_case_for_a_resident_outside_scope_is_404(client, station_user, tree):
    stranger = ResidentFactory(commune=tree.other_commune)
    client.force_login(station_user)
    response = client.post(f"{API}/cases", case_payload(tree, resident_id=stranger.pk),
                           content_type="application/json")
    assert response.status_code == 404 and response.json()["errors"][0]["code"] == "not_found"
    denied = AuditEvent.objects.get(action="denied")
    assert list(denied.subjects.values_list("resident_id", flat=True)) == [stranger.pk]
    assert not CaseReport.objects.exists()


def test_case_list_is_scoped_and_audited(client, station_user, other_province_user, tree):
    resident = ResidentFactory(commune=tree.commune, village=tree.village)
    client.force_login(station_user)
    client.post(f"{API}/cases", case_payload(tree, resident_id=resident.pk), content_type="application/json")
    rows = client.get(f"{API}/cases").json()
    assert [r["name"] for r in rows] == [resident.full_name]
    event = AuditEvent.objects.filter(action="list").latest("pk")
    assert list(event.subjects.values_list("resident_id", flat=True)) == [resident.pk]
    client.force_login(other_province_user)
    assert client.get(f"{API}/cases").json() == []


def test_weekly_report_and_weekly_counts(client, station_user, province_user, tree):
    client.force_login(station_user)
    iso = LAST_WEEK.isocalendar()
    ok = client.post(f"{API}/weekly-reports", {"iso_year": iso.year, "iso_week": iso.week,
                                                "lines": [{"disease": "cum", "cases": 4}]},
                     content_type="application/json")
    assert ok.status_code == 201 and ok.json()["lines"] == 1
    zero = client.post(f"{API}/weekly-reports", {"iso_year": 2021, "iso_week": 53}, content_type="application/json")
    assert zero.status_code == 422 and zero.json()["errors"] == [
        {"field": "iso_week", "code": "invalid", "message": "Tuần ISO không tồn tại."}]
    twice = client.post(f"{API}/weekly-reports", {"iso_year": iso.year, "iso_week": iso.week, "lines": [
        {"disease": "cum", "cases": 1}, {"disease": "cum", "cases": 2}]}, content_type="application/json")
    assert twice.status_code == 422 and twice.json()["errors"][0] == {
        "field": "lines.1.disease", "code": "duplicate", "message": "Bệnh này đã có một dòng."}
    client.force_login(province_user)
    counts = client.get(f"{API}/weekly-counts", {"unit_id": tree.province.pk, "disease": "cum", "weeks": 4}).json()
    assert counts[-1] == {"week_start": LAST_WEEK.isoformat(), "count": 4}
    assert client.get(f"{API}/weekly-counts", {"unit_id": tree.other_province.pk}).status_code == 404


@pytest.fixture
def signal(tree):
    from ytcs.surveillance.models import Disease

    return Signal.objects.create(unit=tree.commune, disease=Disease.objects.get(code="soi"), week_start=LAST_WEEK,
                                 method="farrington", count=6, expected=0.2, upperbound=1.5)


def test_signal_list_and_review(client, province_user, other_province_user, station_user, signal):
    client.force_login(province_user)
    assert [s["id"] for s in client.get(f"{API}/signals", {"status": "new"}).json()] == [signal.pk]
    reviewed = client.post(f"{API}/signals/{signal.pk}/review", {"to_status": "investigating"},
                           content_type="application/json")
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "investigating"
    wrong = client.post(f"{API}/signals/{signal.pk}/review", {"to_status": "new"}, content_type="application/json")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "to_status"
    assert wrong.json()["errors"][0]["code"] == "invalid_transition"
    client.force_login(other_province_user)
    assert client.post(f"{API}/signals/{signal.pk}/review", {"to_status": "false_alarm", "note": "x"},
                       content_type="application/json").status_code == 404
    assert client.get(f"{API}/signals").json() == []
    client.force_login(station_user)  # their commune's signal: they see it; reviewing is the province's
    assert [s["id"] for s in client.get(f"{API}/signals").json()] == [signal.pk]
    refused = client.post(f"{API}/signals/{signal.pk}/review", {"to_status": "false_alarm", "note": "x"},
                          content_type="application/json")
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "forbidden"
    assert AuditEvent.objects.filter(action="denied", resource_type="surveillance.Signal").count() == 2


def test_a_merged_commune_user_reports_for_the_commune_it_became(client, tree):
    client.force_login(UserFactory(role=Role.STATION_STAFF, org_unit=abolished_unit({tree.commune: 1.0},
                                                                                    name="Phường Sông Hiến")))
    iso = LAST_WEEK.isocalendar()
    weekly = client.post(f"{API}/weekly-reports", {"iso_year": iso.year, "iso_week": iso.week},
                         content_type="application/json")
    assert weekly.status_code == 201 and weekly.json()["unit_id"] == tree.commune.pk
    case = client.post(f"{API}/cases", case_payload(tree), content_type="application/json")
    assert case.status_code == 201, case.content
    assert CaseReport.objects.get().reporting_unit == tree.commune
    assert client.get(f"{API}/weekly-counts").status_code == 200


def test_a_nul_character_in_the_api_is_refused_as_input(client, province_user, station_user, tree):
    client.force_login(province_user)
    assert client.get(f"{API}/signals", {"status": "new\x00"}).status_code == 422
    assert client.get(f"{API}/cases", {"disease": "soi\x00"}).status_code == 422
    client.force_login(station_user)
    refused = client.post(f"{API}/cases", case_payload(tree, notes="a\x00b"), content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "notes"
    iso = LAST_WEEK.isocalendar()
    weekly = client.post(f"{API}/weekly-reports", {"iso_year": iso.year, "iso_week": iso.week,
                                                   "lines": [{"disease": "cum\x00", "cases": 1}]},
                         content_type="application/json")
    assert weekly.status_code == 422 and weekly.json()["errors"][0]["field"] == "lines.0.disease"


def test_numbers_past_what_the_database_holds_are_no_server_error(client, province_user, station_user, tree):
    """An id or offset past 64 bits overflowed the database (a 500); it is an empty page or a 404."""
    huge = 10**30
    client.force_login(province_user)
    assert client.get(f"{API}/cases", {"offset": huge}).json() == []
    assert client.get(f"{API}/signals", {"offset": huge, "unit_id": huge}).status_code == 404
    assert client.post(f"{API}/signals/{huge}/review", {"to_status": "investigating"},
                       content_type="application/json").status_code == 404
    client.force_login(station_user)
    assert client.post(f"{API}/cases", case_payload(tree, resident_id=huge),
                       content_type="application/json").status_code == 404
    big_count = client.post(f"{API}/weekly-reports", {"iso_year": 2025, "iso_week": 2,
                                                      "lines": [{"disease": "cum", "cases": huge}]},
                            content_type="application/json")
    assert big_count.status_code == 422 and big_count.json()["errors"][0]["code"] == "out_of_range"
    assert client.post(f"{API}/weekly-reports", {"iso_year": huge, "iso_week": 1},
                       content_type="application/json").status_code == 422
