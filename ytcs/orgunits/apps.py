from django.apps import AppConfig


class OrgunitsConfig(AppConfig):
    name = "ytcs.orgunits"
    label = "orgunits"
