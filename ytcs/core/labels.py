"""Names a reader understands for the internal references the code keeps: a model label (``people.LifeEvent``),
a link to a model (``people.LifeEvent.resident``), a field (``social_insurance_number``).

Merge logs and the audit trail store these references because they stay stable when wording changes; pages
show the models' and fields' verbose names instead, in the reader's language. Every ytcs model declares a
Vietnamese ``verbose_name`` (and the same ``verbose_name_plural``: Vietnamese nouns have no plural form).
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.text import capfirst


def model_for(label: str) -> type[Model] | None:
    """The model ``app_label.ModelName`` names, or None."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def model_label(label: str) -> str | None:
    """``people.LifeEvent`` → "Sự kiện hộ tịch"; None when no model has that label."""
    model = model_for(label)
    return capfirst(str(model._meta.verbose_name)) if model else None


def field_label(model: type[Model], name: str) -> str:
    """The verbose name of ``model``'s field ``name`` (its attname, ``village_id``, works too); the name itself
    for a key that is no field (or a reverse relation), so a caller can tell by comparing."""
    try:
        verbose_name = getattr(model._meta.get_field(name), "verbose_name", None)  # a reverse relation has none
    except FieldDoesNotExist:
        return name
    return capfirst(str(verbose_name)) if verbose_name else name


def relation_label(label: str) -> str:
    """A link to a resident as a merge log names it: ``people.LifeEvent.resident`` → "Sự kiện hộ tịch",
    ``people.Household.head`` → "Hộ gia đình (chủ hộ)"; the label itself if the model is gone."""
    model_name, _, field = label.rpartition(".")
    model = model_for(model_name)
    if model is None:
        return label
    name = capfirst(str(model._meta.verbose_name))
    if field == "resident":
        return name
    try:
        return f"{name} ({model._meta.get_field(field).verbose_name})"
    except FieldDoesNotExist:
        return name
