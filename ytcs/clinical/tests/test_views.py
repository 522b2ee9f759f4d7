import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from ytcs.accounts.models import Role
from ytcs.audit.models import AuditEvent
from ytcs.audit.vocabulary import ResourceType
from ytcs.clinical.models import Encounter
from ytcs.clinical.tests.factories import EncounterFactory, ResidentFactory, UserFactory


def _form(**overrides):
    data = {
        "occurred_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "payer": "bhyt",
        "outcome": "treated",
        "reason": "Đau đầu",
        "systolic": "158",
        "diastolic": "96",
        "weight_kg": "61,5",
        "height_cm": "158",
        "dx-code": ["I10", "R51"],
        "dx-primary": "I10",
        "dx-note": ["", ""],
        "rx-drug_name": ["Amlodipin", ""],
        "rx-strength": ["5 mg", ""],
        "rx-dose_instructions": ["1 viên/ngày", ""],
        "rx-quantity": ["30", ""],
        "rx-unit": ["viên", "viên"],
        "rx-days": ["30", ""],
    }
    data.update(overrides)
    return data


def test_form_page_offers_the_icd_picker_and_defaults_payer_from_the_card(client, place, patient):
    client.force_login(place.nurse_a)
    response = client.get(f"/clinical/residents/{patient.pk}/visits/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-get="/clinical/icd10/search/"' in html
    assert '<option value="bhyt" selected>' in html
    assert patient.cccd not in html


def test_valid_form_saves_and_redirects_to_the_visit(client, place, patient):
    client.force_login(place.nurse_a)
    response = client.post(f"/clinical/residents/{patient.pk}/visits/new/", _form())
    encounter = Encounter.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/clinical/visits/{encounter.pk}/"
    assert encounter.weight_kg == 61.5 and encounter.bmi == 24.6
    assert list(encounter.diagnoses.values_list("icd10_code", "is_primary")) == [("I10", True), ("R51", False)]
    assert encounter.prescription_lines.count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert "Tăng huyết áp độ 1" in detail and "Amlodipin" in detail


def test_invalid_form_shows_each_error_beside_its_field_and_keeps_input(client, place, patient):
    client.force_login(place.nurse_a)
    url = f"/clinical/residents/{patient.pk}/visits/new/"
    response = client.post(url, _form(systolic="400", **{"rx-quantity": ["0", ""]}))
    assert response.status_code == 422
    html = response.content.decode()
    systolic = html.index('name="systolic"')
    assert html.index("Huyết áp tâm thu phải trong khoảng 60–300 mmHg", systolic) - systolic < 300
    assert 'value="400"' in html and 'aria-invalid="true"' in html
    assert "Số lượng phải trong khoảng 1–10000" in html
    assert not Encounter.objects.exists()


def test_a_wrong_type_gets_the_apis_message_beside_its_field(client, place, patient):
    """The form builds the API's typed input: a wrong type reads as the API says it, where it was typed."""
    client.force_login(place.nurse_a)
    url = f"/clinical/residents/{patient.pk}/visits/new/"
    response = client.post(url, _form(temperature="abc", pulse="80,5", **{"rx-quantity": ["ba", ""]}))
    assert response.status_code == 422
    html = response.content.decode()
    temperature = html.index('name="temperature"')
    assert html.index("Cần một số.", temperature) - temperature < 300
    pulse = html.index('name="pulse"')
    assert html.index("Cần một số nguyên.", pulse) - pulse < 300
    quantity = html.index('name="rx-quantity"')
    assert html.index("Cần một số.", quantity) - quantity < 300
    assert 'value="abc"' in html and 'value="ba"' in html
    assert not Encounter.objects.exists()


def test_a_required_field_left_blank_is_named(client, place, patient):
    client.force_login(place.nurse_a)
    response = client.post(f"/clinical/residents/{patient.pk}/visits/new/", _form(occurred_at=""))
    html = response.content.decode()
    occurred = html.index('name="occurred_at"')
    assert html.index("Trường này là bắt buộc.", occurred) - occurred < 300


def test_form_without_diagnosis_says_so(client, place, patient):
    client.force_login(place.nurse_a)
    response = client.post(f"/clinical/residents/{patient.pk}/visits/new/", _form(**{"dx-code": [], "dx-note": []}))
    assert "Cần ít nhất một chẩn đoán (mã ICD-10)" in response.content.decode()


def test_form_is_404_outside_the_search_scope_and_403_where_the_role_may_not_record(client, place, patient):
    """The refusal rule: a nurse of another commune cannot see the resident (404); a provincial user who opens
    records sees them but may not record a visit (403). Both refusals are audited, naming the resident."""
    encounter = EncounterFactory(resident=patient)
    client.force_login(place.nurse_b)
    assert client.get(f"/clinical/residents/{patient.pk}/visits/new/").status_code == 404
    assert client.post(f"/clinical/residents/{patient.pk}/visits/new/", _form()).status_code == 404
    assert client.get(f"/clinical/visits/{encounter.pk}/edit/").status_code == 404
    client.force_login(place.provincial)
    assert client.get(f"/clinical/residents/{patient.pk}/visits/new/").status_code == 403
    assert client.post(f"/clinical/residents/{patient.pk}/visits/new/", _form()).status_code == 403
    assert client.get(f"/clinical/visits/{encounter.pk}/edit/").status_code == 403
    assert client.post(f"/clinical/visits/{encounter.pk}/edit/", _form()).status_code == 403
    assert client.post(f"/clinical/visits/{encounter.pk}/void/", {"reason": "x"}).status_code == 403
    assert client.post(f"/clinical/residents/{patient.pk}/conditions/new/", {"icd10_code": "I10"}).status_code == 403
    assert Encounter.objects.get() == encounter and not encounter.diagnoses.exists()
    refused = AuditEvent.objects.filter(action="denied")
    assert refused.filter(actor=place.nurse_b).count() == 3 and refused.filter(actor=place.provincial).count() == 6
    assert {s.resident_id for e in refused for s in e.subjects.all()} == {patient.pk}
    assert not AuditEvent.objects.filter(action="view").exists()


def test_a_system_administrator_is_offered_no_visit_links(client, place, patient):
    """demo_admin opens records but does not record visits: no "Ghi lượt khám", no correction or problem-list
    forms on the resident page, the timeline or a visit; the nurse of the commune gets them all."""
    admin = UserFactory(org_unit=place.province, role=Role.SYSTEM_ADMIN)
    encounter = EncounterFactory(resident=patient)
    pages = (
        f"/people/{patient.pk}/",
        f"/clinical/residents/{patient.pk}/timeline/",
        f"/clinical/visits/{encounter.pk}/",
    )
    offered = (
        f"/clinical/residents/{patient.pk}/visits/new/",
        f"/clinical/visits/{encounter.pk}/edit/",
        f"/clinical/residents/{patient.pk}/conditions/new/",
    )
    for user, expected in ((admin, set()), (place.nurse_a, set(offered))):
        client.force_login(user)
        links = set()
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            links |= {url for url in offered if url in response.content.decode()}
        assert links == expected, user.role
    client.force_login(admin)
    assert client.get(offered[0]).status_code == 403


def _earlier_visit(patient, **vitals):
    """A visit on 12/03/2026 at 09:00 Vietnam time (a date before any run of these tests)."""
    occurred = timezone.make_aware(datetime(2026, 3, 12, 9, 0), ZoneInfo("Asia/Ho_Chi_Minh"))
    return EncounterFactory(resident=patient, occurred_at=occurred, **vitals)


def test_new_visit_form_shows_the_last_height_beside_an_empty_field(client, place, patient):
    _earlier_visit(patient, height_cm=162, weight_kg=61.5)
    client.force_login(place.nurse_a)
    html = client.get(f"/clinical/residents/{patient.pk}/visits/new/").content.decode()
    assert re.search(r'<input id="id_height_cm"[^>]*value=""', html)
    assert re.search(r'<input id="id_weight_kg"[^>]*value=""', html)
    assert "Lần đo trước: 162 cm, 12/03/2026" in html
    assert "Lần đo trước: 61,5 kg, 12/03/2026" in html
    client.cookies["django_language"] = "en"
    html = client.get(f"/clinical/residents/{patient.pk}/visits/new/").content.decode()
    assert "Last measured: 162 cm, 12/03/2026" in html and "Last measured: 61.5 kg, 12/03/2026" in html


def test_a_new_visit_without_height_saves_no_height_and_no_bmi(client, place, patient):
    _earlier_visit(patient, height_cm=162)
    client.force_login(place.nurse_a)
    response = client.post(f"/clinical/residents/{patient.pk}/visits/new/", _form(height_cm=""))
    assert response.status_code == 302
    encounter = Encounter.objects.exclude(height_cm=162).get()
    assert (encounter.weight_kg, encounter.height_cm, encounter.bmi) == (61.5, None, None)


def test_the_hint_while_editing_a_visit_comes_from_earlier_visits(client, place, patient):
    _earlier_visit(patient, height_cm=162)
    client.force_login(place.nurse_a)
    client.post(f"/clinical/residents/{patient.pk}/visits/new/", _form(height_cm="160"))
    encounter = Encounter.objects.get(height_cm=160)
    html = client.get(f"/clinical/visits/{encounter.pk}/edit/").content.decode()
    assert re.search(r'<input id="id_height_cm"[^>]*value="160', html)
    assert "Lần đo trước: 162 cm, 12/03/2026" in html


def test_opening_the_visit_form_is_audited(client, place, patient):
    client.force_login(place.nurse_a)
    client.get(f"/clinical/residents/{patient.pk}/visits/new/")
    opened = AuditEvent.objects.get(action="view")
    assert (opened.actor, opened.resource_type, opened.resource_id) == (
        place.nurse_a,
        ResourceType.RESIDENT,
        str(patient.pk),
    )
    assert list(opened.subjects.values_list("resident_id", flat=True)) == [patient.pk]
    encounter = _earlier_visit(patient)
    client.get(f"/clinical/visits/{encounter.pk}/edit/")
    edited = AuditEvent.objects.filter(action="view").latest("pk")
    assert (edited.resource_type, edited.resource_id) == (ResourceType.ENCOUNTER, str(encounter.pk))
    assert list(edited.subjects.values_list("resident_id", flat=True)) == [patient.pk]


def test_a_refused_visit_form_leaves_no_view_in_the_audit_trail(client, place, patient):
    client.force_login(place.nurse_b)
    assert client.get(f"/clinical/residents/{patient.pk}/visits/new/").status_code == 404
    assert not AuditEvent.objects.filter(action="view").exists()


def test_icd_picker_partial_and_diagnosis_row(client, place):
    client.force_login(place.nurse_a)
    html = client.get("/clinical/icd10/search/", {"q": "tăng huyết áp"}).content.decode()
    assert html.index("I10") < html.index("O13")
    assert "Tăng huyết áp vô căn (nguyên phát)" in html
    row = client.get("/clinical/icd10/row/", {"code": "i10"}).content.decode()
    assert 'name="dx-code" value="I10"' in row and 'hx-swap-oob="true"' in row
    assert client.get("/clinical/icd10/row/", {"code": "nonsense"}).status_code == 404


def test_timeline_shows_visits_conditions_and_charts_and_is_audited(client, place, patient):
    client.force_login(place.nurse_a)
    for days, systolic in ((90, 162), (60, 150), (30, 138)):
        client.post(
            f"/clinical/residents/{patient.pk}/visits/new/",
            _form(
                occurred_at=(timezone.localtime() - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M"),
                systolic=str(systolic),
                diastolic="92",
            ),
        )
    response = client.get(f"/clinical/residents/{patient.pk}/timeline/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="visit-item"') == 3
    assert "Tăng huyết áp vô căn (nguyên phát)" in html
    assert html.count("<svg") == 2 and html.count('class="dot systolic"') == 3
    assert "HA 138/92" in html
    event = AuditEvent.objects.get(action="view", resource_type=ResourceType.RESIDENT, changes={"view": "timeline"})
    assert list(event.subjects.values_list("resident_id", flat=True)) == [patient.pk]


def test_timeline_leaves_out_voided_visits_and_other_communes_residents(client, place, patient):
    EncounterFactory(resident=patient, systolic=120, diastolic=80, voided_at=timezone.now(), void_reason="x")
    client.force_login(place.nurse_a)
    assert 'class="visit-item"' not in client.get(f"/clinical/residents/{patient.pk}/timeline/").content.decode()
    stranger = ResidentFactory(village=place.village_b1)
    assert client.get(f"/clinical/residents/{stranger.pk}/timeline/").status_code == 404


def test_void_from_the_visit_page(client, place, patient):
    client.force_login(place.nurse_a)
    client.post(f"/clinical/residents/{patient.pk}/visits/new/", _form())
    encounter = Encounter.objects.get()
    blank = client.post(f"/clinical/visits/{encounter.pk}/void/", {"reason": "  "}, follow=True)
    assert "Trường này là bắt buộc." in blank.content.decode()
    encounter.refresh_from_db()
    assert not encounter.is_voided
    response = client.post(f"/clinical/visits/{encounter.pk}/void/", {"reason": "Nhập nhầm"})
    assert response.status_code == 302
    encounter.refresh_from_db()
    assert encounter.is_voided
