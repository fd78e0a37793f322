import json
import uuid

import requests
from django.conf import settings
from django.tasks import task

from ramp.sandbox.models import SandboxPayment
from ramp.services.checkout import sign

SECRETS = {"vault": "VAULT_WEBHOOK_SECRET", "paysecure": "PAYSECURE_WEBHOOK_SECRET"}


@task
def send_provider_callback(*, payment_id):
    """What a real provider does after a payment: a signed POST to the merchant's callback."""
    payment = SandboxPayment.objects.get(pk=payment_id)
    if not payment.callback_url:
        return
    body = json.dumps(
        {
            "event_id": f"evt_{uuid.uuid4().hex}",
            "type": "payment.updated",
            "reference": payment.reference,
            "status": payment.status,
        }
    ).encode()
    secret = getattr(settings, SECRETS[payment.provider])
    requests.post(
        payment.callback_url,
        data=body,
        headers={"Content-Type": "application/json", "X-Signature": sign(secret, body)},
        timeout=5,
    )
