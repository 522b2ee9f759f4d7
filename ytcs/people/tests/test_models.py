"""Query helpers of the register."""

import pytest

from ytcs.people.models import Resident
from ytcs.people.tests.factories import ResidentFactory, unit_tree

pytestmark = pytest.mark.django_db


def test_active_leaves_out_registrations_merged_into_another():
    kept = ResidentFactory(village=unit_tree()["village_a"])
    merged = ResidentFactory(commune=kept.commune, merged_into=kept)
    assert set(Resident.objects.all()) == {kept, merged}
    assert list(Resident.objects.active()) == [kept]
    assert list(Resident.objects.filter(commune=kept.commune).active()) == [kept]
