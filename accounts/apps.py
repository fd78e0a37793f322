from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, sign-in, merchants' people, API keys and tokens."""

    name = "accounts"
    verbose_name = "Accounts"
