import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Merchant
from ramp.models import BankAccount, Order, UpiId

MONEY = {"max_digits": 20, "decimal_places": 2}


def new_token():
    return secrets.token_urlsafe(24)


class Invoice(models.Model):
    """An ingress (pay-in) or egress (withdrawal) invoice a merchant created over the API."""

    class Kind(models.TextChoices):
        INGRESS = "ingress"
        EGRESS = "egress"

    class Status(models.TextChoices):
        OPEN = "open"
        CONFIRMING = "confirming", "Waiting for the merchant"
        CONFIRMED = "confirmed", "Confirmed, paying out"
        PAID = "paid"
        COMPLETED = "completed"
        EXPIRED = "expired"
        CANCELLED = "cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token = models.CharField(max_length=40, unique=True, default=new_token)
    # invoice_merchant_idx leads with it: no index of its own.
    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="invoices", db_index=False
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, default="INR")
    reference = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    expires_at = models.DateTimeField()
    redirect_url = models.URLField(max_length=2000, blank=True)
    callback_url = models.URLField(max_length=2000)
    refresh_invoice_url = models.URLField(max_length=2000, blank=True)
    invoice_display_key = models.CharField(max_length=120, blank=True)
    customer_email = models.EmailField(
        blank=True, help_text="Offer the invoice to this person only."
    )
    bound_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    order = models.OneToOneField(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice"
    )
    payout_bank_account = models.ForeignKey(
        BankAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payout_upi_id = models.ForeignKey(
        UpiId, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payout_reference = models.CharField(max_length=64, blank=True)
    cancel_redirect_url = models.URLField(max_length=2000, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["merchant", "kind", "-created_at"], name="invoice_merchant_idx"),
            models.Index(fields=["status", "expires_at"], name="invoice_expiry_idx"),
            models.Index(fields=["customer_email", "status"], name="invoice_customer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=Decimal(0)), name="invoice_amount_positive"
            ),
            # A newer invoice with the same display key replaces the older: one open at a time.
            models.UniqueConstraint(
                fields=["merchant", "invoice_display_key"],
                condition=Q(status="open") & ~Q(invoice_display_key=""),
                name="invoice_one_open_per_display_key",
            ),
        ]
        permissions = [("pay_out_egress", "Can record egress payouts")]

    def __str__(self):
        return f"{self.kind} {self.reference} ({self.status})"


class InvoiceEvent(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"


class MerchantBalance(models.Model):
    """What a merchant may pay out. Never negative: a check constraint and row locks keep it so."""

    merchant = models.OneToOneField(
        Merchant, primary_key=True, on_delete=models.CASCADE, related_name="balance"
    )
    available = models.DecimalField(**MONEY, default=Decimal(0))
    currency = models.CharField(max_length=3, default="INR")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(available__gte=0), name="balance_not_negative")
        ]

    def __str__(self):
        return f"{self.merchant}: {self.available} {self.currency}"


class LedgerEntry(models.Model):
    """Double entry: the entries of one journal (one money movement) sum to zero."""

    class Account(models.TextChoices):
        MERCHANT_AVAILABLE = "merchant_available", "Merchant balance"
        CUSTOMER_FUNDS = "customer_funds", "Customer funds received"
        PLATFORM_FEES = "platform_fees", "Platform fees"
        PAYOUTS = "payouts", "Payouts to customers"

    journal = models.UUIDField(db_index=True)
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="ledger")
    account = models.CharField(max_length=20, choices=Account.choices)
    amount = models.DecimalField(**MONEY, help_text="Positive is a credit to the account.")
    invoice = models.ForeignKey(  # ledger_once_per_invoice_account leads with it
        Invoice, null=True, on_delete=models.PROTECT, related_name="ledger", db_index=False
    )
    memo = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name_plural = "ledger entries"
        constraints = [
            # Each invoice moves money once per account: a retry cannot post it twice.
            models.UniqueConstraint(
                fields=["invoice", "account"], name="ledger_once_per_invoice_account"
            )
        ]

    def __str__(self):
        return f"{self.account} {self.amount}"


class IdempotencyRecord(models.Model):
    # The unique constraint below leads with it: no index of its own.
    merchant = models.ForeignKey(
        Merchant, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["merchant", "key"], name="idempotency_key_once")
        ]

    def __str__(self):
        return self.key


class WebhookDelivery(models.Model):
    """Outbox row: written in the transaction that caused it, sent (and retried) by workers."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="deliveries")
    invoice = models.ForeignKey(
        Invoice, null=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(max_length=40)
    url = models.URLField(max_length=2000)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempt_count = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    response_body = models.TextField(
        blank=True, help_text="The last 2xx answer (egress.confirm reads it)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.event_type} → {self.url}"

    @property
    def message_id(self):
        return f"msg_{self.pk.hex}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True)
    latency_ms = models.PositiveIntegerField()
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self):
        return f"{self.status_code or self.error}"


class DisabledEndpoint(models.Model):
    """A callback URL that answered 410 Gone: nothing more is sent there."""

    # The unique constraint below leads with it: no index of its own.
    merchant = models.ForeignKey(
        Merchant, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    url = models.URLField(max_length=2000)
    disabled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["merchant", "url"], name="disabled_endpoint_once")
        ]

    def __str__(self):
        return self.url
