import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ramp.models.assets import Asset, PaymentMethod, Side
from ramp.models.destinations import BankAccount, UpiId
from ramp.models.quotes import CRYPTO, MONEY, RATE, Quote


class OrderStatus(models.TextChoices):
    """Status names exactly as the INR ramp provider (seed 002) names them."""

    FIAT_PENDING = "fiatPending", "Waiting for your payment"
    CHECKOUT_PENDING = "checkoutPending", "Waiting for payment at checkout"
    CRYPTO_INIT = "cryptoInit", "Waiting for your crypto"
    ORDER_RECEIVED = "orderReceived", "Checking your payment"
    FIAT_RECEIVED = "fiatReceived", "Payment received"
    CRYPTO_RECEIVED = "cryptoReceived", "Crypto received"
    TRANSFERRED = "transferred", "Crypto sent"
    COMPLETED = "completed", "Completed"
    EXPIRED = "expired", "Expired"
    FAILED = "failed", "Failed"
    REFUNDED = "refunded", "Refunded"
    CANCELLED = "cancelled", "Cancelled"


TERMINAL_STATUSES = frozenset(
    {
        OrderStatus.COMPLETED,
        OrderStatus.EXPIRED,
        OrderStatus.FAILED,
        OrderStatus.REFUNDED,
        OrderStatus.CANCELLED,
    }
)
# Ended keeping no money (none came, or it went back): not counted against a person's limits,
# and an invoice such an order was paying may close or be paid afresh.
ENDED_UNPAID = frozenset(
    {OrderStatus.EXPIRED, OrderStatus.FAILED, OrderStatus.REFUNDED, OrderStatus.CANCELLED}
)
AWAITING_PAYMENT = frozenset(
    {OrderStatus.FIAT_PENDING, OrderStatus.CRYPTO_INIT, OrderStatus.CHECKOUT_PENDING}
)


def new_reference():
    """Short, unambiguous, typed into bank transfer remarks: RMP + 9 characters."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "RMP" + "".join(secrets.choice(alphabet) for _ in range(9))


class Order(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,  # order_user_recent_idx leads with it
    )
    side = models.CharField(max_length=4, choices=Side.choices)
    # One quote makes at most one order: the constraint is what makes a quote single use.
    quote = models.OneToOneField(
        Quote, null=True, blank=True, on_delete=models.PROTECT, related_name="order"
    )
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    status = models.CharField(max_length=16, choices=OrderStatus.choices)
    fiat_currency = models.CharField(max_length=3, default="INR")
    fiat_amount = models.DecimalField(**MONEY)
    crypto_amount = models.DecimalField(**CRYPTO)
    rate = models.DecimalField(**RATE)
    platform_fee = models.DecimalField(**MONEY)
    network_fee = models.DecimalField(**CRYPTO)
    tds = models.DecimalField(**MONEY, default=0)
    wallet_address = models.CharField(max_length=100, blank=True)
    deposit_address = models.CharField(max_length=100, blank=True)
    upi_id = models.ForeignKey(
        UpiId, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bank_account = models.ForeignKey(
        BankAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # NULL, not "", when absent: the unique constraints below apply to the present ones only.
    utr = models.CharField("UTR", max_length=12, null=True, blank=True)  # noqa: DJ001
    tx_hash = models.CharField(  # noqa: DJ001
        max_length=80, null=True, blank=True, help_text="Sell: the person's deposit transaction."
    )
    payout_tx_hash = models.CharField(  # noqa: DJ001
        max_length=80, null=True, blank=True, help_text="Buy: our transfer to the person's wallet."
    )
    payout_reference = models.CharField(max_length=64, blank=True)
    failure_reason = models.TextField(blank=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("confirm_fiat", "Can confirm incoming fiat and reject UTRs"),
            ("send_crypto", "Can record crypto sent and complete buys"),
            ("confirm_crypto", "Can confirm incoming crypto"),
            ("pay_out", "Can record fiat payouts"),
            ("refund_order", "Can refund orders"),
            ("cancel_order", "Can cancel or fail orders"),
            ("import_statement", "Can import bank statements"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="order_user_recent_idx"),
            models.Index(fields=["status", "expires_at"], name="order_status_expiry_idx"),
        ]
        constraints = [
            # One UTR credits one order, one deposit is claimed by one order, ever.
            models.UniqueConstraint(
                fields=["utr"], condition=Q(utr__isnull=False), name="order_utr_once"
            ),
            models.UniqueConstraint(
                fields=["tx_hash"], condition=Q(tx_hash__isnull=False), name="order_tx_hash_once"
            ),
            models.UniqueConstraint(
                fields=["payout_tx_hash"],
                condition=Q(payout_tx_hash__isnull=False),
                name="order_payout_tx_hash_once",
            ),
            models.CheckConstraint(
                condition=Q(payment_method__in=PaymentMethod.values),
                name="order_payment_method_known",
            ),
            models.CheckConstraint(
                condition=Q(fiat_amount__gt=0) & (Q(crypto_amount__gt=0) | Q(side="pay")),
                name="order_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(side="pay") | (Q(quote__isnull=False) & Q(asset__isnull=False)),
                name="order_trades_have_quote_and_asset",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("ramp:order", args=[self.pk])

    @property
    def version(self):
        """Changes whenever the order does: the status poll answers 204 while it is the same."""
        return str(int(self.updated_at.timestamp() * 1_000_000))

    @property
    def is_terminal(self):
        return self.status in TERMINAL_STATUSES

    @property
    def awaits_payment(self):
        return self.status in AWAITING_PAYMENT


class OrderEvent(models.Model):
    """The timeline: every status change, who made it, and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=OrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.order_id}: {self.from_status or '∅'} → {self.to_status}"


class BankStatement(models.Model):
    """An imported bank statement. The same file twice is the same row (its SHA-256 is unique)."""

    sha256 = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(max_length=200)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    format = models.CharField(max_length=20)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class StatementLine(models.Model):
    class Outcome(models.TextChoices):
        MATCHED = "matched", "Matched: order moved to fiatReceived"
        ALREADY_CONFIRMED = "already_confirmed", "Already confirmed"
        AMOUNT_MISMATCH = "amount_mismatch", "Amount differs from the order"
        UNKNOWN_UTR = "unknown_utr", "No order with this UTR"
        DUPLICATE = "duplicate", "UTR appears twice in the file"
        NOT_AWAITING = "not_awaiting", "Order is not waiting for confirmation"
        OWN_ORDER = "own_order", "The importer's own order: a colleague confirms it"
        NO_UTR = "no_utr", "No 12-digit UTR found"
        DEBIT = "debit", "Debit (ignored)"

    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveIntegerField()
    value_date = models.CharField(max_length=20, blank=True)
    description = models.CharField(max_length=300, blank=True)
    utr = models.CharField(max_length=12, blank=True)
    amount = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["statement", "line_number"]

    def __str__(self):
        return f"line {self.line_number}: {self.outcome}"
