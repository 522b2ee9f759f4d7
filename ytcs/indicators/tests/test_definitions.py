"""Definitions are data: read and checked from the files, stored as versions, one version in force per code."""

import dataclasses
from pathlib import Path

import pytest

from ytcs.audit.context import AuditContext
from ytcs.indicators.definitions import DATA_DIR, DefinitionError, Term, read_definitions
from ytcs.indicators.models import IndicatorDefinition, IndicatorValue
from ytcs.indicators.selectors import indicator_value
from ytcs.indicators.services import definitions_load

FIRST_SET = {
    "d25.station_doctor", "d25.village_worker", "r72.doctors_per_station", "d25.ehr_coverage", "d25.ehr_complete",
    "bhyt.coverage", "d25.station_visits_bhyt", "staff.doctors_per_10k", "pop.residents", "pop.households",
    "pop.births", "pop.deaths", "pop.crude_birth_rate", "pop.crude_death_rate", "ops.station_active",
    "surv.report_completeness", "surv.report_timeliness", "surv.case_timeliness",
}


def test_the_files_hold_the_first_set_and_migrate_stored_them(db):
    definitions = {d.code: d for d in read_definitions()}
    assert set(definitions) == FIRST_SET
    stored = {row.code: row for row in IndicatorDefinition.objects.filter(is_current=True)}
    assert set(stored) == FIRST_SET
    assert all(stored[code].content_hash == d.content_hash for code, d in definitions.items())
    assert all(d.legal_source for d in definitions.values())
    assert definitions["pop.crude_birth_rate"].complete_periods_only


def test_a_changed_definition_becomes_a_new_version_and_the_old_one_stays(province):
    IndicatorValue.objects.all().delete()
    old = IndicatorDefinition.objects.get(code="d25.ehr_complete", is_current=True)
    definitions = read_definitions()
    changed = [
        dataclasses.replace(d, numerator=Term("residents_record_complete",
                                              {**d.numerator.params, "threshold": 50}))
        if d.code == "d25.ehr_complete" else d for d in definitions
    ]
    report = definitions_load(changed)
    assert report.new_versions == ["d25.ehr_complete"] and report.unchanged == len(definitions) - 1
    new = IndicatorDefinition.objects.get(code="d25.ehr_complete", is_current=True)
    assert (old.version, new.version) == (1, 2)
    assert IndicatorDefinition.objects.filter(pk=old.pk, is_current=False).exists()
    # The engine computes with the version in force: with 50 %, R2's record (50 %) counts too → 3 of 6.
    result = indicator_value(context=AuditContext.system("t"), indicator="d25.ehr_complete", unit="98",
                             period="2026-06")
    assert (result.version, result.as_row()[3:]) == (2, ["3", "6", "50.00"])
    assert definitions_load(changed).unchanged == len(definitions)  # loading again changes nothing
    # Back to the file: a third version (a version is never edited), and a code gone from the files is retired.
    report = definitions_load([d for d in definitions if d.code != "ops.station_active"])
    assert report.new_versions == ["d25.ehr_complete"] and report.retired == ["ops.station_active"]
    assert IndicatorDefinition.objects.get(code="d25.ehr_complete", is_current=True).version == 3
    assert not IndicatorDefinition.objects.filter(code="ops.station_active", is_current=True).exists()


def _write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "set.toml").write_text(body, encoding="utf-8")
    return tmp_path


BASE = """
[[indicator]]
code = "x.test"
name_vi = "Thử"
name_en = "Test"
description_vi = "Thử"
description_en = "Test"
legal_source = "NOT FOUND"
period_types = ["month"]
"""


@pytest.mark.parametrize(("body", "says"), [
    ('factor = "percent"\nnumerator = { measure = "nope" }', "unknown measure"),
    ('numerator = { measure = "residents", params = { residence = ["everyone"] } }', "residence must be among"),
    ('numerator = { measure = "residents", params = { threshold = 3 } }', "takes no parameter"),
    ('numerator = { measure = "station_visits", params = { payer = 1 } }', "payer must be a str"),
    ('factor = "percent"\nnumerator = { measure = "births" }', "a count (no denominator) takes factor"),
    ('numerator = { measure = "births" }\ndisaggregations = ["age_group"]', "cannot be broken down"),
    ('factor = "percent"\nnumerator = { measure = "births" }\ndenominator = { measure = "population_estimate" }\n'
     'disaggregations = ["village"]', "cannot be broken down"),
    ('numerator = { measure = "births" }\nweight = 1', "unknown keys"),
])
def test_a_bad_definition_is_refused_when_the_files_are_read(tmp_path, body, says):
    with pytest.raises(DefinitionError, match=says.replace("(", r"\(").replace(")", r"\)")):
        read_definitions(_write(tmp_path, BASE.replace('period_types = ["month"]\n',
                                                       f'period_types = ["month"]\n{body}\n')))


def test_codes_are_unique_across_sets(tmp_path):
    entry = BASE + 'numerator = { measure = "births" }\n'
    (tmp_path / "a.toml").write_text(entry, encoding="utf-8")
    (tmp_path / "b.toml").write_text(entry, encoding="utf-8")
    with pytest.raises(DefinitionError, match="defined twice"):
        read_definitions(tmp_path)


def test_every_set_file_is_named_in_the_docs_titles():
    from ytcs.indicators.docpage import SET_TITLES

    assert {path.stem for path in DATA_DIR.glob("*.toml")} == set(SET_TITLES)
