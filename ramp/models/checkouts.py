from django.db import models

from ramp.models.orders import Order


class CardCheckout(models.Model):
    """A hosted checkout for one order at a card/wallet provider. Card numbers are never here."""

    class State(models.TextChoices):
        STARTED = "started"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        PAID_LATE = "paid_late", "Paid after the order closed: to refund"

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="checkout")
    provider = models.CharField(max_length=20)
    reference = models.CharField(max_length=80, help_text="The provider's offer / purchase id.")
    redirect_url = models.URLField(max_length=500)
    state = models.CharField(max_length=10, choices=State.choices, default=State.STARTED)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    provider_card_id = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "reference"], name="checkout_reference_once"
            )
        ]

    def __str__(self):
        return f"{self.provider} {self.reference}"


class ProviderEvent(models.Model):
    """A provider callback, kept once: a repeated event id is answered 200 and ignored."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    reference = models.CharField(max_length=80, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_once")
        ]

    def __str__(self):
        return f"{self.provider} {self.event_id}"
