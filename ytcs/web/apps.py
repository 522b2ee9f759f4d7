from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ytcs.web"
    label = "web"
