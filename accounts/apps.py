from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and API keys"

    def ready(self) -> None:
        # Registers the bearer scheme with drf-spectacular.
        from accounts import schema  # noqa: F401
