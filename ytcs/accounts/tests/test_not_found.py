"""Out-of-scope residents answer 404, exactly like absent ones, through the real UI page and API endpoint."""


from ytcs.accounts.models import Role
from ytcs.accounts.tests.factories import UserFactory


def test_commune_user_cannot_open_another_communes_resident_by_url_or_api(client, world, residents):
    client.force_login(UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_a))
    own, other = residents["a1"].pk, residents["b"].pk
    assert client.get(f"/people/{own}/").status_code == 200
    assert client.get(f"/api/people/residents/{own}").json()["id"] == own
    assert client.get(f"/people/{other}/").status_code == 404
    out_of_scope = client.get(f"/api/people/residents/{other}")
    absent = client.get("/api/people/residents/999999999")
    assert (out_of_scope.status_code, absent.status_code) == (404, 404)
    assert out_of_scope.content == absent.content


def test_village_health_worker_cannot_open_a_neighbouring_villages_resident(client, world, residents):
    client.force_login(UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world.village_a1))
    assert client.get(f"/api/people/residents/{residents['a1'].pk}").status_code == 200
    assert client.get(f"/api/people/residents/{residents['a2'].pk}").status_code == 404
    assert client.get(f"/people/{residents['a'].pk}/").status_code == 404


def test_provincial_manager_gets_404_for_individual_records(client, world, residents):
    client.force_login(UserFactory(role=Role.PROVINCIAL, org_unit=world.province_p))
    assert client.get(f"/people/{residents['a1'].pk}/").status_code == 404
    assert client.get(f"/api/people/residents/{residents['a1'].pk}").status_code == 404


def test_user_of_merged_commune_opens_residents_of_the_new_commune_only(client, world, residents):
    client.force_login(UserFactory(role=Role.STATION_STAFF, org_unit=world.old_commune))
    assert client.get(f"/people/{residents['a2'].pk}/").status_code == 200
    assert client.get(f"/api/people/residents/{residents['a'].pk}").status_code == 200
    assert client.get(f"/api/people/residents/{residents['b'].pk}").status_code == 404


def test_api_refuses_anonymous_callers(client, world, residents):
    assert client.get(f"/api/people/residents/{residents['a1'].pk}").status_code == 401


def test_personal_data_responses_are_not_stored(client, world, residents):
    client.force_login(UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_a))
    for url in (f"/people/{residents['a1'].pk}/", f"/api/people/residents/{residents['a1'].pk}"):
        response = client.get(url)
        assert response["Cache-Control"] == "no-store"
        assert "script-src 'self'" in response["Content-Security-Policy"]
