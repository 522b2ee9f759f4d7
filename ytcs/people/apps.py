from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ytcs.people"
    label = "people"
