"""The engine of the API fuzzing guard rail (``test_api_fuzz.py``, ``bench/api_fuzz.py``).

schemathesis reads the OpenAPI document the running app serves (``/api/openapi.json``) and generates requests
for every operation; they go through Django's WSGI handler in process, in the test's transaction, signed in
as a station user with data in scope. Generated integers named like a record or a unit (``resident_id``,
``commune``…) are often swapped for real rows, in and out of the user's scope, so requests get past the 404.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from pydantic import ValidationError
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ytcs.accounts.models import Role
from ytcs.core.api import ErrorOut
from ytcs.core.tests.guard_world import GuardWorld, build_guard_world

OPENAPI = "/api/openapi.json"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Inputs named like this carry the id of a row of that kind (see ``guard_world.Record.kind``).
ID_INPUTS = {
    "resident_id": "resident", "resident": "resident", "head": "resident", "mother": "resident",
    "household_id": "household", "household": "household",
    "encounter_id": "encounter", "condition_id": "condition", "signal_id": "signal", "case_id": "case",
    "facility_id": "facility", "entry_id": "allergy",
    "unit_id": "unit", "unit": "unit", "commune": "unit", "commune_id": "unit", "village": "unit",
    "village_id": "unit", "parent": "unit",
}
# Strings worth hitting with a valid value as often as with a generated one.
WORD_INPUTS = {
    "section": ["health_profile", "risk_factors", "reproductive_history", "allergies", "disabilities",
                "medical_history", "surgeries"],
    "disease": ["soi", "sot_xuat_huyet", "tay_chan_mieng"],
}


def load_schema() -> Any:
    """The OpenAPI document as the app serves it (no database needed)."""
    return schemathesis.openapi.from_wsgi(OPENAPI, WSGIHandler())


def operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def label(operation: Any) -> str:
    return f"{operation.method.upper()} {operation.path}"


@dataclass
class Outcome:
    """What one operation answered over all its examples."""

    label: str
    calls: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    foreign_error_bodies: list[str] = field(default_factory=list)


@contextmanager
def in_test_transaction() -> Iterator[None]:
    """Serve WSGI requests on the test's own connection, as Django's test client does: the handler must not
    close "old" connections at the start and end of each request (that would end the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class FuzzSession:
    """A signed-in station user, with CSRF token, and the rows generated ids are swapped for."""

    def __init__(self, world: GuardWorld) -> None:
        self.world = world
        self.user = world.user(Role.STATION_STAFF, "A")
        client = Client()
        client.force_login(self.user)
        token = secrets.token_hex(16)
        self.cookies = {django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                        django_settings.CSRF_COOKIE_NAME: token}
        self.headers = {"X-CSRFToken": token, "Accept-Language": "vi"}
        self.ids = {kind: [r.pk for r in records] for kind, records in world.records.items()}

    def in_scope(self, name: str) -> str:
        """A value for path parameter ``name`` naming a record of the user's own commune."""
        kind = ID_INPUTS.get(name)
        if kind is None:
            return WORD_INPUTS.get(name, ["x"])[0]
        home = self.user.org_unit
        return str(next(r.pk for r in self.world.records[kind] if r.commune == home))

    @classmethod
    @contextmanager
    def open(cls, **world_size: int) -> Iterator[FuzzSession]:
        with in_test_transaction():
            yield cls(build_guard_world(**world_size))

    def _id(self, name: str, value: Any) -> Any:
        kind = ID_INPUTS.get(name)
        if kind is None or not isinstance(value, int) or isinstance(value, bool):
            if name in WORD_INPUTS and isinstance(value, str):
                words = WORD_INPUTS[name]
                index = len(value) % (len(words) + 1)
                return words[index] if index < len(words) else value
            return value
        rows = self.ids.get(kind, [])
        index = value % (len(rows) + 1)
        return rows[index] if index < len(rows) else value

    def aim(self, case: Any) -> None:
        """Swap generated ids for real ones (in place, deterministically from the generated value)."""
        for container in (case.path_parameters, case.query, case.body):
            if isinstance(container, dict):
                for name, value in container.items():
                    container[name] = self._id(name, value)

    def send(self, case: Any, outcome: Outcome, known_foreign_body: bool) -> None:
        self.aim(case)
        response = case.call(headers=self.headers, cookies=self.cookies)
        outcome.calls += 1
        outcome.statuses[response.status_code] = outcome.statuses.get(response.status_code, 0) + 1
        problem = foreign_error_body(response) if 400 <= response.status_code < 500 else None
        if problem and known_foreign_body:
            # a listed operation's own error body may also break its declared schema; the rest still applies
            outcome.foreign_error_bodies.append(problem)
            case.validate_response(response, checks=[not_a_server_error, status_code_conformance], headers=self.headers)
            return
        case.validate_response(response, checks=CHECKS, headers=self.headers)
        assert problem is None, f"{label(case.operation)} answered {response.status_code} {problem}"


def foreign_error_body(response: Any) -> str | None:
    """Why a 4xx body is not the one error body, or ``None`` when it is."""
    try:
        ErrorOut.model_validate(response.json())
    except (ValueError, ValidationError):
        return f"not the one error body: {response.text[:300]!r}"
    return None


def fuzz(operation: Any, session: FuzzSession, *, examples: int, known_foreign_body: bool = False) -> Outcome:
    """Send ``examples`` positive and ``examples // 2`` negative requests to ``operation``; raise on the first
    response that breaks a check (Hypothesis reports the request)."""
    outcome = Outcome(label(operation))
    for mode, count in ((GenerationMode.POSITIVE, examples), (GenerationMode.NEGATIVE, max(1, examples // 2))):

        @hypothesis_settings(max_examples=count, derandomize=True, deadline=None, database=None,
                             phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                             print_blob=False)
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case: Any) -> None:
            session.send(case, outcome, known_foreign_body)

        run()
    return outcome
