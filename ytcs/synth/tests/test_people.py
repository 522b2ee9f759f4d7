"""``ytcs synth``: determinism, realistic distributions, household structure, identifiers, refusals."""

from datetime import date
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ytcs.audit.models import AuditEvent
from ytcs.orgunits.models import OrgUnit
from ytcs.people.models import Household, Resident
from ytcs.synth.people import data, generator, writer
from ytcs.synth.tests.factories import province_with_communes

AS_OF = date(2026, 1, 1)
CTX = generator.Context(
    as_of=AS_OF, province_code="04", bhyt_coverage=0.9515, cccd_adult_share=0.95, cccd_child_share=0.60
)


def synth(*args: str) -> str:
    out = StringIO()
    call_command("synth", *args, "--as-of", AS_OF.isoformat(), "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def age_on(birth: date, when: date = AS_OF) -> int:
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


def cccd_problems(resident: Resident) -> list[str]:
    """Structure checks of vn-domain §6.1: PPP G YY RRRRRR, G = century and sex, YY = birth year."""
    cccd = resident.cccd
    if len(cccd) != 12 or not cccd.isdigit():
        return [f"{cccd}: not 12 digits"]
    problems = []
    if cccd[:3] not in data.cccd_province_codes():
        problems.append(f"{cccd}: unknown province {cccd[:3]}")
    century_sex = (resident.birth_year // 100 - 19) * 2 + (resident.sex == "F")
    if int(cccd[3]) != century_sex:
        problems.append(f"{cccd}: digit 4 is {cccd[3]}, expected {century_sex}")
    if int(cccd[4:6]) != resident.birth_year % 100:
        problems.append(f"{cccd}: year digits {cccd[4:6]} for birth year {resident.birth_year}")
    return problems


@pytest.fixture
def province(db: None) -> OrgUnit:
    return province_with_communes(communes=3)


@pytest.mark.django_db
def test_same_seed_gives_the_same_people() -> None:
    def people(seed: int) -> list[tuple]:
        chunk = generator.generate_chunk(np.random.default_rng([seed, 0, 0]), 3000, CTX)
        words = generator.name_tables().vocabulary.words
        return [
            (words[f], words[m], words[g], b, c)
            for f, m, g, b, c in zip(chunk.family, chunk.middle, chunk.given, chunk.birth_ordinal, chunk.cccd_prefix,
                                     strict=True)
        ]

    assert people(7) == people(7)
    assert people(7) != people(8)


def test_two_runs_into_empty_databases_write_identical_people(province: OrgUnit) -> None:
    synth("--province", "Cao Bằng", "--people", "400", "--seed", "5")
    first = list(Resident.objects.order_by("id").values_list("full_name", "birth_date", "cccd", "sex"))
    Resident.objects.all().delete()
    Household.objects.all().delete()
    synth("--province", "Cao Bằng", "--people", "400", "--seed", "5")
    second = list(Resident.objects.order_by("id").values_list("full_name", "birth_date", "cccd", "sex"))
    assert len(first) == 400
    assert first == second


@pytest.fixture(scope="module")
def sample() -> generator.Chunk:
    return generator.generate_chunk(np.random.default_rng([1, 0, 0]), 5000, CTX)


def test_sex_ratio_and_age_pyramid_follow_the_source(sample: generator.Chunk) -> None:
    pyr = data.pyramid()
    age = ((AS_OF.toordinal() - sample.birth_ordinal) / generator.DAYS_PER_YEAR).astype(int)
    assert abs(sample.male.mean() - pyr.probs[pyr.sex_male].sum()) < 0.02
    for low, high in [(0, 14), (15, 64), (65, 120)]:
        expected = pyr.probs[(pyr.age_from >= low) & (pyr.age_from <= high)].sum()
        assert abs(((age >= low) & (age <= high)).mean() - expected) < 0.02, (low, high)


def test_insurance_coverage_is_near_the_target_and_cards_are_well_formed(sample: generator.Chunk) -> None:
    insured = sample.bhyt_group >= 0
    assert abs(insured.mean() - 0.9515) < 0.015
    age = (AS_OF.toordinal() - sample.birth_ordinal) / generator.DAYS_PER_YEAR
    te = generator.bhyt_groups().index("TE")
    assert (sample.bhyt_group[age < 5.9] == te).all()  # every child under 6 has a TE card


def test_households_have_one_head_spouses_of_plausible_age_and_mothers_18_to_45(sample: generator.Chunk) -> None:
    heads_per_household = np.bincount(sample.household[sample.relationship == 0], minlength=sample.household_count)
    assert (heads_per_household == 1).all()
    assert (sample.relationship[sample.heads] == 0).all()
    sizes = np.bincount(sample.household)
    assert 3.0 <= sizes.mean() <= 4.5  # 2019 census: 3.5 nationally, more in the mountains
    # Every "Con" is 18-45 years younger than the household's wife, when the couple is intact.
    for hh in range(0, sample.household_count, 37):
        members = np.flatnonzero(sample.household == hh)
        rel = sample.relationship[members]
        born = sample.birth_ordinal[members]
        wife = members[(rel == 1) | ((rel == 0) & ~sample.male[members] & np.isin(2, rel))]
        children = members[rel == 3]
        if len(wife) == 1 and len(children):
            gaps = (sample.birth_ordinal[children] - sample.birth_ordinal[wife[0]]) / generator.DAYS_PER_YEAR
            assert ((gaps > 17.9) & (gaps < 46.1)).all(), (hh, gaps)
        assert len(set(born)) >= 1


def test_written_residents_are_consistent_and_identifiers_unique(province: OrgUnit) -> None:
    output = synth("--province", "cao bang", "--people", "1500", "--seed", "3")
    assert "1,500" in output
    residents = list(Resident.objects.select_related("household", "commune", "village"))
    assert len(residents) == 1500
    problems = [p for r in residents if r.cccd for p in cccd_problems(r)]
    assert problems == []
    cccds = [r.cccd for r in residents if r.cccd]
    assert len(cccds) == len(set(cccds))
    assert sum(r.cccd.startswith("004") for r in residents if r.cccd) > 0.9 * len(cccds)
    for r in residents:
        assert r.full_name == " ".join([r.family_name, r.middle_name, r.given_name])
        assert r.birth_year == r.birth_date.year
        assert r.village.parent_id == r.commune_id == r.household.commune_id
        assert r.village.path == f"{r.commune.path}{r.village_id}/"
        if r.bhyt_card_number:
            assert len(r.bhyt_card_number) == 15
            assert r.bhyt_card_number[3:5] == "04"
            assert r.bhyt_card_number[5:] == r.social_insurance_number
            assert r.bhyt_valid_from <= r.bhyt_valid_to
        if r.phone:
            assert len(r.phone) == 10 and r.phone[:3] in data.phone_prefixes()[0]
        if age_on(r.birth_date) < 15:
            assert r.phone == ""
    households = Household.objects.all()
    assert all(h.head.household_id == h.pk and h.head.relationship_to_head == "head" for h in households)
    assert Resident.objects.filter(relationship_to_head="head").count() == households.count()
    assert AuditEvent.objects.filter(resource_type="people.Resident", resource_id="synth:04").count() == 1


def test_ethnic_groups_of_cao_bang_appear_with_their_names(province: OrgUnit) -> None:
    synth("--province", "Cao Bằng", "--people", "2000", "--seed", "4")
    shares = {e: Resident.objects.filter(ethnicity=e).count() / 2000 for e in ["Tày", "Nùng", "H'Mông", "Dao", "Kinh"]}
    assert abs(shares["Tày"] - 0.41) < 0.06 and abs(shares["Nùng"] - 0.31) < 0.06
    hmong_families = {name for name, _ in data.names()["hmong"]["family"]}
    hmong_fathers = Resident.objects.filter(ethnicity="H'Mông", sex="M", relationship_to_head="head")
    assert hmong_fathers.exists()
    assert all(r.family_name in hmong_families for r in hmong_fathers)


def test_children_carry_the_fathers_family_name(province: OrgUnit) -> None:
    synth("--province", "Cao Bằng", "--people", "1000", "--seed", "6")
    checked = 0
    for household in Household.objects.prefetch_related("members"):
        members = list(household.members.all())
        husbands = [m for m in members if m.sex == "M" and m.relationship_to_head in ("head", "spouse")]
        if len(husbands) == 1:
            for child in (m for m in members if m.relationship_to_head == "child"):
                assert child.family_name == husbands[0].family_name
                checked += 1
    assert checked > 100


def test_unknown_province_is_refused_with_near_matches_and_nothing_written(province: OrgUnit) -> None:
    with pytest.raises(CommandError, match=r"--province.*Cao Bằng"):
        synth("--province", "Cao Bang X", "--people", "100")
    assert not Resident.objects.exists() and not Household.objects.exists()
    assert not OrgUnit.objects.filter(level=OrgUnit.Level.VILLAGE).exists()


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--people", "0"], "--people"),
        (["--people", "10", "--seed", "-1"], "--seed"),
        (["--people", "10", "--bhyt-coverage", "1.5"], "--bhyt-coverage"),
        (["--people", "10", "--cccd-child-share", "-0.1"], "--cccd-child-share"),
    ],
)
def test_bad_arguments_name_the_field_and_write_nothing(province: OrgUnit, args: list[str], field: str) -> None:
    with pytest.raises(CommandError, match=f"^{field}:"):
        synth("--province", "Cao Bằng", *args)
    assert not Resident.objects.exists()


def test_malformed_date_is_refused(province: OrgUnit) -> None:
    with pytest.raises(CommandError, match="--as-of"):
        call_command("synth", "--province", "Cao Bằng", "--people", "5", "--as-of", "2026-13-01", "--no-progress")


def test_second_run_refuses_unless_append_or_replace(province: OrgUnit) -> None:
    synth("--province", "Cao Bằng", "--people", "300", "--seed", "1")
    with pytest.raises(CommandError, match="--append"):
        synth("--province", "Cao Bằng", "--people", "300", "--seed", "2")
    assert Resident.objects.count() == 300
    synth("--province", "Cao Bằng", "--people", "200", "--seed", "2", "--append")
    assert Resident.objects.count() == 500
    assert Household.objects.filter(code__startswith="SYN-04-").count() == Household.objects.count()
    synth("--province", "Cao Bằng", "--people", "100", "--seed", "3", "--replace")
    assert Resident.objects.count() == 100


def test_failure_mid_run_leaves_nothing(province: OrgUnit, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = writer.BulkWriter.send

    def failing_send(self: writer.BulkWriter, batch: writer.Batch) -> None:
        calls.append(batch.table)
        if batch.table == Resident._meta.db_table:
            raise RuntimeError("disk full")
        original(self, batch)

    monkeypatch.setattr(writer.BulkWriter, "send", failing_send)
    with pytest.raises(RuntimeError):
        synth("--province", "Cao Bằng", "--people", "200")
    assert calls  # the failure happened after households were written
    assert not Household.objects.exists()
    assert not OrgUnit.objects.filter(level=OrgUnit.Level.VILLAGE).exists()


def test_large_load_path_keeps_every_index_and_constraint(province: OrgUnit, monkeypatch: pytest.MonkeyPatch) -> None:
    def schema() -> tuple[dict, dict]:
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, Resident._meta.db_table)
            household = connection.introspection.get_constraints(cursor, Household._meta.db_table)
        return constraints, household  # names and definitions (columns, unique, foreign key, index type)

    before = schema()
    monkeypatch.setattr(writer, "REBUILD_THRESHOLD", 100)
    synth("--province", "Cao Bằng", "--people", "300")
    assert Resident.objects.count() == 300
    assert schema() == before


def test_replace_also_removes_the_visits_of_synthetic_residents(province: OrgUnit) -> None:
    from ytcs.clinical.models import Encounter

    synth("--province", "Cao Bằng", "--people", "200", "--seed", "1")
    call_command("synth-visits", "--province", "Cao Bằng", "--years", "1", "--seed", "1")
    assert Encounter.objects.exists()
    synth("--province", "Cao Bằng", "--people", "50", "--seed", "2", "--replace")
    assert Resident.objects.count() == 50
    assert not Encounter.objects.exists()
