"""Births linked to the mother, deaths with an ICD-10 cause, moves that keep history and switch scope."""

import datetime

import pytest
from django.http import Http404

from ytcs.accounts.models import Role
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent
from ytcs.core.errors import DomainError, NotAllowed, OutOfScope
from ytcs.people.access import get_resident_for, scoped_residents
from ytcs.people.inputs import ResidentFields, section_input
from ytcs.people.life_events import birth_register, death_register, residence_move, residents_living_in
from ytcs.people.models import HealthProfile, LifeEvent, ResidenceHistory
from ytcs.people.services import household_register, resident_create
from ytcs.people.tests.factories import UserFactory, acting, make_world, person_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def family(world):
    household = household_register(
        context=acting(world["nurse_a"]), commune=world["commune_a"], village=world["village_a"], members=[
            person_fields(relationship_to_head="head"),
            person_fields(given_name="Mai", middle_name="Thị", sex="F", birth_date=datetime.date(1990, 7, 9),
                          cccd="004190004321", relationship_to_head="spouse"),
        ])
    return household, household.members.get(sex="F")


def test_birth_creates_child_in_mothers_household_linked_to_her(world, family):
    household, mother = family
    child = birth_register(context=acting(world["nurse_a"]), mother=mother, child=ResidentFields(
        family_name="Nông", given_name="Bình", sex="M", birth_date=datetime.date(2026, 1, 5)),
        birth_condition=section_input(HealthProfile)(birth_weight_g=3100, birth_delivery="vaginal",
                                                     birth_preterm=False))
    child.refresh_from_db()
    assert child.mother == mother
    assert (child.household, child.village, child.commune) == (household, mother.village, mother.commune)
    assert child.relationship_to_head == "child"
    assert child.ethnicity == "Tày"
    assert child.health_profile.birth_weight_g == 3100
    assert LifeEvent.objects.get(resident=child).kind == "birth"
    assert ResidenceHistory.objects.get(resident=child).valid_from == datetime.date(2026, 1, 5)
    assert AuditEvent.objects.filter(resource_id=str(mother.pk), subjects__resident_id=child.pk).exists()


def test_birth_refuses_a_male_mother(world, family):
    father = family[0].head
    with pytest.raises(DomainError) as exc:
        birth_register(context=acting(world["nurse_a"]), mother=father, child=ResidentFields(
            family_name="Nông", given_name="Bình", sex="M", birth_date=datetime.date(2026, 1, 5)))
    assert [(e.field, e.code) for e in exc.value.errors] == [(None, "mother_not_female")]


def test_birth_errors_name_the_part_of_the_input_they_come_from(world, family):
    _, mother = family
    with pytest.raises(DomainError) as exc:
        birth_register(context=acting(world["nurse_a"]), mother=mother,
                       child=ResidentFields(family_name="Nông", sex="M", birth_date=datetime.date(2026, 1, 5)),
                       birth_condition=section_input(HealthProfile)(birth_weight_g=30))
    assert [(e.field, e.code) for e in exc.value.errors] == [("child.given_name", "required")]
    with pytest.raises(DomainError) as exc:
        birth_register(context=acting(world["nurse_a"]), mother=mother, child=ResidentFields(
            family_name="Nông", given_name="Bình", sex="M", birth_date=datetime.date(2026, 1, 5)),
            birth_condition=section_input(HealthProfile)(birth_weight_g=30))
    assert [(e.field, e.code) for e in exc.value.errors] == [("birth_condition.birth_weight_g", "out_of_range")]
    assert mother.children.count() == 0  # nothing of the birth was kept


def test_death_with_icd10_cause(world, family):
    head = family[0].head
    death_register(context=acting(world["nurse_a"]), resident=head, died_on=datetime.date(2026, 3, 1),
                   cause_icd10="i219")
    head.refresh_from_db()
    assert (head.date_of_death, head.cause_of_death_icd10) == (datetime.date(2026, 3, 1), "I21.9")
    event = LifeEvent.objects.get(resident=head, kind="death")
    assert event.cause_icd10 == "I21.9"


def test_death_refuses_unknown_icd_and_future_date(world, family):
    head = family[0].head
    with pytest.raises(DomainError) as exc:
        death_register(context=acting(world["nurse_a"]), resident=head, died_on=datetime.date(2999, 1, 1),
                       cause_icd10="K999")
    assert {e.code for e in exc.value.errors} == {"death_date_range", "icd10_unknown"}
    assert "K999" in exc.value.errors[1].message
    head.refresh_from_db()
    assert head.date_of_death is None


def test_move_out_keeps_history_and_switches_scope(world, family):
    household, mother = family
    moved_on = datetime.date(2026, 6, 1)
    before_move = datetime.date(2026, 5, 1)
    ResidenceHistory.objects.filter(resident=mother).update(valid_from=datetime.date(2020, 1, 1))
    residence_move(context=acting(world["nurse_a"]), resident=mother, to_commune=world["commune_b"],
                   to_village=world["village_b"], moved_on=moved_on)
    mother.refresh_from_db()
    assert household.head_id != mother.pk
    assert mother.commune == world["commune_b"] and mother.household is None
    periods = list(ResidenceHistory.objects.filter(resident=mother).order_by("valid_from")
                   .values_list("commune", "valid_from", "valid_to"))
    assert periods == [(world["commune_a"].pk, datetime.date(2020, 1, 1), moved_on),
                       (world["commune_b"].pk, moved_on, None)]
    # Scope follows the current commune.
    assert not scoped_residents(world["nurse_a"]).filter(pk=mother.pk).exists()
    with pytest.raises(Http404):
        get_resident_for(AuditContext(world["nurse_a"]), mother.pk)
    assert get_resident_for(AuditContext(world["nurse_b"]), mother.pk) == mother
    # The old commune still counts her for the time she lived there.
    assert mother in residents_living_in(commune=world["commune_a"], on=before_move)
    assert mother not in residents_living_in(commune=world["commune_a"], on=moved_on)
    assert mother in residents_living_in(commune=world["commune_b"], on=moved_on)
    kinds = set(LifeEvent.objects.filter(resident=mother).values_list("kind", "commune"))
    assert {("move_out", world["commune_a"].pk), ("move_in", world["commune_b"].pk)} <= kinds


def test_move_can_only_be_recorded_by_the_commune_the_person_leaves(world, family):
    _, mother = family
    with pytest.raises(OutOfScope):
        residence_move(context=acting(world["nurse_b"]), resident=mother, to_commune=world["commune_b"],
                       moved_on=datetime.date(2026, 6, 1))
    epidemiologist = UserFactory(username="epi", role=Role.PROVINCIAL, org_unit=world["province"],
                                 may_open_records=True)
    with pytest.raises(NotAllowed):  # may open her record, but the province records no event in a commune
        residence_move(context=acting(epidemiologist), resident=mother, to_commune=world["commune_b"],
                       moved_on=datetime.date(2026, 6, 1))
    refused = AuditEvent.objects.filter(action="denied", subjects__resident_id=mother.pk)
    assert sorted(refused.values_list("actor__username", flat=True)) == ["epi", "nurse_b"]


def test_move_refuses_a_village_of_another_commune(world, family):
    _, mother = family
    ResidenceHistory.objects.filter(resident=mother).update(valid_from=datetime.date(2020, 1, 1))
    with pytest.raises(DomainError) as exc:
        residence_move(context=acting(world["nurse_a"]), resident=mother, to_commune=world["commune_b"],
                       to_village=world["village_a2"], moved_on=datetime.date(2026, 6, 1))
    assert [e.field for e in exc.value.errors] == ["to_village"]


def test_a_deceased_person_is_not_counted_after_death(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields(),
                               registered_on=datetime.date(2020, 1, 1))
    death_register(context=acting(world["nurse_a"]), resident=resident, died_on=datetime.date(2026, 1, 1),
                   cause_icd10="R99")
    assert resident in residents_living_in(commune=world["commune_a"], on=datetime.date(2025, 12, 31))
    assert resident not in residents_living_in(commune=world["commune_a"], on=datetime.date(2026, 1, 2))
