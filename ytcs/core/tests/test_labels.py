"""Model, relation and field names as pages show them, and every ytcs model naming itself in Vietnamese."""

import pytest
from django.apps import apps
from django.utils import translation

from ytcs.core.labels import field_label, model_label, relation_label
from ytcs.people.models import Resident

YTCS_MODELS = [m for c in apps.get_app_configs() if c.name.startswith("ytcs.") for m in c.get_models()]


@pytest.mark.parametrize("model", YTCS_MODELS, ids=lambda m: m._meta.label)
def test_every_model_has_a_vietnamese_name_with_no_plural_suffix(model):
    """Django's default plural appends "s" ("lịch sử cư trús"); Vietnamese nouns do not inflect."""
    options = model._meta.original_attrs
    assert "verbose_name" in options and "verbose_name_plural" in options, model._meta.label
    with translation.override("vi"):
        assert not str(model._meta.verbose_name).isascii(), f"{model._meta.label} is named in English"


def test_labels_in_each_language():
    with translation.override("vi"):
        assert model_label("people.LifeEvent") == "Sự kiện hộ tịch"
        assert relation_label("people.ResidenceHistory.resident") == "Lịch sử cư trú"
        assert relation_label("people.Household.head") == "Hộ gia đình (chủ hộ)"
        assert field_label(Resident, "social_insurance_number") == "Mã số BHXH"
        assert field_label(Resident, "village_id") == "Thôn/bản"
    with translation.override("en"):
        assert relation_label("clinical.Encounter.resident") == "Visit"
        assert field_label(Resident, "social_insurance_number") == "Social insurance number"
    assert model_label("people.Nothing") is None and relation_label("gone.Model.resident") == "gone.Model.resident"
    assert field_label(Resident, "not_a_field") == "not_a_field"
