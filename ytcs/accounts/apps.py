from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ytcs.accounts"
    label = "accounts"
