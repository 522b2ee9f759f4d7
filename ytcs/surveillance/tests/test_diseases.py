import datetime as dt

from ytcs.surveillance import detection
from ytcs.surveillance.diseases import group_on, load_diseases, read_disease_file
from ytcs.surveillance.models import Disease, DiseaseGroupAssignment


def test_loading_the_list_twice_changes_nothing():
    before = (Disease.objects.count(), DiseaseGroupAssignment.objects.count())
    result = load_diseases()
    assert result.created == 0 and result.updated == before[0]
    assert (Disease.objects.count(), DiseaseGroupAssignment.objects.count()) == before


def test_covid19_moves_from_group_a_to_b_on_20_october_2023():
    covid = Disease.objects.get(code="covid19")
    assert group_on(covid, dt.date(2020, 1, 31)) is None
    assert group_on(covid, dt.date(2023, 10, 19)) == "A"
    assert group_on(covid, dt.date(2023, 10, 20)) == "B"


def test_every_method_and_parameter_set_of_the_file_is_accepted_by_the_engine():
    for code, (fields, _periods) in read_disease_file().items():
        detection.make_params(fields["detection_method"], **fields["detection_params"]), code


def test_unverified_deadlines_are_marked():
    unverified = set(Disease.objects.filter(deadline_verified=False).values_list("code", flat=True))
    assert {"uon_van", "viem_gan_virut", "viem_nao_virut", "xoan_khuan_vang"} <= unverified
