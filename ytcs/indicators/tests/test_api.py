"""``GET /api/indicators/values``: the keys of the CSV contract, the aggregate scope, the one error body."""

import pytest

from ytcs.accounts.models import Role
from ytcs.accounts.tests.factories import UserFactory

URL = "/api/indicators/values"


@pytest.fixture
def provincial(province):
    return UserFactory(role=Role.PROVINCIAL, org_unit=province.p)


def test_a_value_has_the_keys_of_the_csv(client, provincial):
    client.force_login(provincial)
    answer = client.get(URL, {"indicator": "d25.station_visits_bhyt", "unit": "98", "period": "2026-06"})
    assert answer.status_code == 200
    assert answer.json() == {"indicator": "d25.station_visits_bhyt", "unit": "98", "period": "2026-06",
                             "numerator": 2, "denominator": 3, "value": 66.67}
    count = client.get(URL, {"indicator": "pop.residents", "unit": "old:98012", "period": "2024"}).json()
    assert count == {"indicator": "pop.residents", "unit": "old:98012", "period": "2024", "numerator": 3,
                     "denominator": None, "value": 3}


def test_a_station_sees_its_commune_and_villages_only(client, province):
    client.force_login(province.nurse)  # station staff of commune A
    assert client.get(URL, {"indicator": "pop.residents", "unit": "98001-01", "period": "2026-06"}).json()[
        "value"] == 3
    for unit in ("98", "98002", "VN", "old:98012"):  # O2 became part of B too: outside A's sight
        answer = client.get(URL, {"indicator": "pop.residents", "unit": unit, "period": "2024"})
        assert answer.status_code == 404, unit
        assert answer.json()["errors"][0]["code"] == "not_found"
    assert client.get(URL, {"indicator": "pop.residents", "unit": "old:98011", "period": "2024"}).status_code == 200


def test_outside_the_province_is_404(client, province):
    other = UserFactory(role=Role.PROVINCIAL, org_unit=province.z)
    client.force_login(other)
    assert client.get(URL, {"indicator": "pop.residents", "unit": "98", "period": "2024"}).status_code == 404


def test_bad_input_is_a_422_naming_every_field(client, provincial):
    client.force_login(provincial)
    answer = client.get(URL, {"indicator": "nope.x", "unit": "98099", "period": "2024-13"})
    assert answer.status_code == 422
    assert {(e["field"], e["code"]) for e in answer.json()["errors"]} == {
        ("indicator", "unknown_indicator"), ("unit", "unknown_unit"), ("period", "invalid_period")}
    unsupported = client.get(URL, {"indicator": "pop.births", "unit": "98", "period": "2024-W10"})
    assert unsupported.status_code == 422 and unsupported.json()["errors"][0]["code"] == "unsupported_period"
    missing = client.get(URL, {"indicator": "pop.births", "unit": "98"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "period"


def test_messages_follow_the_language(client, provincial):
    client.force_login(provincial)
    client.cookies["django_language"] = "en"
    answer = client.get(URL, {"indicator": "pop.births", "unit": "98", "period": "2024-W10"})
    assert "is not computed by week" in answer.json()["errors"][0]["message"]


def test_anonymous_is_401(client, province):
    answer = client.get(URL, {"indicator": "pop.residents", "unit": "98", "period": "2024"})
    assert answer.status_code == 401
