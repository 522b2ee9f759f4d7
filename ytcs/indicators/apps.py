from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_definitions(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """The indicator definitions are reference data: loaded after every ``migrate`` (and test-database flush),
    like the disease list, so ``ytcs indicators value`` answers on a fresh installation. Skipped when the
    migration state has no definitions table yet (a migrate back to before this app)."""
    from ytcs.indicators.services import definitions_load

    state = kwargs.get("apps")
    try:
        if state is not None:
            state.get_model("indicators", "IndicatorDefinition")
    except LookupError:
        return
    if using == "default":
        definitions_load()


class IndicatorsConfig(AppConfig):
    name = "ytcs.indicators"
    label = "indicators"

    def ready(self) -> None:
        post_migrate.connect(_load_definitions, sender=self, dispatch_uid="indicators_load_definitions")
