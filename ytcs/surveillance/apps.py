from django.apps import AppConfig


class SurveillanceConfig(AppConfig):
    name = "ytcs.surveillance"
    label = "surveillance"
