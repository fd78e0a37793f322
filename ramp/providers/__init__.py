"""Registry: the configured name of each outside system → the adapter that speaks to it."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def get_verifier():
    name = settings.VERIFICATION_PROVIDER
    if name == "sandbox":
        from ramp.providers.sandbox.verification import SandboxVerifier

        return SandboxVerifier()
    if name == "pennydrop":
        from ramp.providers.pennydrop import PennyDropVerifier

        return PennyDropVerifier(
            base_url=settings.PENNYDROP_BASE_URL, api_key=settings.PENNYDROP_API_KEY
        )
    raise ImproperlyConfigured(f"Unknown VERIFICATION_PROVIDER {name!r}.")


def get_checkout_provider(payment_method):
    """The adapter for a checkout rail: ``CARD`` → Vault PayIn, ``QBPAYFTOPUP`` → Paysecure."""
    if payment_method == "CARD":
        from ramp.providers.vault import VaultPayIn

        return VaultPayIn(base_url=settings.VAULT_BASE_URL, api_key=settings.VAULT_API_KEY)
    if payment_method == "QBPAYFTOPUP":
        from ramp.providers.paysecure import Paysecure

        return Paysecure(base_url=settings.PAYSECURE_BASE_URL, api_key=settings.PAYSECURE_API_KEY)
    raise ImproperlyConfigured(f"No checkout provider for {payment_method!r}.")


WEBHOOK_SECRETS = {"vault": "VAULT_WEBHOOK_SECRET", "paysecure": "PAYSECURE_WEBHOOK_SECRET"}


def webhook_secret(provider):
    setting = WEBHOOK_SECRETS.get(provider)
    return getattr(settings, setting) if setting else None
