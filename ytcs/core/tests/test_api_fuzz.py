"""Guard rail: schemathesis fuzzes every operation of the API's OpenAPI document, in process.

Whatever router is mounted on ``ytcs.api.api`` tomorrow is fuzzed without editing this file: the operations
come from ``/api/openapi.json``. For each, a signed-in station user with data in scope sends generated
requests (bounded, derandomized); every response must

- never be a 5xx,
- have a declared status code and content type, and a body matching its declared schema,
- be, for every 4xx, the one error body ``{"errors": [{"field", "code", "message"}]}`` (``ErrorOut``).

Operations that still answer with an error body of their own are listed in ``KNOWN_NONCONFORMING``; the list
can only shrink (a listed operation that conforms fails the test). The longer run is ``bench/api_fuzz.py``
(``YTCS_FUZZ_EXAMPLES`` sets the examples per operation).
"""

import os
import re

import pytest
from django.core.handlers.wsgi import WSGIHandler
from werkzeug.test import Client

from ytcs.core.api import ErrorOut
from ytcs.core.tests import api_fuzz

EXAMPLES = int(os.environ.get("YTCS_FUZZ_EXAMPLES", "12"))

# Operations that answer a 4xx with a body other than ``ErrorOut``, with why; each must still do so.
KNOWN_NONCONFORMING: dict[str, str] = {
}

SCHEMA = api_fuzz.load_schema()
OPERATIONS = {api_fuzz.label(op): op for op in api_fuzz.operations(SCHEMA)}


@pytest.fixture
def fuzz_session(db):
    with api_fuzz.FuzzSession.open() as session:
        yield session


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_answers_within_its_schema(name, fuzz_session):
    known = name in KNOWN_NONCONFORMING
    outcome = api_fuzz.fuzz(OPERATIONS[name], fuzz_session, examples=EXAMPLES, known_foreign_body=known)
    print(f"{name}: {outcome.calls} requests, statuses {dict(sorted(outcome.statuses.items()))}")
    if known:
        assert outcome.foreign_error_bodies, (
            f"{name} now answers every 4xx with the one error body: remove it from KNOWN_NONCONFORMING")


def test_known_nonconforming_names_real_operations():
    assert set(KNOWN_NONCONFORMING) <= set(OPERATIONS)


WRITES = sorted(f"{method.upper()} {path}" for path, methods in SCHEMA.raw_schema["paths"].items()
                for method, operation in methods.items() if "requestBody" in operation)
TEN_MB = b"x" * (10 * 1024 * 1024)


def test_a_10_mb_body_gets_the_json_413_on_every_write(fuzz_session):
    """Every operation that takes a body: over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` the answer is the one error body
    with 413, not Django's HTML page, whatever the content type claims; sent as a browser would (session cookie
    and CSRF token), to records in the user's scope (an endpoint may well refuse a record before reading the body)."""
    client = Client(WSGIHandler())
    for name, value in fuzz_session.cookies.items():
        client.set_cookie(name, value)
    answers = {}
    for name in WRITES:
        method, path = name.split()
        path = re.sub(r"{(\w+)}", lambda m: fuzz_session.in_scope(m.group(1)), path)
        for content_type in ("application/json", "application/x-www-form-urlencoded", "text/plain"):
            response = client.open(path, method=method, data=TEN_MB,
                                   headers={**fuzz_session.headers, "Content-Type": content_type})
            body = response.get_data()
            ok = response.status_code == 413 and response.mimetype == "application/json"
            if ok:
                error = ErrorOut.model_validate_json(body).errors[0]
                ok = error.code == "too_large" and error.message
            answers[(name, content_type)] = "413" if ok else f"{response.status_code} {body[:80]!r}"
    assert {key: answer for key, answer in answers.items() if answer != "413"} == {}
    assert len(answers) == 3 * len(WRITES) > 30
