"""``ytcs surveillance synth``: seven years of weekly data with a measles burst the weekly job detects."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from ytcs.surveillance.diseases import ensure_diseases_loaded
from ytcs.surveillance.models import Alert, CaseReport, Signal, WeeklyCount


@pytest.fixture(autouse=True)
def _diseases(db):
    ensure_diseases_loaded()


def test_synth_writes_a_measles_burst_that_the_job_detects(tree, capsys):
    as_of = timezone.localdate()
    call_command("surveillance", "synth", "--province", "Tỉnh A", "--years", "6", "--seed", "3")
    call_command("surveillance", "synth", "--province", "Tỉnh A", "--years", "6", "--seed", "3")  # replaces
    assert "measles burst" in capsys.readouterr().out
    measles = CaseReport.objects.filter(disease__code="soi")
    assert measles.count() >= 13
    assert Alert.objects.filter(disease__code="soi").count() >= 9
    assert WeeklyCount.objects.filter(unit__path__startswith=tree.province.path).exists()
    call_command("surveillance", "detect-weekly", "--province", "Tỉnh A", "--as-of", as_of.isoformat(),
                 "--workers", "1", "--disease", "soi")
    assert Signal.objects.filter(disease__code="soi", unit=tree.province).exists()
