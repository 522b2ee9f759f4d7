"""The refusal rule on every surveillance write and record page (docs/architecture.md, "Refusals").

404 for a unit, resident or record outside what the user can see; 403 for one they can see but may not act
on; each refusal of something that exists is audited as ``denied`` (naming the resident when there is one).
A village health worker once filed a measles case into a village of another commune, and raised an alert
there: every org unit and resident a report names is now checked against the capture scope.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ytcs.accounts.models import Role
from ytcs.audit.models import AuditEvent
from ytcs.orgunits.models import OrgUnit
from ytcs.surveillance.models import Alert, CaseReport, WeeklyReport
from ytcs.surveillance.tests.factories import ResidentFactory, UserFactory, at, make_unit, report_case
from ytcs.surveillance.weeks import last_complete_week

API = "/api/surveillance"
TODAY = timezone.localdate()
LAST_WEEK = last_complete_week(TODAY)


@pytest.fixture
def village_a2(tree):
    """A village of Xã A2, the other commune of the same province."""
    return make_unit("Thôn A2a", OrgUnit.Level.VILLAGE, tree.commune2)


@pytest.fixture
def vhw(tree):
    return UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=tree.village)


def post_case(client, **fields):
    body = {"disease": "soi", "age_years": 2, "sex": "M", "onset_date": (TODAY - dt.timedelta(days=2)).isoformat(),
            "diagnosed_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(), **fields}
    return client.post(f"{API}/cases", body, content_type="application/json")


def denied_rows():
    return AuditEvent.objects.filter(action="denied", outcome="denied")


def test_a_village_health_worker_reports_only_into_their_own_village(client, vhw, tree, village_a2):
    client.force_login(vhw)
    for village in (village_a2, tree.other_village, tree.village2):  # another commune, province; a neighbour
        response = post_case(client, village_id=village.pk)
        assert response.status_code == 404, village.name
        assert response.json()["errors"][0]["code"] == "not_found"
    assert not CaseReport.objects.exists() and not Alert.objects.exists()
    assert [e.changes for e in denied_rows().order_by("pk")] == [
        {"village": v.pk} for v in (village_a2, tree.other_village, tree.village2)]
    own = post_case(client, village_id=tree.village.pk)
    assert own.status_code == 201 and own.json()["village_id"] == tree.village.pk


def test_a_station_nurse_reports_only_into_their_own_commune(client, station_user, tree, village_a2):
    client.force_login(station_user)
    assert post_case(client, village_id=village_a2.pk).status_code == 404
    assert post_case(client, commune_id=tree.commune2.pk).status_code == 404
    assert post_case(client, village_id=tree.other_village.pk).status_code == 404
    assert post_case(client, village_id=10**30).status_code == 404  # no such unit: the same answer, no overflow
    assert not CaseReport.objects.exists() and not Alert.objects.exists()
    assert post_case(client, village_id=tree.village2.pk).status_code == 201


def test_a_resident_of_another_commune_is_404_and_the_attempt_names_them(client, station_user, vhw, tree):
    neighbour = ResidentFactory(commune=tree.commune2)
    next_village = ResidentFactory(commune=tree.commune, village=tree.village2)
    client.force_login(station_user)
    assert post_case(client, resident_id=neighbour.pk).status_code == 404
    client.force_login(vhw)
    assert post_case(client, resident_id=next_village.pk).status_code == 404
    named = [list(e.subjects.values_list("resident_id", flat=True)) for e in denied_rows().order_by("pk")]
    assert named == [[neighbour.pk], [next_village.pk]]
    assert not CaseReport.objects.exists()


def test_a_provincial_viewer_sees_the_commune_but_may_not_report_into_it(client, tree, village_a2):
    viewer = UserFactory(role=Role.PROVINCIAL, org_unit=tree.province, may_open_records=True)
    resident = ResidentFactory(commune=tree.commune, village=tree.village)
    client.force_login(viewer)
    refused = post_case(client, village_id=village_a2.pk)
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "forbidden"
    assert post_case(client, resident_id=resident.pk).status_code == 403
    assert post_case(client, village_id=tree.other_village.pk).status_code == 404  # outside: 404 comes first
    assert post_case(client).status_code == 403  # no place named: their own unit, which they may not report for
    rows = list(denied_rows().order_by("pk"))
    assert len(rows) == 4 and list(rows[1].subjects.values_list("resident_id", flat=True)) == [resident.pk]
    assert not CaseReport.objects.exists()


def test_the_case_form_offers_only_the_villages_of_the_capture_scope(client, station_user, vhw, tree, village_a2):
    url = reverse("surveillance:case_create")
    client.force_login(vhw)
    assert list(client.get(url).context["form"].fields["village"].queryset) == [tree.village]
    form = {"disease": "soi", "age_years": 5, "sex": "M", "classification": "suspected", "lab_result": "not_tested",
            "outcome": "under_treatment", "diagnosed_at": (timezone.localtime() - dt.timedelta(hours=2))
            .strftime("%Y-%m-%dT%H:%M")}
    refused = client.post(url, {**form, "village": village_a2.pk})
    assert refused.status_code == 200 and "village" in refused.context["form"].errors
    stranger = ResidentFactory(commune=tree.commune2)
    assert client.post(url, {**form, "resident": stranger.pk}).status_code == 404
    assert not CaseReport.objects.exists()
    client.force_login(station_user)
    assert set(client.get(url).context["form"].fields["village"].queryset) == {tree.village, tree.village2}
    client.force_login(UserFactory(role=Role.PROVINCIAL, org_unit=tree.province))
    assert client.get(url).status_code == 403
    assert client.post(url, {**form, "village": tree.village.pk}).status_code == 403


def test_the_weekly_report_goes_only_to_a_unit_of_the_capture_scope(client, station_user, tree):
    iso = LAST_WEEK.isocalendar()

    def submit(unit):
        return client.post(f"{API}/weekly-reports", {"iso_year": iso.year, "iso_week": iso.week, "unit_id": unit.pk},
                           content_type="application/json")

    client.force_login(station_user)
    assert submit(tree.commune2).status_code == 404  # another commune
    assert submit(tree.other_commune).status_code == 404
    assert submit(tree.commune).status_code == 201
    old_village = make_unit("Thôn cũ", OrgUnit.Level.VILLAGE, tree.commune)
    OrgUnit.objects.filter(pk=old_village.pk).update(valid_to=dt.date(2025, 7, 1))
    gone = submit(old_village)
    assert gone.status_code == 422 and gone.json()["errors"][0]["field"] == "unit_id"
    client.force_login(UserFactory(role=Role.PROVINCIAL, org_unit=tree.province))
    assert submit(tree.commune2).status_code == 403
    assert submit(tree.other_commune).status_code == 404
    assert client.get(reverse("surveillance:weekly_report"), {"unit": tree.commune2.pk}).status_code == 403
    assert client.get(reverse("surveillance:weekly_report"), {"unit": tree.other_commune.pk}).status_code == 404
    assert client.get(reverse("surveillance:weekly_report")).status_code == 403  # their own unit: no capture
    assert list(WeeklyReport.objects.values_list("unit", flat=True)) == [tree.commune.pk]
    refusals = denied_rows().filter(resource_type="surveillance.WeeklyReport").order_by("pk")
    assert [e.changes["unit"] for e in refusals] == [
        tree.commune2.pk, tree.other_commune.pk, tree.commune2.pk, tree.other_commune.pk, tree.commune2.pk,
        tree.other_commune.pk, tree.province.pk]


def test_a_case_page_refuses_outside_the_area_and_follow_up_outside_the_station(
        client, station_user, province_user, other_province_user, tree):
    resident = ResidentFactory(commune=tree.commune, village=tree.village)
    case = report_case(station_user, resident=resident, disease="ho_ga", onset_date=LAST_WEEK,
                       diagnosed_at=at(LAST_WEEK + dt.timedelta(days=1)))
    url = reverse("surveillance:case_detail", args=[case.pk])
    client.force_login(other_province_user)
    assert client.get(url).status_code == 404
    client.force_login(province_user)
    assert client.get(url).status_code == 200
    assert client.post(url, {"classification": "confirmed", "lab_result": "positive", "outcome": "recovered"}
                       ).status_code == 403
    refusals = list(denied_rows().filter(resource_type="surveillance.CaseReport").order_by("pk"))
    assert [e.actor for e in refusals] == [other_province_user, province_user]
    assert all(list(e.subjects.values_list("resident_id", flat=True)) == [resident.pk] for e in refusals)
    case.refresh_from_db()
    assert case.classification == "suspected"
    client.force_login(station_user)
    assert client.get(reverse("surveillance:case_detail", args=[10**30])).status_code == 404


def test_only_the_province_acknowledges_an_alert(client, station_user, province_user, other_province_user, vhw,
                                                tree):
    case = report_case(station_user, disease="soi", village=tree.village, age_years=3, sex="F",
                       diagnosed_at=timezone.now() - dt.timedelta(hours=2))
    url = reverse("surveillance:alert_acknowledge", args=[case.alert.pk])
    client.force_login(vhw)  # the case lives in their village
    assert list(client.get(reverse("surveillance:alert_list")).context["alerts"]) == [case.alert]
    client.force_login(other_province_user)
    assert client.post(url).status_code == 404
    client.force_login(station_user)  # their commune's alert: listed for them, acknowledged by the province
    assert list(client.get(reverse("surveillance:alert_list")).context["alerts"]) == [case.alert]
    assert client.post(url).status_code == 403
    assert denied_rows().filter(resource_type="surveillance.Alert").count() == 2
    client.force_login(province_user)
    assert client.post(url).status_code == 302
    case.alert.refresh_from_db()
    assert case.alert.acknowledged_by == province_user

