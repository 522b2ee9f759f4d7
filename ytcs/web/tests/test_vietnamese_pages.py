"""Every page of the web interface, rendered in Vietnamese and in English, shows no English words, no
untranslated message ids and no Python reprs of internal names (model labels, role, section and field codes).

The pages are found from the URL configuration, so a new page without a visit below fails the coverage test.
Each page is opened with real objects behind its URL parameters (``page_world.py``) by a user who may see it;
forms are also posted with bad input, so error messages and flash messages are checked too. Run with ``-s``
to see the list of what was checked.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ytcs.accounts.models import Role
from ytcs.core.tests.test_translations import catalogues
from ytcs.people.completeness import SECTIONS
from ytcs.people.imports import ALIASES, COLUMNS
from ytcs.people.services import LIST_SECTIONS, ONE_TO_ONE_SECTIONS
from ytcs.surveillance.detection import METHODS
from ytcs.web.tests.page_text import (
    WORD,
    english_page_offences,
    page_language,
    vietnamese_page_offences,
    visible_text,
)
from ytcs.web.tests.page_world import PageWorld, build_page_world

pytestmark = pytest.mark.django_db

STAFF, HEAD, VHW = Role.STATION_STAFF, Role.STATION_HEAD, Role.VILLAGE_HEALTH_WORKER
PROVINCE, NATIONAL, ADMIN = Role.PROVINCIAL, Role.NATIONAL_VIEWER, Role.SYSTEM_ADMIN
ALL_ROLES = (VHW, STAFF, HEAD, PROVINCE, NATIONAL, ADMIN)

# Not pages: the JSON API has its own error bodies; files are data for other programs.
NOT_PAGES = {
    "people:register_import_template": "CSV file whose header row is the import format's column keys",
    "people:register_export_pdf": "PDF file (its text comes from the same record_display as the print page)",
    "people:register_export_json": "JSON export whose keys are the documented field names",
}
# The import format's column keys are what a station types in its spreadsheet header: shown on purpose.
ALLOWED_CODES = frozenset({c.key for c in COLUMNS} | set(ALIASES))


@dataclass(frozen=True)
class Visit:
    name: str
    role: str | None
    args: Callable[[PageWorld], list] = lambda w: []
    method: str = "get"
    query: str = ""
    data: Callable[[PageWorld], dict] = lambda w: {}
    status: int = 200


def _bad_xlsx(w: PageWorld) -> dict:
    return {"file": SimpleUploadedFile("danh-sach.xlsx", b"not really a workbook")}


def _csv_without_columns(w: PageWorld) -> dict:
    return {"file": SimpleUploadedFile("danh-sach.csv", "ho_ten,ghi_chu\nNông Văn Dền,\n".encode())}


GETS = [
    *(Visit("home", role) for role in ALL_ROLES),
    Visit("login", None),
    Visit("people:search", STAFF),
    Visit("people:detail", STAFF, lambda w: [w.patient.pk]),
    Visit("people:detail", STAFF, lambda w: [w.removed.pk]),
    Visit("people:detail", ADMIN, lambda w: [w.patient.pk]),
    Visit("people:detail", STAFF, lambda w: [999999], status=404),
    Visit("people:dedup-queue", STAFF),
    Visit("people:dedup-queue", STAFF, query="status=merged"),
    Visit("people:dedup-pair", STAFF, lambda w: [w.candidate.pk]),
    Visit("people:dedup-merge", STAFF, lambda w: [w.merge.pk]),
    Visit("people:register_start", STAFF),
    Visit("people:register_household", STAFF),
    Visit("people:register_member_row", STAFF, query="members-TOTAL_FORMS=1"),
    Visit("people:register_import", STAFF),
    Visit("people:register_record", STAFF, lambda w: [w.patient.pk]),
    Visit("people:register_record", STAFF, lambda w: [w.child.pk]),
    Visit("people:register_record", ADMIN, lambda w: [w.patient.pk]),
    Visit("people:register_resident_edit", STAFF, lambda w: [w.patient.pk]),
    *(Visit("people:register_event", STAFF, lambda w, k=kind: [w.patient.pk, k])
      for kind in ("birth", "death", "move")),
    Visit("people:register_export_print", STAFF, lambda w: [w.patient.pk]),
    Visit("audit:list", ADMIN),
    Visit("users_to_move", ADMIN),
    Visit("audit:list", ADMIN, query="action=update"),
    Visit("audit:resident", ADMIN, lambda w: [w.patient.pk]),
    Visit("audit:user", ADMIN, lambda w: [w.users[STAFF].pk]),
    Visit("audit:user", ADMIN, lambda w: [w.users[ADMIN].pk]),  # reading the trail: "resident:1", "all"
    Visit("clinical:visit_new", STAFF, lambda w: [w.patient.pk]),
    Visit("clinical:timeline", STAFF, lambda w: [w.patient.pk]),
    Visit("clinical:visit_detail", STAFF, lambda w: [w.encounter.pk]),
    Visit("clinical:visit_edit", STAFF, lambda w: [w.encounter.pk]),
    Visit("clinical:icd10_picker", STAFF, query="q=tang+huyet+ap"),
    Visit("clinical:icd10_picker", STAFF, query="q=zzzz"),
    Visit("clinical:diagnosis_row", STAFF, query="code=I10"),
    Visit("clinical:prescription_row", STAFF),
    *(Visit("surveillance:index", role) for role in ALL_ROLES),
    Visit("surveillance:case_list", STAFF),
    Visit("surveillance:case_list", PROVINCE),
    Visit("surveillance:case_create", STAFF),
    Visit("surveillance:case_create", PROVINCE, status=403),
    Visit("surveillance:case_detail", STAFF, lambda w: [w.case.pk]),
    Visit("surveillance:case_detail", PROVINCE, lambda w: [w.case.pk]),
    Visit("surveillance:weekly_report", STAFF),
    Visit("surveillance:curve", STAFF),
    Visit("surveillance:curve", PROVINCE, query="by=onset"),
    Visit("surveillance:signal_list", PROVINCE),
    Visit("surveillance:signal_detail", PROVINCE, lambda w: [w.signal.pk]),
    Visit("surveillance:alert_list", PROVINCE),
    Visit("surveillance:alert_list", PROVINCE, query="all=1"),
    Visit("surveillance:signal_list", STAFF),
    Visit("surveillance:signal_detail", STAFF, lambda w: [w.signal.pk]),
    Visit("surveillance:alert_list", STAFF),
    Visit("surveillance:completeness", PROVINCE),
    Visit("surveillance:completeness", STAFF),
]
# Forms posted with bad or harmless input (the page that answers, or the one redirected to, is checked);
# the ones that change something come last.
POSTS = [
    Visit("login", None, method="post", data=lambda w: {"username": "khongco", "password": "sai-mat-khau"}),
    Visit("people:search", STAFF, method="post", data=lambda w: {"q": "nguyen thi 1990"}),
    Visit("people:search", STAFF, method="post", data=lambda w: {"q": "12345"}),
    Visit("people:register_household", STAFF, method="post", data=lambda w: {"members-TOTAL_FORMS": "1"}),
    Visit("people:register_member_duplicates", STAFF, method="post", data=lambda w: {
        "index": "0", "village": w.patient.village_id, "members-0-family_name": w.patient.family_name,
        "members-0-middle_name": w.patient.middle_name, "members-0-given_name": w.patient.given_name,
        "members-0-sex": w.patient.sex, "members-0-birth_date": w.patient.birth_date.isoformat(),
        "members-0-phone": w.patient.phone}),
    Visit("people:register_import", STAFF, method="post", data=_bad_xlsx),
    Visit("people:register_import", STAFF, method="post", data=_csv_without_columns),
    Visit("people:register_resident_edit", STAFF, lambda w: [w.patient.pk], method="post",
          data=lambda w: {"family_name": "", "birth_date": "31/02/1990", "cccd": "123"}),
    Visit("people:register_section", STAFF, lambda w: [w.patient.pk, "risk_factors"], method="post",
          data=lambda w: {"risk_factors-tobacco_per_day": "nhiều"}, status=422),
    Visit("people:register_entry_add", STAFF, lambda w: [w.patient.pk, "medical_history"], method="post",
          data=lambda w: {"entry-medical_history-whose": "family"}, status=422),
    *(Visit("people:register_event", STAFF, lambda w, k=kind: [w.patient.pk, k], method="post")
      for kind in ("birth", "death", "move")),
    Visit("people:dedup-decide", STAFF, lambda w: [w.candidate.pk], method="post", data=lambda w: {"decision": "?"}),
    Visit("clinical:visit_new", STAFF, lambda w: [w.patient.pk], method="post",
          data=lambda w: {"occurred_at": "", "systolic": "300", "temperature": "abc"}, status=422),
    Visit("clinical:condition_new", STAFF, lambda w: [w.patient.pk], method="post",
          data=lambda w: {"icd10_code": "XYZ"}),
    Visit("clinical:visit_void", STAFF, lambda w: [w.encounter.pk], method="post", data=lambda w: {"reason": ""}),
    Visit("surveillance:case_create", STAFF, method="post", data=lambda w: {"disease": "soi", "age_years": "-1"}),
    Visit("surveillance:case_detail", STAFF, lambda w: [w.case.pk], method="post",
          data=lambda w: {"classification": "?"}),
    Visit("surveillance:weekly_report", STAFF, method="post", data=lambda w: {"cases_quai_bi": "ba"}),
    Visit("surveillance:signal_detail", PROVINCE, lambda w: [w.signal.pk], method="post",
          data=lambda w: {"to_status": "confirmed", "note": ""}),
    Visit("people:dedup-scan", STAFF, method="post"),
    Visit("people:register_entry_delete", STAFF, lambda w: [w.patient.pk, "allergies", w.allergy.pk], method="post"),
    Visit("clinical:condition_resolve", STAFF, lambda w: [w.condition.pk], method="post"),
    Visit("surveillance:alert_acknowledge", PROVINCE, lambda w: [w.open_alert.pk], method="post"),
    Visit("people:dedup-undo", STAFF, lambda w: [w.merge.pk], method="post"),
    Visit("people:dedup-merge", STAFF, lambda w: [w.merge.pk]),  # after the undo: "undone by"
    Visit("set_language", STAFF, method="post", data=lambda w: {"next": "/"}),
    Visit("logout", STAFF, method="post"),
]


def page_names() -> set[str]:
    """The names of every URL of the web interface (the JSON API under /api/ excluded)."""
    def walk(patterns: list, namespace: str) -> list[str]:
        names = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "api":
                    names += walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
        return names

    return set(walk(get_resolver().url_patterns, ""))


def known_codes() -> frozenset[str]:
    """Codes that must never be shown as such: roles, record sections, detection methods, field names and choice
    values of every ytcs model. A code that is also a word of some Vietnamese message (``con``, ``ta``) is left out."""
    codes = set(Role.values) | set(SECTIONS) | set(ONE_TO_ONE_SECTIONS) | set(LIST_SECTIONS) | set(METHODS)
    for config in apps.get_app_configs():
        if config.name.startswith("ytcs."):
            for model in config.get_models():
                codes.update(f.name for f in model._meta.get_fields())
                for f in model._meta.concrete_fields:
                    codes.update(str(v) for v, _ in f.flatchoices if isinstance(v, str) and len(v) > 2)
    vietnamese = _vietnamese_words()
    return frozenset(c for c in codes if c.islower() and c not in vietnamese)


def _vietnamese_words() -> set[str]:
    return {w for catalogue in catalogues() for msgid in catalogue for w in WORD.findall(msgid.lower())}


def data_words() -> frozenset[str]:
    """Vietnamese that belongs on an English page: words typed into the register (names of people, places and
    diseases, free text) and the Vietnamese terms the English catalogues quote on purpose ("thuốc lào")."""
    words = {w for catalogue in catalogues("en") for msgstr in catalogue.values() for w in WORD.findall(msgstr)}
    for config in apps.get_app_configs():
        if config.name.startswith("ytcs."):
            for model in config.get_models():
                texts = [f.name for f in model._meta.concrete_fields  # a disease has an English name too
                         if isinstance(f, models.CharField | models.TextField) and f.name != "name_vi"]
                for row in model._base_manager.values_list(*texts) if texts else []:
                    words.update(w for value in row if value for w in WORD.findall(str(value)))
    return frozenset(words)


@dataclass
class Checked:
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _open(client: Client, world: PageWorld, visit: Visit, language: str) -> tuple[str, object]:
    client.logout()
    if visit.role:
        client.force_login(world.users[visit.role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse(visit.name, args=visit.args(world)) + (f"?{visit.query}" if visit.query else "")
    data = visit.data(world)
    if visit.name == "set_language":
        data["language"] = language
    response = getattr(client, visit.method)(url, data, follow=True)
    return url, response


def check_every_page(client: Client, language: str) -> Checked:
    world = build_page_world(client)
    codes, words = known_codes(), data_words()
    checked = Checked()
    for visit in GETS + POSTS:
        url, response = _open(client, world, visit, language)
        where = f"{visit.method.upper()} {url} as {visit.role or 'anonymous'} ({language})"
        if response.status_code != visit.status:
            checked.failures.append(f"{where}: status {response.status_code}, expected {visit.status}")
            continue
        html = response.content.decode()
        if page_language(html) not in (None, language):
            checked.failures.append(f"{where}: the page says it is in {page_language(html)!r}")
        chunks = visible_text(html, language)
        if language == "vi":
            offences = vietnamese_page_offences(chunks, codes=codes, allowed=ALLOWED_CODES)
        else:
            offences = english_page_offences(chunks, data_words=words, allowed=ALLOWED_CODES)
        checked.lines.append(f"{where} → {response.status_code}, {len(chunks)} pieces of text")
        checked.failures += [f"{where}: {offence}" for offence in dict.fromkeys(offences)]
    return checked


def test_every_page_has_a_visit():
    visited = {v.name for v in GETS + POSTS}
    missing = page_names() - visited - set(NOT_PAGES)
    assert not missing, f"pages without a visit in test_vietnamese_pages.py: {sorted(missing)}"
    assert not (visited - page_names()), "visits of pages that no longer exist"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_speaks_one_language_and_shows_no_internal_codes(client, language):
    checked = check_every_page(client, language)
    print(f"\nChecked {len(checked.lines)} pages in {language}:", *checked.lines, sep="\n  ")
    assert not checked.failures, f"{len(checked.failures)} problems:\n" + "\n".join(checked.failures)


@pytest.mark.parametrize(("text", "kind"), [
    ("Quá hạn 1 week, 3 days", "English"),
    ("Hồ sơ liên quan: lịch sử cư trús", "English plural"),
    ("people.LifeEvent.resident : 1", "model label"),
    ("Loại dữ liệu: surveillance.CaseReport", "model label"),
    ("Vai trò: system_admin", "internal code"),
    ("Còn thiếu: contact, risk_factors", "internal code"),
    ("status: {'status': 'new'}", "Python repr"),
    ("Không đọc được tệp Excel: File is not a zip file", "English"),
    ("Đúng hạn khi gửi trước 17 giờ, ngày thứ 0 (0 = thứ Hai)", "weekday number"),
    ("Phương pháp: farrington-flexible", "internal code"),
])
def test_the_checks_catch_what_the_issue_reported(text, kind):
    html = f'<html lang="vi"><body><p>{text}</p><button lang="en">English</button></body></html>'
    offences = vietnamese_page_offences(visible_text(html, "vi"), codes=frozenset({"contact", "farrington-flexible"}),
                                        allowed=frozenset())
    assert kind in {o.kind for o in offences}
    assert not vietnamese_page_offences(["Quá hạn 1 tuần 3 ngày · Lịch sử cư trú"], codes=frozenset(),
                                        allowed=frozenset())


def test_an_english_page_with_a_vietnamese_message_id_is_caught():
    chunks = visible_text('<html lang="en"><p>Residents of Xã Hoà An</p><p>Còn thiếu</p></html>', "en")
    offences = english_page_offences(chunks, data_words=frozenset({"Xã", "Hoà"}), allowed=frozenset())
    assert [(o.kind, o.text) for o in offences] == [("untranslated Vietnamese", "Còn"),
                                                     ("untranslated Vietnamese", "thiếu")]


def test_text_in_another_language_and_in_scripts_is_not_read():
    html = '<p>Trang chủ<script>var week = 1;</script></p><button lang="en" title="Switch to English">English</button>'
    assert visible_text(html, "vi") == ["Trang chủ"]


def test_a_page_in_the_wrong_language_is_read_and_named():
    html = '<!doctype html><html lang="en"><h1>403 Forbidden</h1></html>'
    assert page_language(html) == "en" and visible_text(html, "vi") == ["403 Forbidden"]
    assert page_language("<li>Một dòng</li>") is None


def test_known_codes_include_roles_and_sections_but_not_vietnamese_words():
    codes = known_codes()
    assert {"system_admin", "risk_factors", "contact", "allergies", "relationship_to_head"} <= codes
    assert not {"con", "ta"} & codes


@pytest.mark.parametrize("language", ["vi", "en"])
def test_error_pages_speak_the_readers_language(rf, language):
    """400, 403, 500 and the CSRF failure have no URL of their own; Django's fallbacks are English."""
    from django.test import Client as BrowserClient
    from django.utils import translation
    from django.views import defaults

    client = BrowserClient(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = {"csrf": client.post(reverse("login"), {"username": "x", "password": "y"}).content.decode()}
    with translation.override(language):
        request = rf.get("/")
        pages["400"] = defaults.bad_request(request, Exception()).content.decode()
        pages["403"] = defaults.permission_denied(request, Exception()).content.decode()
        pages["500"] = defaults.server_error(request).content.decode()
    problems = []
    for name, html in pages.items():
        chunks = visible_text(html, language)
        offences = (vietnamese_page_offences(chunks, codes=frozenset(), allowed=frozenset()) if language == "vi"
                    else english_page_offences(chunks, data_words=data_words(), allowed=frozenset()))
        problems += [f"{name}: {o}" for o in offences]
        if page_language(html) != language or len(chunks) < 3:
            problems.append(f"{name}: lang={page_language(html)!r}, text={chunks}")
    assert not problems, "\n".join(problems)
