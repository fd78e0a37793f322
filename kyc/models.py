import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact


class KycStatus(models.TextChoices):
    NOT_STARTED = "NOT_STARTED", "Not started"
    PENDING = "PENDING", "Pending review"
    VERIFIED = "VERIFIED", "Verified"
    REJECTED = "REJECTED", "Rejected"


class KycLevel(models.Model):
    """What a verified user may move. Later rules (quotes, orders) read these limits."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=64)
    per_order_limit_inr = models.DecimalField(max_digits=14, decimal_places=2)
    daily_limit_inr = models.DecimalField(max_digits=14, decimal_places=2)
    monthly_limit_inr = models.DecimalField(max_digits=14, decimal_places=2)
    allows_card_rails = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "KYC level"
        constraints = [
            models.CheckConstraint(
                condition=Q(per_order_limit_inr__gt=Decimal(0))
                & Q(daily_limit_inr__gte=models.F("per_order_limit_inr"))
                & Q(monthly_limit_inr__gte=models.F("daily_limit_inr")),
                name="kyc_level_limits_ordered",
            ),
        ]

    def __str__(self):
        return self.code


def _document_path(instance, filename):
    # The service already chose a random name; never trust or keep the uploaded name.
    return f"kyc/{filename}"


class KycSubmission(models.Model):
    """
    One attempt to verify a person. A rejected person submits again (a new row); the newest row
    is where they stand. Only the last four Aadhaar digits are ever stored.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="kyc_submissions",
        db_index=False,  # kyc_sub_user_recent_idx leads with it
    )
    status = models.CharField(max_length=16, choices=KycStatus.choices, default=KycStatus.PENDING)
    level = models.ForeignKey(KycLevel, null=True, blank=True, on_delete=models.PROTECT)
    full_name = models.CharField(max_length=120)
    date_of_birth = models.DateField()
    pan_number = models.CharField("PAN", max_length=10)
    aadhaar_last4 = models.CharField("Aadhaar (last 4)", max_length=4)
    pan_image = models.FileField(upload_to=_document_path, max_length=200)
    aadhaar_image = models.FileField(
        "masked Aadhaar image", upload_to=_document_path, max_length=200
    )
    selfie = models.FileField(upload_to=_document_path, max_length=200)
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "KYC submission"
        permissions = [("review_kycsubmission", "Can approve or reject KYC submissions")]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="kyc_sub_user_recent_idx"),
            models.Index(fields=["status", "created_at"], name="kyc_sub_queue_idx"),
            models.Index(fields=["pan_number"], name="kyc_sub_pan_idx"),
        ]
        constraints = [
            # One live submission per person: a pending one may not be doubled, a verified one
            # may not be silently replaced.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["PENDING", "VERIFIED"]),
                name="kyc_one_live_submission_per_user",
            ),
            # One person per PAN.
            models.UniqueConstraint(
                fields=["pan_number"],
                condition=Q(status__in=["PENDING", "VERIFIED"]),
                name="kyc_one_live_submission_per_pan",
            ),
            # Only ever the last four digits of an Aadhaar number.
            models.CheckConstraint(
                condition=Exact(Length("aadhaar_last4"), 4), name="kyc_aadhaar_last4_only"
            ),
            models.CheckConstraint(
                condition=~Q(status="REJECTED") | ~Q(rejection_reason=""),
                name="kyc_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_status_display()})"

    @property
    def aadhaar_masked(self):
        return f"XXXX XXXX {self.aadhaar_last4}"

    @property
    def pan_masked(self):
        return f"{self.pan_number[:2]}XXXXX{self.pan_number[-3:]}"


class KycEvent(models.Model):
    """Every status change of a submission: who, when, from, to, why."""

    submission = models.ForeignKey(KycSubmission, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=KycStatus.choices)
    to_status = models.CharField(max_length=16, choices=KycStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "KYC event"

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
