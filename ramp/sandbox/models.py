import uuid

from django.db import models


class SandboxPayment(models.Model):
    """What the sandbox provider knows about a payment. No card number, ever."""

    provider = models.CharField(max_length=20)
    reference = models.CharField(max_length=40, unique=True)
    amount = models.DecimalField(max_digits=20, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=12, default="CREATED")
    external_id = models.CharField(max_length=40, blank=True)
    success_url = models.URLField(max_length=500, blank=True)
    failure_url = models.URLField(max_length=500, blank=True)
    callback_url = models.URLField(max_length=500, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.provider} {self.reference} {self.status}"

    @staticmethod
    def new_reference(prefix):
        return f"{prefix}_{uuid.uuid4().hex[:20]}"
