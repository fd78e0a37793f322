"""What can be bought and sold, at what price, with which limits: configured by staff."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from ramp import chains


class Network(models.TextChoices):
    TRC20 = "TRC20", "Tron (TRC20)"
    ERC20 = "ERC20", "Ethereum (ERC20)"
    BEP20 = "BEP20", "BNB Smart Chain (BEP20)"
    POLYGON = "POLYGON", "Polygon"
    BTC = "BTC", "Bitcoin"
    ETH = "ETH", "Ethereum"


CHAIN_OF_NETWORK = {
    Network.TRC20: chains.TRON,
    Network.ERC20: chains.EVM,
    Network.BEP20: chains.EVM,
    Network.POLYGON: chains.EVM,
    Network.ETH: chains.EVM,
    Network.BTC: chains.BITCOIN,
}


class PaymentMethod(models.TextChoices):
    INR_UPI = "INR_UPI", "UPI"
    INR_IMPS = "INR_IMPS", "IMPS bank transfer"
    CARD = "CARD", "Card"
    QBPAYFTOPUP = "QBPAYFTOPUP", "Quickbit wallet"


class Side(models.TextChoices):
    BUY = "buy", "Buy"
    SELL = "sell", "Sell"
    PAY = "pay", "Invoice payment"  # rupees to a merchant's pay-in invoice; no crypto moves


bps = [MinValueValidator(0), MaxValueValidator(5000)]


class Asset(models.Model):
    """A coin on one network, e.g. USDT on TRC20."""

    symbol = models.CharField(max_length=10)
    network = models.CharField(max_length=10, choices=Network.choices)
    name = models.CharField(max_length=40)
    decimals = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(18)],
        help_text="Amounts of this asset are kept to this many decimal places.",
    )
    enabled = models.BooleanField(default=True)
    deposit_address = models.CharField(
        max_length=100, help_text="Where people send this asset when they sell."
    )
    mid_rate_inr = models.DecimalField(
        "mid rate (INR)",
        max_digits=20,
        decimal_places=8,
        help_text="Static rate source: staff-set mid price of one unit in rupees.",
    )
    rate_updated_at = models.DateTimeField(auto_now_add=True)
    price_source_id = models.CharField(
        max_length=40, blank=True, help_text="The asset's id at the HTTP rate source, e.g. tether."
    )
    buy_spread_bps = models.PositiveIntegerField(default=100, validators=bps)
    sell_spread_bps = models.PositiveIntegerField(default=100, validators=bps)
    platform_fee_bps = models.PositiveIntegerField(default=50, validators=bps)
    network_fee = models.DecimalField(
        max_digits=20,
        decimal_places=8,
        default=Decimal(0),
        help_text="Crypto deducted from a buy to pay for the transfer to the person's wallet.",
    )

    class Meta:
        ordering = ["symbol", "network"]
        constraints = [
            models.UniqueConstraint(fields=["symbol", "network"], name="asset_symbol_network"),
            models.CheckConstraint(condition=Q(mid_rate_inr__gt=0), name="asset_rate_positive"),
            models.CheckConstraint(condition=Q(network_fee__gte=0), name="asset_fee_not_negative"),
        ]

    def __str__(self):
        return f"{self.symbol} · {self.network}"

    @property
    def chain(self):
        return CHAIN_OF_NETWORK[self.network]

    @property
    def quantum(self):
        return Decimal(1).scaleb(-self.decimals)

    def clean(self):
        if self.deposit_address and not chains.is_valid_address(self.chain, self.deposit_address):
            hint = chains.ADDRESS_HINTS[self.chain]
            raise ValidationError({"deposit_address": f"Not a {self.network} address: {hint}."})


class AssetLimit(models.Model):
    """Smallest and largest order, in rupees, for one asset, side and payment method."""

    # asset_limit_once leads with it: no index of its own.
    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="limits", db_index=False
    )
    side = models.CharField(max_length=4, choices=Side.choices)
    payment_method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    enabled = models.BooleanField(default=True)
    min_fiat = models.DecimalField(max_digits=14, decimal_places=2)
    max_fiat = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "side", "payment_method"], name="asset_limit_once"
            ),
            models.CheckConstraint(
                condition=Q(min_fiat__gt=0) & Q(max_fiat__gte=models.F("min_fiat")),
                name="asset_limit_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.asset} {self.side} {self.payment_method}: {self.min_fiat} to {self.max_fiat}"


class PlatformSettings(models.Model):
    """The one row of platform-wide settings: collection accounts and validity windows."""

    upi_vpa = models.CharField("collection UPI ID", max_length=100, blank=True)
    upi_payee_name = models.CharField(max_length=100, blank=True)
    bank_account_name = models.CharField(max_length=100, blank=True)
    bank_account_number = models.CharField(max_length=20, blank=True)
    bank_ifsc = models.CharField("bank IFSC", max_length=11, blank=True)
    bank_name = models.CharField(max_length=80, blank=True)
    quote_validity_seconds = models.PositiveIntegerField(default=30)
    order_validity_minutes = models.PositiveIntegerField(default=180)
    tds_bps = models.PositiveIntegerField(
        "TDS (basis points)", default=100, help_text="Tax deducted at source on sells: 100 = 1 %."
    )

    class Meta:
        verbose_name = "platform settings"
        verbose_name_plural = "platform settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="platform_settings_singleton")
        ]

    def __str__(self):
        return "Platform settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings

    @property
    def collects_upi(self):
        return bool(self.upi_vpa and self.upi_payee_name)

    @property
    def collects_imps(self):
        return bool(self.bank_account_number and self.bank_ifsc and self.bank_account_name)
