from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_disease_list(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """Reference data, loaded after every ``migrate`` (and test-database flush) like content types are."""
    from ytcs.surveillance.diseases import load_diseases

    if using == "default":
        load_diseases()


class SurveillanceConfig(AppConfig):
    name = "ytcs.surveillance"
    label = "surveillance"

    def ready(self) -> None:
        post_migrate.connect(_load_disease_list, sender=self, dispatch_uid="surveillance_load_diseases")
