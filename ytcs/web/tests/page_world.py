"""A small commune with something on every page, built through the services a station would use.

The every-page test (``test_vietnamese_pages.py``) needs a real object behind each URL parameter and the
kinds of text that leak codes when rendered carelessly: durations (overdue alerts), record sections still
missing, a duplicate pair and a merge with linked rows, audit events with every shape of ``changes``.
Usernames have no underscore, so any snake_case word on a page is a leaked code.
"""

import datetime as dt
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone

from ytcs.accounts.models import Role, User
from ytcs.accounts.services import user_create
from ytcs.audit.context import AuditContext
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.clinical.models import Condition, Encounter
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.tests.factories import OrgUnitFactory
from ytcs.people.dedup.models import DuplicateCandidate, MergeLog
from ytcs.people.dedup.services import duplicates_scan_commune, resident_merge
from ytcs.people.inputs import ResidentFields, section_values
from ytcs.people.life_events import residence_move
from ytcs.people.models import Allergy, Household, Resident
from ytcs.people.sections import section_entry_add, section_save
from ytcs.people.services import household_register, resident_create
from ytcs.people.tests.factories import person
from ytcs.surveillance import services as surveillance
from ytcs.surveillance.diseases import ensure_diseases_loaded
from ytcs.surveillance.models import Alert, CaseReport, Signal
from ytcs.surveillance.tests.factories import report_case, submit_weekly
from ytcs.surveillance.weeks import last_complete_week
from ytcs.web.tests.factories import unit_tree


@dataclass
class PageWorld:
    """Everything a URL of the web interface can point at, and a user of each role."""

    units: dict[str, OrgUnit]
    users: dict[str, User]
    household: Household
    patient: Resident  # a woman of 35 with part of her QĐ 831 record filled
    child: Resident  # a toddler: birth condition required, nothing filled
    kept: Resident
    removed: Resident
    candidate: DuplicateCandidate
    merge: MergeLog
    encounter: Encounter
    condition: Condition
    case: CaseReport
    overdue_alert: Alert
    open_alert: Alert
    signal: Signal
    allergy: Allergy


def _users(units: dict[str, OrgUnit]) -> dict[str, User]:
    """One user per role; the administrator is created through the service so the trail records a role code."""
    admin = user_create(username="quantri", role=Role.SYSTEM_ADMIN, org_unit=units["country"], password=None)
    make = User.objects.create
    return {
        Role.VILLAGE_HEALTH_WORKER: make(username="ytethon", role=Role.VILLAGE_HEALTH_WORKER,
                                        org_unit=units["village_a"]),
        Role.STATION_STAFF: make(username="ytexa", role=Role.STATION_STAFF, org_unit=units["commune_a"],
                                 first_name="Lan", last_name="Trần Thị"),
        Role.STATION_HEAD: make(username="truongtram", role=Role.STATION_HEAD, org_unit=units["commune_a"]),
        Role.PROVINCIAL: make(username="sovtinh", role=Role.PROVINCIAL, org_unit=units["province"]),
        Role.NATIONAL_VIEWER: make(username="quocgia", role=Role.NATIONAL_VIEWER, org_unit=units["country"]),
        Role.SYSTEM_ADMIN: admin,
    }


def _people(nurse: User, units: dict[str, OrgUnit]) -> tuple[Household, Resident, Resident]:
    village = units["village_a"]
    household = household_register(context=AuditContext(actor=nurse), commune=units["commune_a"], village=village,
                                   address="Xóm Trên", members=[
                                       ResidentFields(**person(
                                           given_name="Mai", middle_name="Thị", sex="F",
                                           birth_date=timezone.localdate().replace(year=1990), cccd="004190001234",
                                           phone="0912345678", bhyt_card_number="GD4040123456789",
                                           bhyt_valid_from=dt.date(2025, 1, 1),
                                           bhyt_valid_to=timezone.localdate() + dt.timedelta(days=300),
                                           relationship_to_head="head")),
                                       ResidentFields(**person(given_name="Bé", birth_date=timezone.localdate().replace(
                                           year=timezone.localdate().year - 3), cccd=None, phone="",
                                           relationship_to_head="child")),
                                   ])
    patient, child = household.members.order_by("birth_date")
    return household, patient, child


def _record_sections(nurse: User, patient: Resident) -> Allergy:
    context = AuditContext(actor=nurse)
    section_save(context=context, resident=patient, fields=section_values(
        "risk_factors", {"tobacco": "none", "alcohol": "occasional", "physical_activity": "regular"}))
    allergy = section_entry_add(context=context, resident=patient, fields=section_values(
        "allergies", {"kind": "drug", "agent": "Penicillin", "reaction": "Mẩn đỏ"}))
    section_entry_add(context=context, resident=patient, fields=section_values(
        "medical_history", {"whose": "family", "relation": "Mẹ", "condition": "Tăng huyết áp", "icd10_code": "I10"}))
    return allergy


def _duplicates(nurse: User, units: dict[str, OrgUnit]) -> tuple[Resident, Resident, DuplicateCandidate, MergeLog]:
    """A pair left for review, and a merged pair whose removed record had a visit, a move and a register entry."""
    commune, context, village = units["commune_a"], AuditContext(actor=nurse), units["village_a"]
    first = resident_create(context=context, commune=commune, fields=ResidentFields(**person(
        given_name="Dền", cccd="004080009876", phone="0987654321", village=village)))
    resident_create(context=context, commune=commune, fields=ResidentFields(**person(
        given_name="Đền", family_name="Nong", cccd=None, phone="0987654321", village=village)),
        check_duplicates=False)  # the pair is meant to reach the review queue
    kept = resident_create(context=context, commune=commune, fields=ResidentFields(**person(
        given_name="Páo", family_name="Giàng", middle_name="A", birth_date=dt.date(1975, 4, 9),
        cccd="004075000111", phone="0911111111", village=village)))
    removed = resident_create(context=context, commune=commune, fields=ResidentFields(**person(
        given_name="Pao", family_name="Giang", middle_name="A", birth_date=dt.date(1975, 4, 9), cccd=None,
        phone="", social_insurance_number="0412345678", village=village)),
        registered_on=timezone.localdate() - dt.timedelta(days=60), check_duplicates=False)
    Encounter.objects.create(resident=removed, commune=commune, occurred_at=timezone.now() - dt.timedelta(days=40),
                             payer="bhyt", outcome="treated")
    residence_move(context=context, resident=removed, to_commune=commune, to_village=units["village_a2"],
                   moved_on=timezone.localdate() - dt.timedelta(days=10))
    duplicates_scan_commune(context=AuditContext.system("dedup-scan"), commune=commune)
    candidate = DuplicateCandidate.objects.get(left=first)
    merge = resident_merge(context=context, keep=kept, remove=removed)
    return kept, removed, candidate, merge


def _visit(client: Client, nurse: User, patient: Resident) -> tuple[Encounter, Condition]:
    """A hypertension visit recorded through the API, as the station's app does (audited with its diff)."""
    client.force_login(nurse)
    body = {
        "occurred_at": (timezone.localtime() - dt.timedelta(hours=1)).isoformat(), "payer": "bhyt",
        "outcome": "treated", "reason": "Đau đầu", "systolic": 165, "diastolic": 100, "pulse": 80, "weight_kg": 52,
        "height_cm": 155, "temperature": 38.6, "diagnoses": [{"code": "I10", "is_primary": True}],
        "prescriptions": [{"drug_name": "Amlodipin", "strength": "5 mg", "dose_instructions": "Uống 1 viên buổi sáng",
                           "quantity": 30, "days": 30}],
    }
    response = client.post(f"/api/clinical/residents/{patient.pk}/encounters", body, content_type="application/json")
    assert response.status_code in (200, 201), response.content
    client.logout()
    return Encounter.objects.get(resident=patient), Condition.objects.get(resident=patient)


def _surveillance(nurse: User, provincial: User, units: dict[str, OrgUnit], patient: Resident) -> tuple:
    """Measles cases: one reported 11 days after diagnosis (overdue by more than a week), one due in hours;
    a signal under investigation; last week's report submitted."""
    now = timezone.now()
    week = last_complete_week(timezone.localdate())
    case = report_case(nurse, disease="soi", resident=patient, diagnosed_at=now - dt.timedelta(days=11, hours=1),
                       onset_date=timezone.localdate() - dt.timedelta(days=13))
    fresh = report_case(nurse, disease="soi", village=units["village_a"], age_years=4, sex="M",
                        diagnosed_at=now - dt.timedelta(hours=5))
    signal = Signal.objects.create(unit=units["commune_a"], disease=case.disease, week_start=week,
                                   method="farrington-flexible", params={"alpha": 0.01, "b": 3}, count=2, expected=0.2,
                                   upperbound=1.1)
    signal.cases.add(case, fresh)
    surveillance.signal_review(signal, to_status="investigating", note="Đã cử đội điều tra",
                               context=AuditContext(actor=provincial))
    submit_weekly(nurse, week, {"quai_bi": (3, 0)})
    return case, Alert.objects.get(case=case), Alert.objects.get(case=fresh), signal


def build_page_world(client: Client) -> PageWorld:
    ensure_diseases_loaded()
    units = unit_tree()
    units["village_a2"] = OrgUnitFactory(name="Bản Chang", level=OrgUnit.Level.VILLAGE, parent=units["commune_a"])
    users = _users(units)
    nurse = users[Role.STATION_STAFF]
    household, patient, child = _people(nurse, units)
    allergy = _record_sections(nurse, patient)
    kept, removed, candidate, merge = _duplicates(nurse, units)
    encounter, condition = _visit(client, nurse, patient)
    case, overdue, open_alert, signal = _surveillance(nurse, users[Role.PROVINCIAL], units, patient)
    audit_record(context=AuditContext.system("users deactivate"), action="update", resource_type=ResourceType.USER,
                 resource_id=users[Role.STATION_HEAD].pk, changes={"is_active": [True, False]})
    return PageWorld(units, users, household, patient, child, kept, removed, candidate, merge, encounter, condition,
                     case, overdue, open_alert, signal, allergy)
