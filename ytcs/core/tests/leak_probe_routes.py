"""Discovery for the leak probe: every route that takes a personal record's id or a unit, found at run time.

Sources, not a hand list of URLs:

- the URL conf (``django.urls.get_resolver()``, walked recursively) for the web pages, their methods read from
  Django's ``require_http_methods`` family when a view declares them;
- the forms and htmx buttons those pages render for a user who may act, for the writes the pages make and the
  bodies they send (a form's own fields and values; a field naming a unit or a resident makes the form a
  body-target write, like the registration and case report forms);
- the OpenAPI document of the JSON API (``/api/openapi.json``) for its routes, methods and body schemas.

What is hand-written is small: which input names carry which kind of record (``INPUT_KINDS``), a valid value
for each body field name (``VALUES``), and the routes that serve public reference data (``REFERENCE_DATA``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone

# Inputs named like this carry the id of a record of that kind (``guard_world.Record.kind``).
INPUT_KINDS = {
    "resident_id": "resident", "resident_pk": "resident", "resident": "resident",
    "household_id": "household", "household": "household", "encounter_id": "encounter", "condition_id": "condition",
    "case_id": "case", "signal_id": "signal", "alert_id": "alert", "facility_id": "facility", "entry_id": "allergy",
    "unit_id": "unit", "unit": "unit", "commune": "unit", "commune_id": "unit", "village": "unit", "village_id": "unit",
}
# ``pk`` takes its kind from the path segment before it (``visits/<pk>/`` is a visit).
SEGMENT_KINDS = {
    "people": "resident", "resident": "resident", "visits": "encounter", "conditions": "condition",
    "cases": "case", "signals": "signal", "alerts": "alert", "duplicates": "duplicate",
}
# Path words that are not records, with the value a record of each kind uses.
WORDS = {
    "section": {"allergy": "allergies", "resident": "health_profile"},
    "kind": {"resident": "death"},
}
# Record parameters the probe does not build rows for yet, with why; a new parameter fails until it is mapped.
NOT_PROBED = {
    "merges/<pk>": "a merge log needs a merge of two residents (dedup tests cover its scope)",
    "user/<pk>": "a user account, not a register record; the audit browser is for administrators",
}
# Routes serving public reference data: the administrative geography and the facility registry.
REFERENCE_DATA = ("/api/orgunits/units",)
# Path words of pages that are the form of a write (seeing one needs the right to write).
FORM_WORDS = {"new", "edit", "event"}
# Forms whose unit or resident fields filter a search rather than name a target.
SEARCH_FORMS = {"/people/search/"}
SKIPPED_PREFIXES = ("/api/", "/i18n/", "/static/", "/login/", "/logout/")
READS = {"GET"}


def _now(hours: int = 1) -> str:
    return (timezone.localtime() - dt.timedelta(hours=hours)).replace(microsecond=0).isoformat()


def values() -> dict[str, Any]:
    """A valid value for each body field name the API and forms use (dates relative to now)."""
    today = timezone.localdate()
    iso = (today - dt.timedelta(days=7)).isocalendar()
    return {
        "family_name": "Nông", "middle_name": "Văn", "given_name": "Dền", "sex": "M", "birth_date": "1980-03-02",
        "ethnicity": "Tày", "address": "Xóm 2", "code": "HGD-PROBE",
        "disease": "soi", "diagnosed_at": _now(2), "age_years": 5, "classification": "suspected",
        "lab_result": "not_tested", "outcome": "under_treatment",
        "iso_year": iso[0], "iso_week": iso[1], "lines": [],
        "occurred_at": _now(1), "payer": "self_pay", "reason": "Khám",
        "diagnoses": [{"code": "J06.9", "is_primary": True}],
        "icd10_code": "E11", "to_status": "investigating", "note": "Kiểm tra", "reason_void": "Nhập nhầm",
        "died_on": str(today - dt.timedelta(days=1)), "cause_icd10": "I21",
        "moved_on": str(today - dt.timedelta(days=1)), "to_commune_code": "00000",
        "child": {"family_name": "Nông", "given_name": "Bé", "sex": "F",
                  "birth_date": str(today - dt.timedelta(days=2))},
        "kind": "drug", "agent": "Penicillin", "decision": "not_duplicate", "dx-code": "J06.9",
    }


def value_for(name: str, known: dict[str, Any]) -> Any:
    """The value for a form field, also for a formset's (``members-0-given_name`` → ``given_name``)."""
    return known.get(name, known.get(name.rsplit("-", 1)[-1]))


def scalar_values() -> tuple[tuple[str, Any], ...]:
    """The body of a web write no rendered form showed: every scalar value (views ignore the others)."""
    return tuple(sorted((k, v) for k, v in values().items() if not isinstance(v, list | dict)))


def _is_village(name: str) -> bool:
    return INPUT_KINDS.get(name) == "unit" and "village" in name


def _is_commune(name: str) -> bool:
    return INPUT_KINDS.get(name) == "unit" and "commune" in name


def body_targets(names: list[str]) -> list[str]:
    """The fields of a body that name its target: a commune is named with its village when both are asked."""
    targets = [n for n in names if n in INPUT_KINDS]
    if any(_is_village(n) for n in targets):
        targets = [n for n in targets if not _is_commune(n)]
    return targets


@dataclass(frozen=True)
class Endpoint:
    """One (method, route) and the input that names its target."""

    method: str
    route: str  # with ``{name}`` placeholders
    target: str  # the path parameter or body field naming the target
    kind: str
    where: str  # "path" or "body"
    api: bool
    body: tuple[tuple[str, Any], ...] = ()
    params: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()  # body fields naming a record or unit, set from the target record
    form: bool = False  # a GET showing the form of a write: the role needs the right to write

    @property
    def label(self) -> str:
        label = f"{self.method} {self.route}"
        return f"{label} [body {self.target}]" if self.where == "body" else label

    @property
    def writes(self) -> bool:
        return self.method not in READS


@dataclass
class Discovery:
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    unmapped: set[str] = field(default_factory=set)  # record-like parameters with no kind: a failure

    def add(self, endpoint: Endpoint) -> None:
        self.endpoints.setdefault(endpoint.label, endpoint)


def _walk(resolvers: list, prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            found.append(("/" + route, entry.callback))
    return found


def _template(route: str) -> tuple[str, tuple[str, ...]]:
    """``people/<int:pk>/`` → ``people/{pk}/`` and its parameters."""
    params = tuple(m.group(2) for m in re.finditer(r"<(?:(\w+):)?(\w+)>", route))
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route), params


def param_kind(route: str, name: str) -> str | None:
    if name != "pk":
        return INPUT_KINDS.get(name)
    before = route.split("{pk}")[0].rstrip("/").rsplit("/", 1)[-1]
    return SEGMENT_KINDS.get(before)


def _target(route: str, params: tuple[str, ...], discovery: Discovery) -> tuple[str, str] | None:
    """The last record parameter of the route and its kind (the others follow from it)."""
    target = None
    for name in params:
        if name in WORDS:
            continue
        kind = param_kind(route, name)
        segment = route.split("{" + name + "}")[0].rstrip("/").rsplit("/", 1)[-1] + f"/<{name}>"
        if kind is None:
            if segment not in NOT_PROBED:
                discovery.unmapped.add(f"{route}: {name}")
            return None
        target = (name, kind)
    return target


def view_methods(callback: Any) -> tuple[str, ...]:
    """The methods a view accepts when Django's ``require_http_methods`` (or GET/POST) says so, else GET."""
    func = callback
    while func is not None:
        for cell, name in zip(func.__closure__ or (), func.__code__.co_freevars, strict=False):
            if name == "request_method_list":
                return tuple(m for m in cell.cell_contents if m in {"GET", "POST", "PUT", "PATCH", "DELETE"})
        func = getattr(func, "__wrapped__", None)
    return ("GET",)


def discover_web(discovery: Discovery) -> list[str]:
    """Web routes with a record parameter, by method; returns the parameter-less pages (to read their forms)."""
    pages = []
    for raw, callback in _walk(get_resolver().url_patterns):
        if raw.startswith(SKIPPED_PREFIXES):
            continue
        route, params = _template(raw)
        if not params:
            pages.append(route)
            continue
        target = _target(route, params, discovery)
        if target is None:
            continue
        for method in view_methods(callback):
            body = () if method == "GET" else scalar_values()
            discovery.add(Endpoint(method, route, target[0], target[1], "path", False, body, params))
    return pages


def mark_forms(discovery: Discovery) -> None:
    """A GET of a page that is the form of a write (``…/new/``, ``…/edit/``, ``…/event/…``, and posted to)."""
    posted = {e.route for e in discovery.endpoints.values() if e.method == "POST" and e.where == "path"}
    for label, endpoint in list(discovery.endpoints.items()):
        words = set(endpoint.route.strip("/").split("/"))
        if endpoint.method == "GET" and not endpoint.api and endpoint.route in posted and words & FORM_WORDS:
            discovery.endpoints[label] = replace(endpoint, form=True)


def resolve_ref(document: dict, node: dict) -> dict:
    """Follow ``$ref`` (and a single-entry ``allOf``) inside the OpenAPI document."""
    while True:
        if "$ref" in node:
            target = document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        elif len(node.get("allOf", [])) == 1:
            node = node["allOf"][0]
        else:
            return node


def api_body(document: dict, operation: dict, values: dict[str, Any]) -> dict[str, Any] | None:
    """A body for the operation: every field ``VALUES`` knows (ids left out), and every required one."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    schema = resolve_ref(document, content["schema"])
    body = {}
    for name, prop in schema.get("properties", {}).items():
        if name in INPUT_KINDS or name in {"household", "head", "mother"}:
            continue  # set from the target record
        required = name in schema.get("required", [])
        if name in values and (required or prop.get("default") in (None, "")):  # keep a meaningful default
            body[name] = values[name]
        elif required:
            body[name] = _placeholder(resolve_ref(document, prop))
    return body


def _placeholder(prop: dict) -> Any:
    kind = prop.get("type") or next((p.get("type") for p in prop.get("anyOf", []) if p.get("type") != "null"), "")
    return {"integer": 1, "number": 1, "boolean": False, "array": [], "object": {}}.get(kind, "x")


def discover_api(document: dict, discovery: Discovery) -> None:
    known = values()
    for path, methods in document["paths"].items():
        if path.startswith(REFERENCE_DATA):
            continue
        for method, operation in methods.items():
            route, params = path, tuple(re.findall(r"{(\w+)}", path))
            body = api_body(document, operation, known)
            frozen = tuple(sorted((body or {}).items(), key=lambda kv: kv[0]))
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            names = list(resolve_ref(document, content["schema"]).get("properties", {})) if content else []
            target = _target(route, params, discovery) if params else None
            if target is not None:
                fields = tuple(n for n in names if n in INPUT_KINDS)
                discovery.add(Endpoint(method.upper(), route, target[0], target[1], "path", True, frozen, params,
                                       fields))
                continue
            targets = body_targets(names)
            for name in targets:
                siblings = tuple(n for n in targets if n != name and _is_commune(n) and _is_village(name))
                discovery.add(Endpoint(method.upper(), route, name, INPUT_KINDS[name], "body", True, frozen,
                                       fields=siblings))


class FormParser(HTMLParser):
    """The POST forms and htmx writes of a page: (action, fields) with the values the page fills in."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._form: dict[str, str] | None = None
        self._action = ""
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        posts = a.get("hx-post")
        if tag == "form" and (a.get("method", "").lower() == "post" or posts):
            self._form, self._action = {}, posts or a.get("action") or self.page
        elif posts and self._form is None:
            self.forms.append((posts, {}))
        elif self._form is not None and tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") == "file":
                return
            self._form.setdefault(a["name"], a.get("value", ""))  # the first submit button is the one pressed
        elif self._form is not None and tag == "button" and a.get("name") and not a["name"].startswith("add_"):
            self._form.setdefault(a["name"], a.get("value", ""))  # an ``add_…`` button only adds a form row
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.setdefault(self._select, "")
        elif self._select and tag == "option":
            if "selected" in a or not self._form.get(self._select):
                self._form[self._select] = a.get("value", "")
        elif self._form is not None and tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.setdefault(self._textarea, "")

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None:
            self._form[self._textarea] += data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append((self._action, self._form))
            self._form = None


def forms_of(page: str, html: str) -> list[tuple[str, dict[str, str]]]:
    parser = FormParser(page)
    parser.feed(html)
    return parser.forms


def add_form(discovery: Discovery, action: str, fields: dict[str, str]) -> None:
    """Turn one rendered form into an endpoint: a path-target write, or a body-target one."""
    path = action.split("?")[0]
    try:
        match = resolve(path)
    except Resolver404:
        return
    route, params = _template("/" + match.route)
    if route.startswith(SKIPPED_PREFIXES) or route in SEARCH_FORMS:
        return
    known = values()
    body = {k: (value_for(k, known) or v if v == "" else v) for k, v in fields.items() if k != "csrfmiddlewaretoken"}
    frozen = tuple(sorted((k, v) for k, v in body.items() if k not in INPUT_KINDS and not isinstance(v, list | dict)))
    named = [n for n in fields if n in INPUT_KINDS]
    if params:
        target = _target(route, params, discovery)
        if target is not None:
            endpoint = Endpoint("POST", route, target[0], target[1], "path", False, frozen, params, tuple(named))
            discovery.endpoints[endpoint.label] = endpoint  # the form's own body beats the default one
        return
    for name in body_targets(named):
        siblings = tuple(n for n in named if n != name and _is_commune(n))
        discovery.add(Endpoint("POST", route, name, INPUT_KINDS[name], "body", False, frozen, fields=siblings))
