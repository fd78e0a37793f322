import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from ramp.models.assets import Asset, PaymentMethod, Side

MONEY = {"max_digits": 20, "decimal_places": 2}
CRYPTO = {"max_digits": 30, "decimal_places": 18}
RATE = {"max_digits": 24, "decimal_places": 8}


class Quote(models.Model):
    """A price shown to one person, with every figure it showed, good for 30 s and one order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quotes",
        db_index=False,  # quote_user_recent_idx leads with it
    )
    side = models.CharField(max_length=4, choices=Side.choices)
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+")
    fiat_currency = models.CharField(max_length=3, default="INR")
    payment_method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    mid_rate = models.DecimalField(**RATE)
    rate = models.DecimalField(**RATE, help_text="The price applied: mid rate ± spread.")
    spread_bps = models.PositiveIntegerField()
    fiat_amount = models.DecimalField(
        **MONEY, help_text="Buy: what the person pays. Sell: what the person receives."
    )
    crypto_amount = models.DecimalField(
        **CRYPTO, help_text="Buy: what the person receives. Sell: what the person sends."
    )
    gross_fiat = models.DecimalField(**MONEY, help_text="The crypto amount at the applied rate.")
    platform_fee = models.DecimalField(**MONEY)
    network_fee = models.DecimalField(**CRYPTO)
    tds = models.DecimalField(**MONEY, default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="quote_user_recent_idx")]

    def __str__(self):
        return f"{self.side} {self.crypto_amount} {self.asset} for ₹{self.fiat_amount}"

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at
