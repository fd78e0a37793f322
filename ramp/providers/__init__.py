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
