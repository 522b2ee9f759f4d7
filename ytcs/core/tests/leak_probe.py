"""The engine of the leak probe (``test_leak_probe.py``, ``bench/leak_probe.py``).

For every discovered endpoint (``leak_probe_routes``), every user of the guard world and every record of the
endpoint's kind, the probe sends one request (in a savepoint rolled back after it, so writes do not pile up)
and compares the answer with the refusal rule of ``docs/architecture.md``, with the access module
(``ytcs.accounts.scope``) as the oracle of who may see what:

- target outside the user's scope (search scope for a personal record, aggregate scope for a unit and the
  unit-level records) → 404;
- target visible but the role may not act → 403;
- otherwise → success (2xx/3xx; a write must also leave a write event in the audit trail);
- for a personal record, every success and every refusal leaves an audit row naming the person
  (``AuditSubject``); a staff roster leaves an audit row.

Each deviation is a *finding* ``(endpoint, category)``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.test import Client

from ytcs.accounts.scope import aggregate_scope, capture_scope, is_system_admin, search_scope
from ytcs.api import api
from ytcs.audit.models import AuditEvent, AuditSubject
from ytcs.core.tests.guard_world import GuardWorld, Record
from ytcs.core.tests.leak_probe_routes import (
    INPUT_KINDS,
    WORDS,
    Discovery,
    Endpoint,
    add_form,
    discover_api,
    discover_web,
    forms_of,
    mark_forms,
    param_kind,
)
from ytcs.surveillance.services import REVIEWER_ROLES

# Records opened through the search scope and about named people; the rest are unit-level, seen through the
# aggregate scope. A facility's staff roster names health workers but is seen wherever the facility's figures
# are (docs/security.md, "Staff rosters"); every listing must still leave an audit row.
PERSONAL = {"resident", "household", "encounter", "condition", "allergy", "duplicate"}
NAMES_PEOPLE = PERSONAL | {"case"}  # their audit rows must name the resident
READ_ACTIONS = {"view", "list", "search", "export", "denied"}
LIST_SECTION = "allergies"
LIST_SECTION_ROW = {"kind": "drug", "agent": "Penicillin"}
REVIEWS = {"signal", "alert"}  # writes on them are reviews (REVIEWER_ROLES), not data capture


@dataclass
class Sent:
    status: int
    actions: list[str]
    named: set[int]  # residents the request's audit rows name
    content: bytes


def related_id(record: Record, name: str) -> int | None:
    """The id a body field naming a record or a unit takes for ``record`` (its village, its commune…)."""
    kind = INPUT_KINDS[name]
    if kind == "unit":
        unit = record.village if "village" in name else record.commune
        return unit.pk if unit is not None else None
    if kind == record.kind:
        return record.pk
    return getattr(record.obj, f"{kind}_id", None)


@dataclass
class Result:
    triples: int = 0
    statuses: Counter = field(default_factory=Counter)
    findings: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def find(self, endpoint: Endpoint, category: str, example: str) -> None:
        self.findings.setdefault((endpoint.label, category), []).append(example)

    def table(self) -> str:
        lines = [f"{label}  —  {category}  ({len(examples)}×, e.g. {examples[0]})"
                 for (label, category), examples in sorted(self.findings.items())]
        return "\n".join(lines)


class Probe:
    def __init__(self, world: GuardWorld) -> None:
        self.world = world
        self.clients: dict[int, Client] = {}
        for user in world.users:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            self.clients[user.pk] = client
        self.mark = AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0

    # discovery -------------------------------------------------------------------------------------------

    def discover(self) -> Discovery:
        """Routes from the URL conf and the OpenAPI document, plus the writes the pages' forms make."""
        discovery = Discovery()
        pages = discover_web(discovery)
        discover_api(api.get_openapi_schema(), discovery)
        renderer = self.world.user("station_staff", "A")
        client = self.clients[renderer.pk]
        inside = {kind: next((r for r in records if self.visible(renderer, r)), None)
                  for kind, records in self.world.records.items()}
        for endpoint in [e for e in discovery.endpoints.values() if not e.api and e.method == "GET"]:
            record = inside.get(endpoint.kind)
            url = self.url(endpoint, record) if record else None
            if url:
                pages.append(url)
        with transaction.atomic():  # reading the pages writes audit rows; they are not the probe's
            for page in pages:
                response = client.get(page)
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    for action, fields in forms_of(page, response.content.decode()):
                        add_form(discovery, action, fields)
            transaction.set_rollback(True)
        mark_forms(discovery)
        return discovery

    # requests --------------------------------------------------------------------------------------------

    def url(self, endpoint: Endpoint, record: Record) -> str | None:
        path = endpoint.route
        for name in endpoint.params:
            if name == endpoint.target:
                value = record.pk
            elif name in WORDS:
                value = WORDS[name].get(record.kind)
                if name == "section" and "entr" in endpoint.route:
                    value = LIST_SECTION  # rows are added to a list section (allergies…), not a one-to-one one
            else:
                kind = param_kind(endpoint.route, name)
                value = record.pk if kind == record.kind else getattr(record.obj, f"{kind}_id", None)
            if value is None:
                return None
            path = path.replace("{" + name + "}", str(value))
        return path

    def body(self, endpoint: Endpoint, record: Record) -> dict[str, Any]:
        """The endpoint's body, with every field naming a record or a unit set from the target record."""
        body = dict(endpoint.body)
        for name in endpoint.fields:
            body[name] = related_id(record, name)
        if endpoint.where == "body":
            body[endpoint.target] = record.pk
        if "to_commune_code" in body:  # a move within the record's own commune
            body["to_commune_code"] = record.commune.code
        if endpoint.api and endpoint.route.endswith("/sections/{section}/entries"):  # an untyped section row
            body.update(LIST_SECTION_ROW)
        elif not endpoint.api and "/entry/{section}" in endpoint.route:  # the page's form of that row
            body.update({f"entry-{LIST_SECTION}-{name}": value for name, value in LIST_SECTION_ROW.items()})
        return {k: v for k, v in body.items() if v is not None}

    def send(self, user: Any, endpoint: Endpoint, record: Record) -> Sent | None:
        url = self.url(endpoint, record) if endpoint.where == "path" else endpoint.route
        if url is None:
            return None
        body = self.body(endpoint, record)
        client = self.clients[user.pk]
        with transaction.atomic():
            if endpoint.api:
                data = json.dumps(body) if endpoint.writes else None
                response = client.generic(endpoint.method, url, data or "", content_type="application/json")
            elif endpoint.writes:
                response = client.post(url, {k: v for k, v in body.items() if not isinstance(v, list | dict)})
            else:
                response = client.get(url)
            actions = list(AuditEvent.objects.filter(pk__gt=self.mark).values_list("action", flat=True))
            named = set(AuditSubject.objects.filter(event_id__gt=self.mark).values_list("resident_id", flat=True))
            transaction.set_rollback(True)
        return Sent(response.status_code, actions, named, response.content[:160])

    # the rule --------------------------------------------------------------------------------------------

    def visible(self, user: Any, record: Record) -> bool:
        scope = search_scope(user) if record.kind in PERSONAL else aggregate_scope(user)
        return scope.covers_place(record.commune, record.village)

    def allowed(self, user: Any, endpoint: Endpoint, record: Record) -> bool:
        if endpoint.route.startswith("/audit/"):
            return is_system_admin(user)
        if endpoint.writes or endpoint.form:
            if record.kind in REVIEWS:
                return user.role in REVIEWER_ROLES
            if record.kind == "case":  # a case is corrected by the station that reported it
                return capture_scope(user).covers(record.obj.reporting_unit)
            return capture_scope(user).covers_place(record.commune, record.village)
        return True

    def check(self, user: Any, endpoint: Endpoint, record: Record, result: Result) -> None:
        sent = self.send(user, endpoint, record)
        if sent is None:
            return
        status = sent.status
        result.triples += 1
        result.statuses[status] += 1
        wrote = any(action not in READ_ACTIONS for action in sent.actions)
        # a web write succeeded when it wrote (a form re-shown with errors, or a redirect with an error message,
        # wrote nothing); the API says so with its status
        success = 200 <= status < 400 and (wrote or not endpoint.writes or endpoint.api)
        refusal = f"{status}, nothing written" if 200 <= status < 400 else f"{status}"
        visible = self.visible(user, record)
        allowed = visible and self.allowed(user, endpoint, record)
        place = record.village.name if record.village else record.commune.name
        example = (f"{user.role}@{user.org_unit.name}{'' if user.may_open_records is None else '±records'} → "
                   f"{record.kind} {place}: {status}")
        form_field = endpoint.where == "body" and not endpoint.api  # the form's choices are its scope
        if status >= 500:
            result.find(endpoint, "server error", example)
        elif not visible:
            if success:
                result.find(endpoint, "answers outside scope", example)
            elif status != 404 and not form_field:
                result.find(endpoint, f"{refusal} outside scope, not 404", example)
        elif not allowed:
            if success:
                result.find(endpoint, "acts without the right", example)
            elif status != 403 and not form_field:
                result.find(endpoint, f"{refusal} where the role may not act, not 403", example)
        elif not success:
            result.find(endpoint, f"refused in scope ({refusal})", f"{example} {sent.content!r}")
        if success and endpoint.writes and endpoint.api and not wrote:
            result.find(endpoint, "write not audited", example)
        people = set(record.people)
        if record.kind in NAMES_PEOPLE and people:
            if success and not people <= sent.named:
                result.find(endpoint, "success not audited", example)
            elif not success and status in (403, 404) and not people <= sent.named:
                result.find(endpoint, "refusal not audited", example)
        elif record.kind == "facility" and success and not sent.actions:
            result.find(endpoint, "success not audited", example)

    def records_for(self, endpoint: Endpoint) -> list[Record]:
        records = self.world.records.get(endpoint.kind, [])
        if endpoint.kind == "unit" and "village" in endpoint.target:
            records = [r for r in records if r.village is not None]
        elif endpoint.kind == "unit" and "commune" in endpoint.target:
            records = [r for r in records if r.village is None]
        return records

    def run(self, discovery: Discovery) -> Result:
        result = Result()
        for endpoint in discovery.endpoints.values():
            for record in self.records_for(endpoint):
                for user in self.world.users:
                    self.check(user, endpoint, record, result)
        return result
