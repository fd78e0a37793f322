"""Where a person's rupees come from and go to: bank accounts and UPI IDs in their own name."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


def mask_account_number(number):
    return f"•••• {number[-4:]}"


def mask_vpa(vpa):
    local, _, handle = vpa.partition("@")
    if len(local) <= 4:
        return f"{local[0]}•••@{handle}"
    return f"{local[:2]}•••{local[-2:]}@{handle}"


class Destination(models.Model):
    """Fields every linked destination has: it was verified, it may be the default, it may be
    removed (softly: past orders keep pointing at it)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    holder_name = models.CharField(
        max_length=140, help_text="The name the bank holds, as the verification returned it."
    )
    verification_provider = models.CharField(max_length=32)
    verification_reference = models.CharField(max_length=80)
    verified_at = models.DateTimeField()
    is_default = models.BooleanField(default=False)
    removed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_live(self):
        return self.removed_at is None


class BankAccount(Destination):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bank_accounts",
        db_index=False,  # bank_user_live_idx leads with it
    )
    account_number = models.CharField(max_length=18)
    ifsc = models.CharField("IFSC", max_length=11)
    bank_name = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-is_default", "-created_at"]
        indexes = [models.Index(fields=["user", "removed_at"], name="bank_user_live_idx")]
        constraints = [
            # A real account is linked to one live profile at a time, whoever asks.
            models.UniqueConstraint(
                fields=["account_number", "ifsc"],
                condition=Q(removed_at=None),
                name="bank_account_linked_once",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(removed_at=None, is_default=True),
                name="bank_account_one_default_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.bank_name or self.ifsc} {self.masked}"

    @property
    def masked(self):
        return mask_account_number(self.account_number)

    @property
    def kind(self):
        return "bank"


class UpiId(Destination):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="upi_ids",
        db_index=False,  # upi_user_live_idx leads with it
    )
    vpa = models.CharField("UPI ID", max_length=255)

    class Meta:
        verbose_name = "UPI ID"
        ordering = ["-is_default", "-created_at"]
        indexes = [models.Index(fields=["user", "removed_at"], name="upi_user_live_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["vpa"], condition=Q(removed_at=None), name="upi_id_linked_once"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(removed_at=None, is_default=True),
                name="upi_id_one_default_per_user",
            ),
        ]

    def __str__(self):
        return self.masked

    @property
    def masked(self):
        return mask_vpa(self.vpa)

    @property
    def kind(self):
        return "upi"


class DestinationEvent(models.Model):
    """The audit trail of a destination: linked, made default, removed."""

    class Action(models.TextChoices):
        LINKED = "linked"
        DEFAULT = "default"
        REMOVED = "removed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    bank_account = models.ForeignKey(
        BankAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    upi_id = models.ForeignKey(
        UpiId, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bank_account__isnull=False) ^ Q(upi_id__isnull=False),
                name="destination_event_has_one_target",
            )
        ]

    def __str__(self):
        return f"{self.action} at {self.created_at:%Y-%m-%d %H:%M}"


class DestinationFlag(models.Model):
    """A refused link staff should look at: someone tried an account that is another person's."""

    class Kind(models.TextChoices):
        BANK = "bank", "Bank account"
        UPI = "upi", "UPI ID"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    other_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=255, help_text="Account number and IFSC, or the UPI ID.")
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reviewed_at", "-created_at"]
        indexes = [models.Index(fields=["reviewed_at", "-created_at"], name="flag_queue_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} flag for {self.user}"
