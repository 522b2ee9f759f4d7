from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_definitions(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """The indicator definitions are reference data: loaded after every ``migrate`` (and test-database flush),
    like the disease list, so ``ytcs indicators value`` answers on a fresh installation."""
    from ytcs.indicators.services import definitions_load

    if using == "default":
        definitions_load()


class IndicatorsConfig(AppConfig):
    name = "ytcs.indicators"
    label = "indicators"

    def ready(self) -> None:
        post_migrate.connect(_load_definitions, sender=self, dispatch_uid="indicators_load_definitions")
