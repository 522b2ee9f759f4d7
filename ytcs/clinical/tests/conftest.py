from datetime import timedelta

import pytest
from django.utils import timezone

from ytcs.clinical.tests.factories import Place, ResidentFactory, build_place


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def place(db) -> Place:
    return build_place()


@pytest.fixture
def patient(place):
    return ResidentFactory(village=place.village_a1)


@pytest.fixture
def visit_body():
    """A valid API body for a hypertension follow-up visit an hour ago."""
    return {
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).isoformat(),
        "payer": "bhyt",
        "outcome": "treated",
        "reason": "Tái khám tăng huyết áp",
        "systolic": 150,
        "diastolic": 95,
        "pulse": 80,
        "weight_kg": 62.5,
        "height_cm": 160,
        "diagnoses": [{"code": "I10", "is_primary": True}],
        "prescriptions": [
            {
                "drug_name": "Amlodipin",
                "strength": "5 mg",
                "dose_instructions": "Uống 1 viên buổi sáng",
                "quantity": 30,
                "days": 30,
            }
        ],
    }
