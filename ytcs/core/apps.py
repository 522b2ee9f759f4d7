from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ytcs.core"
    label = "core"
