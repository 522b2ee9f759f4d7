"""API date-times: without a UTC offset they are Vietnam time, in every app's input."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from ninja import Schema

from ytcs.api import api
from ytcs.core.datetimes import LocalDateTime

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class Sample(Schema):
    at: LocalDateTime
    until: LocalDateTime | None = None


def test_a_naive_date_time_is_vietnam_time_whatever_zone_is_active():
    with timezone.override("UTC"):
        sample = Sample(at="2025-01-01T00:00:00", until="2025-01-01T08:30")
    assert sample.at == dt.datetime(2025, 1, 1, tzinfo=VIETNAM)
    assert sample.at == dt.datetime(2024, 12, 31, 17, tzinfo=dt.UTC)
    assert sample.until == dt.datetime(2025, 1, 1, 8, 30, tzinfo=VIETNAM)


def test_a_date_time_with_an_offset_keeps_it():
    assert Sample(at="2025-01-01T00:00:00Z").at == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert Sample(at="2025-01-01T00:00:00+09:00").at.utcoffset() == dt.timedelta(hours=9)
    assert Sample(at="2025-01-01T00:00:00").until is None


def _date_time_fields(schema: dict, defs: dict, path: str = "") -> list[tuple[str, dict]]:
    """Every date-time property in a request body schema, following $ref, arrays and unions."""
    if "$ref" in schema:
        return _date_time_fields(defs[schema["$ref"].rsplit("/", 1)[1]], defs, path)
    if schema.get("format") == "date-time":
        return [(path, schema)]
    found = []
    for name, sub in schema.get("properties", {}).items():
        found += _date_time_fields(sub, defs, f"{path}.{name}")
    for sub in [*([schema["items"]] if "items" in schema else []), *schema.get("anyOf", [])]:
        found += _date_time_fields(sub, defs, path)
    return found


def test_every_date_time_in_an_api_request_body_uses_the_shared_type():
    """Surveillance, clinical and people inputs (people has none today): each is a LocalDateTime."""
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    fields = []
    for route, operations in document["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            defs = {**components, **body.get("$defs", {})}
            fields += [(f"{method} {route}{name}", f) for name, f in _date_time_fields(body, defs)]
    found = {name for name, _ in fields}
    assert {"post /api/surveillance/cases.diagnosed_at", "post /api/surveillance/cases.reported_at",
            "post /api/clinical/residents/{resident_id}/encounters.occurred_at",
            "put /api/clinical/encounters/{encounter_id}.occurred_at"} <= found
    for name, field in fields:
        assert "Vietnam time" in field.get("description", ""), name
