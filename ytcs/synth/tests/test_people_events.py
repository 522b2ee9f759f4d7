"""``ytcs synth-events``: births, deaths and moves of a synthetic province — rates, links, history, refusals."""

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ytcs.audit.models import AuditEvent
from ytcs.orgunits.models import OrgUnit
from ytcs.people import identifiers
from ytcs.people.models import Household, LifeEvent, ResidenceHistory, Resident
from ytcs.people.services import normalise_icd10
from ytcs.synth.people.events import SYNTH_NOTE, life_events_synthesise, synthetic_events_exist
from ytcs.synth.people.service import Mode, SynthInputError
from ytcs.synth.tests.factories import province_with_communes

AS_OF = date(2026, 1, 1)
PEOPLE = 5000
YEARS = 3


def _populate(province: OrgUnit, people: int = PEOPLE) -> None:
    call_command("synth", "--province", province.code, "--people", str(people), "--seed", "3",
                 "--as-of", AS_OF.isoformat(), "--no-progress", stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def province(db: None) -> OrgUnit:
    province = province_with_communes(communes=4)
    _populate(province)
    return province


@pytest.fixture
def counts(province: OrgUnit):  # noqa: ANN201
    return life_events_synthesise(province=province, years=YEARS, seed=1, as_of=AS_OF)


def _person_years(start: date, end: date, people: list[Resident]) -> float:
    total = 0
    for r in people:
        lo = max(start, r.birth_date)
        hi = min(end, r.date_of_death or end)
        total += max((hi - lo).days, 0)
    return total / 365.2425


@pytest.mark.django_db
def test_rates_are_plausible_for_a_mountain_province(province: OrgUnit, counts) -> None:  # noqa: ANN001
    residents = list(Resident.objects.all())
    person_years = _person_years(counts.start, counts.end, residents)
    births_per_1000 = 1000 * counts.births / person_years
    deaths_per_1000 = 1000 * counts.deaths / person_years
    # Cao Bằng profile: TFR 2.3 on the national pyramid gives a crude birth rate ~14-18; crude death rate ~6.5.
    assert 11 <= births_per_1000 <= 21, births_per_1000
    assert 4 <= deaths_per_1000 <= 9.5, deaths_per_1000
    households_per_year = counts.households_moved / YEARS / Household.objects.filter(code__startswith="SYN-").count()
    assert 0.004 <= households_per_year <= 0.02
    assert counts.people_moved >= counts.households_moved > 0


def _lived(person: Resident, on: date) -> ResidenceHistory:
    return ResidenceHistory.objects.filter(resident=person, valid_from__lte=on).exclude(valid_to__lte=on).get()


@pytest.mark.django_db
def test_newborns_are_linked_to_a_mother_aged_15_to_49_living_in_the_same_household(counts) -> None:  # noqa: ANN001
    babies = list(Resident.objects.filter(mother__isnull=False).select_related("mother"))
    assert len(babies) == counts.births > 0
    for baby in babies:
        mother = baby.mother
        assert mother.sex == "F"
        age = (baby.birth_date - mother.birth_date).days / 365.2425
        assert 15 <= age < 50
        assert counts.start <= baby.birth_date <= counts.end
        assert mother.date_of_death is None or mother.date_of_death >= baby.birth_date
        assert _lived(baby, baby.birth_date).household_id == _lived(mother, baby.birth_date).household_id
        assert LifeEvent.objects.filter(resident=baby, kind=LifeEvent.Kind.BIRTH, occurred_on=baby.birth_date).exists()


@pytest.mark.django_db
def test_newborn_identifiers_pass_the_register_rules(counts) -> None:  # noqa: ANN001
    babies = list(Resident.objects.filter(mother__isnull=False))
    with_cccd = [b for b in babies if b.cccd]
    assert 0.4 <= len(with_cccd) / len(babies) <= 0.8
    for baby in babies:
        if baby.cccd:
            assert identifiers.check_cccd(baby.cccd, sex=baby.sex, birth_year=baby.birth_year) == []
        assert identifiers.check_bhyt(baby.bhyt_card_number, social_insurance_number=baby.social_insurance_number) == []
        assert baby.bhyt_group_code == "TE" and baby.bhyt_benefit_level == 1
        assert baby.bhyt_valid_from == baby.birth_date
        sixth_birthday = baby.bhyt_valid_to + timedelta(days=1)
        assert sixth_birthday.year == baby.birth_year + 6
        assert (sixth_birthday.month, sixth_birthday.day) in ((baby.birth_date.month, baby.birth_date.day), (3, 1))
        assert baby.relationship_to_head and baby.household.commune_id == baby.commune_id
    cccds = [b.cccd for b in with_cccd]
    assert len(set(cccds)) == len(cccds)


@pytest.mark.django_db
def test_deaths_carry_a_valid_icd10_cause_and_a_journal_row(counts) -> None:  # noqa: ANN001
    dead = list(Resident.objects.filter(date_of_death__isnull=False))
    assert len(dead) == counts.deaths > 0
    for person in dead:
        code, errors = normalise_icd10(person.cause_of_death_icd10, field="cause")
        assert errors == [] and code == person.cause_of_death_icd10
        assert person.birth_date <= person.date_of_death <= counts.end
        event = LifeEvent.objects.get(resident=person, kind=LifeEvent.Kind.DEATH)
        assert (event.occurred_on, event.cause_icd10, event.commune_id) == (
            person.date_of_death, person.cause_of_death_icd10, person.commune_id)
    old = [p for p in dead if (p.date_of_death - p.birth_date).days > 65 * 365]
    assert Counter(p.cause_of_death_icd10[:1] for p in old).most_common(1)[0][0] in ("I", "J", "C")


@pytest.mark.django_db
def test_moves_change_the_commune_and_keep_where_they_lived_when(counts) -> None:  # noqa: ANN001
    moved = LifeEvent.objects.filter(kind=LifeEvent.Kind.MOVE_IN).select_related("resident")
    assert moved.count() == counts.people_moved
    for event in moved:
        person = event.resident
        history = list(ResidenceHistory.objects.filter(resident=person).order_by("valid_from"))
        before = [h for h in history if h.valid_to == event.occurred_on]
        after = [h for h in history if h.valid_from == event.occurred_on]
        assert len(before) == 1 and len(after) == 1
        assert before[0].commune_id == event.other_commune_id != after[0].commune_id == event.commune_id
        assert LifeEvent.objects.filter(resident=person, kind=LifeEvent.Kind.MOVE_OUT, occurred_on=event.occurred_on,
                                        commune=event.other_commune_id, other_commune=event.commune_id).exists()
        assert history[-1].valid_to is None
    for person in {e.resident for e in moved if e.resident.date_of_death is None}:
        current = ResidenceHistory.objects.get(resident=person, valid_to__isnull=True)
        assert (current.commune_id, current.household_id) == (person.commune_id, person.household_id)
        assert person.household.commune_id == person.commune_id
        assert person.village.parent_id == person.commune_id


@pytest.mark.django_db
def test_everyone_has_one_current_residence_period(counts) -> None:  # noqa: ANN001
    assert ResidenceHistory.objects.filter(valid_to__isnull=True).count() == Resident.objects.count()


@pytest.mark.django_db
def test_same_seed_same_events_and_a_second_run_is_refused(db: None) -> None:
    def run() -> list[tuple]:
        province = OrgUnit.objects.get(level=OrgUnit.Level.PROVINCE)
        life_events_synthesise(province=province, years=2, seed=5, as_of=AS_OF)
        return list(LifeEvent.objects.order_by("occurred_on", "kind", "resident__full_name").values_list(
            "kind", "occurred_on", "commune__code", "cause_icd10", "resident__full_name", "resident__birth_date"))

    province = province_with_communes(communes=3)
    _populate(province, 1500)
    first = run()
    assert synthetic_events_exist(province)
    with pytest.raises(SynthInputError, match="--append"):
        life_events_synthesise(province=province, years=2, seed=5, as_of=AS_OF)
    Resident.objects.all().delete()
    Household.objects.all().delete()
    _populate(province, 1500)
    assert run() == first and first


@pytest.mark.django_db
def test_append_adds_events_after_the_first_run(province: OrgUnit, counts) -> None:  # noqa: ANN001
    events = LifeEvent.objects.count()
    more = life_events_synthesise(province=province, years=1, seed=2, as_of=AS_OF, mode=Mode.APPEND)
    assert LifeEvent.objects.count() > events and more.births > 0
    assert ResidenceHistory.objects.filter(valid_to__isnull=True).count() == Resident.objects.count()
    assert LifeEvent.objects.exclude(note=SYNTH_NOTE).count() == 0


@pytest.mark.django_db
def test_one_summary_audit_event_per_run(counts) -> None:  # noqa: ANN001
    event = AuditEvent.objects.get(resource_id__startswith="synth-events:")
    assert event.changes["synth_events"][1]["births"] == counts.births


@pytest.mark.django_db
def test_command_reports_and_refuses_bad_input(province: OrgUnit) -> None:
    out = StringIO()
    call_command("synth-events", "--province", "Cao Bang", "--years", "1", "--as-of", AS_OF.isoformat(), stdout=out)
    assert "trẻ sinh" in out.getvalue()
    with pytest.raises(CommandError, match="--years"):
        call_command("synth-events", "--province", "Cao Bang", "--years", "0", stdout=StringIO())
    with pytest.raises(CommandError, match="--append"):
        call_command("synth-events", "--province", "Cao Bang", "--as-of", AS_OF.isoformat(), stdout=StringIO())


@pytest.mark.django_db
def test_province_without_synthetic_people_is_refused(db: None) -> None:
    province = province_with_communes(communes=2)
    with pytest.raises(SynthInputError, match="ytcs synth"):
        life_events_synthesise(province=province, years=1, seed=1, as_of=AS_OF)


@pytest.mark.django_db
def test_demo_adds_events_once_before_the_visits(province: OrgUnit) -> None:
    """The demo step runs on a synthetic province without events, then skips itself."""
    from ytcs.synth.management.commands.demo import Command

    command = Command(stdout=StringIO())
    command._life_events(province)
    events = LifeEvent.objects.count()
    assert events > 0 and synthetic_events_exist(province)
    command._life_events(province)
    assert LifeEvent.objects.count() == events
