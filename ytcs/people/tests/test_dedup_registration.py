"""Likely duplicates shown before a registration is saved: service, household form, live check and API."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from ytcs.accounts.models import Role
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent
from ytcs.people.dedup.models import CandidateStatus, DuplicateCandidate
from ytcs.people.dedup.registration import DifferentPeople, DuplicatesFound, likely_duplicates
from ytcs.people.dedup.services import duplicates_scan_commune
from ytcs.people.inputs import ResidentFields
from ytcs.people.models import Household, Resident
from ytcs.people.services import household_register, resident_create
from ytcs.people.tests.factories import UserFactory, acting, make_world, person_fields

pytestmark = pytest.mark.django_db

# A second registration of the same man: no CCCD this time, the same name, birth date and phone.
AGAIN = {"family_name": "Nông", "middle_name": "Văn", "given_name": "Dền", "sex": "M",
         "birth_date": datetime.date(1980, 3, 2), "ethnicity": "Tày", "phone": "0912345678"}


@pytest.fixture
def world():
    world = make_world()
    world["existing"] = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                                        fields=person_fields(village=world["village_a"]))
    return world


def shown_events():
    return AuditEvent.objects.filter(action="list", resource_type="people.Resident",
                                     changes__duplicate_check="registration")


# --- service ---


def test_a_likely_duplicate_stops_the_registration_and_the_candidates_shown_are_audited(world):
    with pytest.raises(DuplicatesFound) as caught:
        resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                        fields=ResidentFields(**AGAIN, village=world["village_a"]))
    [match] = caught.value.matches[0]
    assert match.resident == world["existing"] and match.score.level == "likely"
    assert "Trùng ngày sinh" in match.reasons and "Cùng số điện thoại" in match.reasons
    assert [(e.field, e.code) for e in caught.value.errors] == [(None, "possible_duplicate")]
    assert Resident.objects.count() == 1
    event = shown_events().get()
    assert list(event.subjects.values_list("resident_id", flat=True)) == [world["existing"].pk]


def test_another_person_with_a_reason_is_saved_and_the_decision_kept_off_the_queue(world):
    existing = world["existing"]
    answer = DifferentPeople(frozenset({existing.pk}), "Khác bố mẹ, đã hỏi trực tiếp")
    new = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], different_from=answer,
                          fields=ResidentFields(**AGAIN, village=world["village_a"]))
    decision = DuplicateCandidate.objects.get()
    assert (decision.left_id, decision.right_id) == (existing.pk, new.pk)
    assert decision.status == CandidateStatus.NOT_DUPLICATE and decision.reviewed_by == world["nurse_a"]
    assert decision.decision_note == "Khác bố mẹ, đã hỏi trực tiếp" and decision.level == "likely"
    audited = AuditEvent.objects.get(action="create", resource_type="people.DuplicateCandidate")
    assert set(audited.subjects.values_list("resident_id", flat=True)) == {existing.pk, new.pk}
    assert not shown_events().exists()  # answered: nothing was shown this time
    duplicates_scan_commune(context=AuditContext.system("dedup-scan"), commune=world["commune_a"])
    assert DuplicateCandidate.objects.get().status == CandidateStatus.NOT_DUPLICATE  # never proposed again


def test_an_answer_without_a_reason_or_not_covering_the_candidates_asks_again(world):
    existing = world["existing"]
    data = ResidentFields(**AGAIN, village=world["village_a"])
    with pytest.raises(DuplicatesFound) as caught:
        resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=data,
                        different_from=DifferentPeople(frozenset({existing.pk}), "  "))
    assert caught.value.missing_reason == {0}
    assert ("not_duplicate_reason", "required") in {(e.field, e.code) for e in caught.value.errors}
    with pytest.raises(DuplicatesFound):
        resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=data,
                        different_from=DifferentPeople(frozenset({existing.pk + 100}), "Người khác"))
    assert Resident.objects.count() == 1


def test_residents_outside_the_users_scope_are_never_candidates(world):
    resident_create(context=acting(world["nurse_b"]), commune=world["commune_b"],
                    fields=ResidentFields(**AGAIN, village=world["village_b"]))
    assert not shown_events().exists()
    assert Resident.objects.count() == 2
    # A village health worker opens only their own village's records: the resident of the next one is no candidate.
    again = Resident(commune=world["commune_a"], village=world["village_a2"], **AGAIN)
    nurse, vhw = world["nurse_a"], UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world["village_a2"])
    assert [m.resident for m in likely_duplicates(actor=nurse, resident=again, commune=world["commune_a"])] == [
        world["existing"]]
    assert likely_duplicates(actor=vhw, resident=again, commune=world["commune_a"]) == []


def test_a_namesake_born_on_another_day_is_not_a_candidate(world):
    resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                    fields=ResidentFields(**{**AGAIN, "birth_date": datetime.date(1980, 11, 23),
                                             "phone": "0987654321"}, village=world["village_a"]))
    assert Resident.objects.count() == 2 and not shown_events().exists()


def test_a_household_member_already_registered_stops_the_household(world):
    spouse = person_fields(given_name="Mai", middle_name="Thị", sex="F", cccd="004183004321",
                           birth_date=datetime.date(1983, 7, 9), relationship_to_head="head")
    members = [spouse, ResidentFields(**AGAIN, relationship_to_head="spouse")]
    with pytest.raises(DuplicatesFound) as caught:
        household_register(context=acting(world["nurse_a"]), commune=world["commune_a"], village=world["village_a"],
                           members=members)
    assert list(caught.value.matches) == [1]
    assert caught.value.errors[0].field == "members.1"
    assert not Household.objects.exists()
    answers = {1: DifferentPeople(frozenset({world["existing"].pk}), "Anh họ cùng tên")}
    household = household_register(context=acting(world["nurse_a"]), commune=world["commune_a"],
                                   village=world["village_a"], members=members, different_from=answers)
    assert household.members.count() == 2
    assert DuplicateCandidate.objects.get().decision_note == "Anh họ cùng tên"


# --- household form and its live check ---


def client_for(user, language="vi"):
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def household_post(world, members, **extra):
    data = {"code": "", "village": world["village_a"].pk, "address": "Xóm Dưới",
            "members-TOTAL_FORMS": str(len(members)), "members-INITIAL_FORMS": "0",
            "members-MIN_NUM_FORMS": "1", "members-MAX_NUM_FORMS": "30", **extra}
    for i, member in enumerate(members):
        data.update({f"members-{i}-{k}": v for k, v in member.items()})
    return data


FORM_MEMBER = {"family_name": "Nông", "middle_name": "Văn", "given_name": "Dền", "sex": "M",
               "birth_date": "1980-03-02", "relationship_to_head": "head", "ethnicity": "Tày", "phone": "0912345678"}


def test_household_form_shows_likely_duplicates_before_saving_then_saves_another_person(world):
    client = client_for(world["nurse_a"])
    url = reverse("people:register_household")
    response = client.post(url, household_post(world, [FORM_MEMBER]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Có thể người này đã có trong sổ." in html and "Nông Văn Dền" in html
    assert reverse("people:register_record", args=[world["existing"].pk]) in html  # "this is the same person"
    assert f'name="members-0-not_duplicate_of" value="{world["existing"].pk}"' in html
    assert not Household.objects.exists()

    # Ticked without a reason: asked again, the reason field marked.
    ticked = household_post(world, [FORM_MEMBER], **{"members-0-not_duplicate": "on",
                                                      "members-0-not_duplicate_of": str(world["existing"].pk)})
    html = client.post(url, ticked).content.decode()
    assert 'id="id_members-0-not_duplicate_reason_errors"' in html and not Household.objects.exists()

    ticked["members-0-not_duplicate_reason"] = "Khác bố mẹ"
    response = client.post(url, ticked)
    assert response.status_code == 302
    household = Household.objects.get()
    assert response["Location"] == reverse("people:register_record", args=[household.head_id])
    decision = DuplicateCandidate.objects.get()
    assert decision.decision_note == "Khác bố mẹ"
    # The reviewer finds the decision, its author and reason among the pairs that are not duplicates.
    pair = client.get(reverse("people:dedup-pair", args=[decision.pk])).content.decode()
    assert "Không trùng" in pair and "Lý do: Khác bố mẹ" in pair and world["nurse_a"].username in pair


def test_the_live_check_shows_the_panel_for_one_row_and_audits_it(world):
    data = household_post(world, [FORM_MEMBER], index="0")
    html = client_for(world["nurse_a"]).post(reverse("people:register_member_duplicates"), data).content.decode()
    assert "Nông Văn Dền" in html and "Trùng ngày sinh" in html and 'name="members-0-not_duplicate"' in html
    assert shown_events().count() == 1
    english = client_for(world["nurse_a"], "en").post(reverse("people:register_member_duplicates"), data)
    assert "This person may already be on the register." in english.content.decode()
    # Another commune's nurse sees nothing of commune A's resident; a provincial viewer may not register at all (403).
    other = client_for(world["nurse_b"]).post(reverse("people:register_member_duplicates"),
                                              {**data, "village": world["village_b"].pk})
    assert other.status_code == 200 and "Nông Văn Dền" not in other.content.decode()
    assert client_for(world["provincial"]).post(reverse("people:register_member_duplicates"),
                                                data).status_code == 403
    assert shown_events().count() == 2


# --- API ---


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


API_MEMBER = {"family_name": "Nông", "middle_name": "Văn", "given_name": "Dền", "sex": "M",
              "birth_date": "1980-03-02", "ethnicity": "Tày", "phone": "0912345678"}


def test_api_answers_409_with_the_candidates_then_201_when_the_client_confirms(world):
    client = client_for(world["nurse_a"])
    body = {**API_MEMBER, "commune": world["commune_a"].pk, "village": world["village_a"].pk}
    response = post(client, "/api/people/residents", body)
    assert response.status_code == 409
    payload = response.json()
    assert payload["errors"][0]["code"] == "possible_duplicate"
    [candidate] = payload["candidates"]
    assert candidate["id"] == world["existing"].pk and candidate["full_name"] == "Nông Văn Dền"
    assert candidate["level"] == "likely" and candidate["birth_date"] == "1980-03-02"
    assert {"code": "same_phone", "label": "Cùng số điện thoại", "points": 2.0} in candidate["reasons"]
    assert "cccd" not in candidate and "phone" not in candidate
    confirmed = post(client, "/api/people/residents", {**body, "not_duplicate_of": [world["existing"].pk],
                                                       "not_duplicate_reason": "Người khác, cùng tên"})
    assert confirmed.status_code == 201, confirmed.content
    assert DuplicateCandidate.objects.get().right_id == confirmed.json()["id"]


def test_api_household_409_names_the_member(world):
    client = client_for(world["nurse_a"])
    body = {"commune": world["commune_a"].pk, "village": world["village_a"].pk,
            "members": [{**API_MEMBER, "relationship_to_head": "head"}]}
    response = post(client, "/api/people/households", body)
    assert response.status_code == 409
    assert response.json()["candidates"][0]["member"] == 0
    assert response.json()["errors"][0]["field"] == "members.0"
    body["members"][0].update(not_duplicate_of=[world["existing"].pk], not_duplicate_reason="Người khác")
    assert post(client, "/api/people/households", body).status_code == 201
