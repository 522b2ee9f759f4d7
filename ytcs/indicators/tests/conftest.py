import pytest

from ytcs.indicators.models import IndicatorDefinition
from ytcs.indicators.services import definitions_load
from ytcs.indicators.tests.province import build_province
from ytcs.surveillance.diseases import ensure_diseases_loaded


@pytest.fixture(autouse=True)
def _reference_data(db):
    """Definitions and diseases are loaded after migrate; a flushed test database gets them back here."""
    if not IndicatorDefinition.objects.exists():
        definitions_load()
    ensure_diseases_loaded()


@pytest.fixture
def province(db):
    return build_province()
