from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """Plays Vault PayIn and Paysecure/Quickbit inside the app (embedded default only)."""

    name = "ramp.sandbox"
    label = "provider_sandbox"
    verbose_name = "Provider sandbox"
