import datetime as dt
import re
from urllib.parse import quote

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from ytcs.accounts.models import Role
from ytcs.audit.models import AuditEvent
from ytcs.orgunits.tests.factories import abolished_unit
from ytcs.surveillance import services
from ytcs.surveillance.context_processors import alerts
from ytcs.surveillance.models import CaseReport, Signal, SignalReview, WeeklyReport
from ytcs.surveillance.tests.factories import ResidentFactory, UserFactory, at, report_case, submit_weekly
from ytcs.surveillance.weeks import last_complete_week

TODAY = timezone.localdate()
LAST_WEEK = last_complete_week(TODAY)


def make_case(user, tree, **kw):
    args = {"disease": "soi", "village": tree.village, "age_years": 4, "sex": "F",
            "onset_date": LAST_WEEK, "diagnosed_at": at(LAST_WEEK + dt.timedelta(days=1))}
    return report_case(user, **{**args, **kw})


@pytest.fixture
def signal(tree, station_user):
    case = make_case(station_user, tree)
    sig = Signal.objects.create(unit=tree.commune, disease=case.disease, week_start=LAST_WEEK, method="farrington",
                                count=1, expected=0.1, upperbound=0.5)
    sig.cases.add(case)
    return sig


def test_case_form_reports_a_case_and_refuses_onset_after_report(client, station_user, tree):
    client.force_login(station_user)
    url = reverse("surveillance:case_create")
    assert client.get(url).status_code == 200
    form = {"disease": "soi", "village": tree.village.pk, "age_years": 5, "sex": "M", "classification": "suspected",
            "lab_result": "not_tested", "outcome": "under_treatment",
            "diagnosed_at": (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")}
    bad = client.post(url, {**form, "onset_date": (TODAY + dt.timedelta(days=1)).isoformat()})
    assert bad.status_code == 200 and "tương lai" in bad.content.decode()
    assert not CaseReport.objects.exists()
    good = client.post(url, {**form, "onset_date": (TODAY - dt.timedelta(days=2)).isoformat()})
    case = CaseReport.objects.get()
    assert good.status_code == 302 and good.url == reverse("surveillance:case_detail", args=[case.pk])


def test_line_list_is_scoped_and_audited_with_linked_residents(client, station_user, province_user,
                                                              other_province_user, tree):
    resident = ResidentFactory(commune=tree.commune, village=tree.village)
    make_case(station_user, tree, resident=resident, village=None, age_years=None, sex="")
    make_case(station_user, tree)
    client.force_login(station_user)
    page = client.get(reverse("surveillance:case_list")).content.decode()
    assert resident.full_name in page and "Không định danh" in page
    event = AuditEvent.objects.filter(action="list", resource_type="surveillance.CaseReport").latest("pk")
    assert list(event.subjects.values_list("resident_id", flat=True)) == [resident.pk]

    client.force_login(province_user)  # sees the cases, not the name (no search scope by default)
    page = client.get(reverse("surveillance:case_list")).content.decode()
    assert resident.full_name not in page and "#" in page
    client.force_login(other_province_user)
    assert "Không có ca bệnh nào" in client.get(reverse("surveillance:case_list")).content.decode()
    assert client.get(reverse("surveillance:case_detail", args=[CaseReport.objects.first().pk])).status_code == 404


def test_weekly_report_grid_and_explicit_zero_report(client, station_user):
    client.force_login(station_user)
    url = reverse("surveillance:weekly_report")
    assert client.get(url).status_code == 200
    client.post(f"{url}?week={LAST_WEEK.isoformat()}", {"no_cases": "1", "cases_cum": "3"})
    report = WeeklyReport.objects.get(week_start=LAST_WEEK)
    assert report.lines.count() == 0
    previous = LAST_WEEK - dt.timedelta(weeks=1)
    client.post(f"{url}?week={previous.isoformat()}", {"cases_cum": "3", "deaths_cum": ""})
    assert WeeklyReport.objects.get(week_start=previous).lines.get().cases == 3
    bad = client.post(f"{url}?week={previous.isoformat()}", {"cases_cum": "ba"})
    assert "số nguyên" in bad.content.decode()
    negative = client.post(f"{url}?week={previous.isoformat()}", {"cases_cum": "-2"})
    assert negative.status_code == 200 and "phải từ 0 đến" in negative.content.decode()  # the service's message
    assert WeeklyReport.objects.get(week_start=previous).lines.get().cases == 3


def test_province_user_sees_the_alert_banner_count_and_time_left(client, rf, station_user, province_user, tree):
    make_case(station_user, tree, diagnosed_at=timezone.now() - dt.timedelta(hours=2))
    request = rf.get("/")
    request.user = province_user
    assert alerts(request) == {"surveillance_open_alerts": 1}
    request.user = station_user
    assert alerts(request) == {}
    client.force_login(province_user)
    page = client.get(reverse("surveillance:alert_list")).content.decode()
    assert "21" in page and "giờ" in page  # about 21 hours left
    alert_pk = CaseReport.objects.get().alert.pk
    client.post(reverse("surveillance:alert_acknowledge", args=[alert_pk]))
    request.user = province_user
    assert alerts(request) == {"surveillance_open_alerts": 0}


def test_signal_review_page_moves_the_signal_and_shows_it_on_the_curve(client, province_user, signal):
    client.force_login(province_user)
    url = reverse("surveillance:signal_detail", args=[signal.pk])
    page = client.get(url).content.decode()
    assert 'data-highlight="1"' in page and 'data-signal="1"' in page
    response = client.post(url, {"to_status": "investigating", "note": "Cử đội điều tra"})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == "investigating"
    review = SignalReview.objects.get()
    assert (review.from_status, review.to_status, review.by, review.note) == (
        "new", "investigating", province_user, "Cử đội điều tra")
    refused = client.post(url, {"to_status": "new"})
    assert "Không chuyển được" in refused.content.decode()
    confirm = client.post(url, {"to_status": "confirmed", "note": ""})
    assert "Cần ghi nhận xét" in confirm.content.decode()


def test_signals_outside_scope_are_404_and_station_staff_see_but_cannot_review(
        client, station_user, other_province_user, signal):
    url = reverse("surveillance:signal_detail", args=[signal.pk])
    client.force_login(other_province_user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"to_status": "investigating"}).status_code == 404
    refused = AuditEvent.objects.filter(action="denied", resource_type="surveillance.Signal")
    assert refused.count() == 2 and refused.first().resource_id == str(signal.pk)
    client.force_login(station_user)  # the signal of their own commune: they see it, the province reviews it
    page = client.get(url)
    assert page.status_code == 200 and "Xử lý tín hiệu" not in page.content.decode()
    assert client.post(url, {"to_status": "investigating"}).status_code == 403
    assert client.get(reverse("surveillance:signal_list")).context["page"].object_list[0] == signal
    signal.refresh_from_db()
    assert signal.status == "new" and refused.count() == 3


def test_signal_review_by_a_national_viewer_is_not_allowed(province_user, signal, tree):
    from ytcs.accounts.models import Role
    from ytcs.audit.context import AuditContext
    from ytcs.core.errors import NotAllowed
    from ytcs.surveillance.tests.factories import UserFactory

    viewer = UserFactory(role=Role.NATIONAL_VIEWER, org_unit=tree.country)
    with pytest.raises(NotAllowed):
        services.signal_review(signal, to_status="investigating", context=AuditContext(actor=viewer))


def test_epidemic_curves_by_week_and_onset_with_filters(client, station_user, province_user, tree):
    make_case(station_user, tree, age_years=30, sex="M")
    make_case(station_user, tree, age_years=3, sex="F")
    client.force_login(province_user)
    url = reverse("surveillance:curve")
    weekly = client.get(url, {"disease": "soi", "unit": tree.province.pk}).content.decode()
    assert "tổng 2" in weekly
    filtered = client.get(url, {"disease": "soi", "unit": tree.province.pk, "age_group": "0-4"}).content.decode()
    assert "tổng 1" in filtered
    onset = client.get(url, {"disease": "soi", "unit": tree.province.pk, "by": "onset", "sex": "M"}).content.decode()
    assert "tổng 1" in onset
    assert client.get(url, {"unit": tree.other_province.pk}).status_code == 200  # invalid choice: falls back
    assert "Tỉnh B" not in client.get(url, {"unit": tree.other_province.pk}).content.decode()


def test_completeness_page_counts_reports_per_station(client, station_user, province_user, tree):
    submit_weekly(station_user, LAST_WEEK)
    client.force_login(province_user)
    page = client.get(reverse("surveillance:completeness"), {"unit": tree.province.pk, "weeks": 4})
    rows = {r.unit.name: r for r in page.context["rows"]}
    assert (rows["Xã A1"].received, rows["Xã A2"].received, rows["Xã A1"].expected) == (1, 0, 4)


def test_a_merged_commune_user_works_on_the_commune_it_became(client, tree):
    old = abolished_unit({tree.commune: 1.0}, name="Phường Sông Hiến")
    user = UserFactory(role=Role.STATION_STAFF, org_unit=old)
    client.force_login(user)
    for name in ("curve", "completeness"):
        page = client.get(reverse(f"surveillance:{name}"))
        assert page.status_code == 200 and page.context["unit"] == tree.commune
    assert client.get(reverse("surveillance:case_create")).status_code == 200
    case = make_case(user, tree)
    assert case.reporting_unit == tree.commune
    url = reverse("surveillance:weekly_report")
    page = client.get(url).content.decode()
    assert "Xã A1" in page and "Phường Sông Hiến" not in page.split("<main", 1)[1]
    assert client.post(f"{url}?week={LAST_WEEK.isoformat()}", {"no_cases": "1"}).status_code == 302
    assert WeeklyReport.objects.get().unit == tree.commune


def test_a_split_commune_user_picks_the_station_for_the_weekly_report(client, tree):
    split = abolished_unit({tree.commune2: 0.3, tree.commune: 0.7}, name="Xã Chia Đôi")
    client.force_login(UserFactory(role=Role.STATION_HEAD, org_unit=split))
    url = reverse("surveillance:weekly_report")
    page = client.get(url).content.decode()
    assert f"?week={LAST_WEEK.isoformat()}&amp;unit={tree.commune2.pk}" in page
    chosen = f"{url}?week={LAST_WEEK.isoformat()}&unit={tree.commune2.pk}"
    response = client.post(chosen, {"cases_cum": "2"})
    assert response.status_code == 302 and response.url.endswith(f"&unit={tree.commune2.pk}")
    assert WeeklyReport.objects.get().unit == tree.commune2
    assert client.get(f"{url}?unit={tree.other_commune.pk}").status_code == 404


@pytest.fixture
def national_user(tree):
    from ytcs.accounts.models import Role
    from ytcs.surveillance.tests.factories import UserFactory

    return UserFactory(role=Role.NATIONAL_VIEWER, org_unit=tree.country)


def test_national_completeness_is_grouped_by_province(client, station_user, national_user, tree):
    submit_weekly(station_user, LAST_WEEK)
    client.force_login(national_user)
    page = client.get(reverse("surveillance:completeness"), {"weeks": 4})
    rows = [(r.unit.name, r.stations, r.expected, r.received) for r in page.context["rows"]]
    assert rows == [("Tỉnh A", 2, 8, 1), ("Tỉnh B", 1, 4, 0)]
    body = page.content.decode()
    assert "Xã A1" not in body and "Xã B1" not in body
    assert f'href="?province={quote(tree.province.code)}&amp;weeks=4"' in body


def test_a_province_drills_down_to_its_stations_with_a_way_back(client, station_user, national_user, tree):
    submit_weekly(station_user, LAST_WEEK)
    client.force_login(national_user)
    page = client.get(reverse("surveillance:completeness"), {"province": tree.province.code, "weeks": 4})
    assert [(r.unit.name, r.received) for r in page.context["rows"]] == [("Xã A1", 1), ("Xã A2", 0)]
    body = page.content.decode()
    assert "Xã B1" not in body
    assert f'<a href="?unit={tree.country.pk}&amp;weeks=4">Việt Nam</a> › Tỉnh A</nav>' in body
    assert f'<option value="{tree.province.code}" selected>' in body


def test_stations_are_found_by_name_across_provinces_and_paged(client, national_user, tree, monkeypatch):
    from ytcs.surveillance import completeness

    client.force_login(national_user)
    url = reverse("surveillance:completeness")
    found = client.get(url, {"q": "b1"})
    assert [r.unit.name for r in found.context["rows"]] == ["Xã B1"]
    assert "· Tỉnh B" in found.content.decode()  # the province, since the list spans the country
    monkeypatch.setattr(completeness, "COMPLETENESS_PAGE_SIZE", 1)
    second = client.get(url, {"province": tree.province.code, "q": "A", "page": 2})
    assert [r.unit.name for r in second.context["rows"]] == ["Xã A2"]
    assert "q=A&amp;page=1" in second.content.decode()  # the pager keeps the filter


def test_the_province_users_completeness_page_lists_its_stations_and_can_filter_them(client, province_user, tree):
    client.force_login(province_user)
    url = reverse("surveillance:completeness")
    page = client.get(url)
    assert [r.unit.name for r in page.context["rows"]] == ["Xã A1", "Xã A2"]
    assert 'name="province"' not in page.content.decode()
    assert [r.unit.name for r in client.get(url, {"q": "A2"}).context["rows"]] == ["Xã A2"]
    assert client.get(url, {"province": tree.other_province.code}).status_code == 404


@pytest.mark.parametrize("extra_provinces", [0, 3])
def test_national_completeness_takes_a_fixed_number_of_queries(client, station_user, national_user, tree,
                                                               extra_provinces, django_assert_num_queries):
    from ytcs.orgunits.models import OrgUnit
    from ytcs.surveillance.tests.factories import make_unit

    for i in range(extra_provinces):
        province = make_unit(f"Tỉnh {i}", OrgUnit.Level.PROVINCE, tree.country)
        make_unit(f"Xã {i}", OrgUnit.Level.COMMUNE, province)
    submit_weekly(station_user, LAST_WEEK)
    make_case(station_user, tree)
    client.force_login(national_user)
    url = reverse("surveillance:completeness")
    # Session, user and unit (3), the alert banner (1), provinces (1), stations per province (1), weekly and
    # case reports grouped by province (2), the province picker (1).
    with django_assert_num_queries(9):
        client.get(url)
    # The province by code (1) and its trail (1), then a page of stations: count, rows, reports, cases (4).
    with django_assert_num_queries(11):
        client.get(url, {"province": tree.province.code})


def test_alert_durations_are_written_in_vietnamese(client, station_user, province_user, tree):
    onset = TODAY - dt.timedelta(days=14)
    make_case(station_user, tree, onset_date=onset, diagnosed_at=timezone.now() - dt.timedelta(days=11, hours=1))
    make_case(station_user, tree, onset_date=onset, diagnosed_at=timezone.now() - dt.timedelta(hours=5, seconds=30))
    client.force_login(province_user)
    page = client.get(reverse("surveillance:alert_list")).content.decode().replace("\xa0", " ")
    assert "Quá hạn 1 tuần, 3 ngày" in page and "18 giờ, 59 phút" in page
    assert not re.search(r"\b(weeks?|days?|hours?|minutes?)\b", page)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("surveillance:alert_list")).content.decode().replace("\xa0", " ")
    assert "1 week, 3 days" in page and "18 hours, 59 minutes" in page


@override_settings(YTCS_SURVEILLANCE_REPORT_DUE_WEEKDAY=1, YTCS_SURVEILLANCE_REPORT_DUE_HOUR=12)
def test_completeness_page_names_the_weekday_the_report_is_due(client, province_user):
    client.force_login(province_user)
    page = client.get(reverse("surveillance:completeness")).content.decode()
    assert "trước 12 giờ Thứ 3 của tuần sau tuần báo cáo" in page and "thứ 1" not in page
    client.cookies["django_language"] = "en"
    assert "before 12:00 on Tuesday" in client.get(reverse("surveillance:completeness")).content.decode()


@pytest.mark.parametrize("path,params", [
    ("surveillance:case_list", {"disease": "soi\x00"}),
    ("surveillance:signal_list", {"disease": "soi\x00", "status": "new\x00"}),
    ("surveillance:completeness", {"province": "04\x00", "q": "A\x00"}),
])
def test_a_nul_character_in_a_filter_is_no_server_error(client, province_user, path, params):
    """PostgreSQL cannot compare a text holding NUL; the pages must not pass one to it."""
    client.force_login(province_user)
    assert client.get(reverse(path), params).status_code in (200, 404)

