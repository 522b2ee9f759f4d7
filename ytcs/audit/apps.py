from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ytcs.audit"
    label = "audit"
