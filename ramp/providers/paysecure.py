"""
Paysecure purchases with the Quickbit wallet (rail ``QBPAYFTOPUP``).

``POST /purchases/`` with ``success_redirect``, ``failure_redirect`` and
``paymentMethod: "QBPAYFTOPUP"`` (without it the customer would land on the Paysecure cashier)
→ ``{"id", "checkout_url", "status"}``; the customer is sent to ``checkout_url``. The outcome is
read back with ``GET /purchases/{id}/``. Authentication: ``Authorization: Bearer``.
"""

from decimal import Decimal

from ramp.providers.base import CheckoutRequest, CheckoutSession, CheckoutStatus
from ramp.providers.http import JsonClient, required

NAME = "Paysecure"
STATES = {
    "paid": "succeeded",
    "success": "succeeded",
    "error": "failed",
    "failed": "failed",
    "cancelled": "failed",
    "expired": "failed",
    "created": "pending",
    "pending": "pending",
}


class Paysecure:
    name = "paysecure"

    def __init__(self, *, base_url, api_key, session=None):
        self.client = JsonClient(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            provider=NAME,
            session=session,
        )

    def start(self, request: CheckoutRequest) -> CheckoutSession:
        body = self.client.call(
            "POST",
            "/purchases/",
            json_body={
                "client": {"email": request.customer_email},
                "purchase": {
                    "currency": request.currency,
                    "products": [
                        {"name": f"Order {request.order_reference}", "price": str(request.amount)}
                    ],
                },
                "amount": str(request.amount),
                "currency": request.currency,
                "reference": request.order_reference,
                "success_redirect": request.success_url,
                "failure_redirect": request.failure_url,
                "success_callback": request.callback_url,
                "paymentMethod": "QBPAYFTOPUP",
            },
        )
        purchase_id, checkout_url = required(body, "id", "checkout_url", provider=NAME)
        return CheckoutSession(reference=str(purchase_id), redirect_url=checkout_url)

    def status(self, reference) -> CheckoutStatus:
        body = self.client.call("GET", f"/purchases/{reference}/")
        status, amount, currency = required(body, "status", "amount", "currency", provider=NAME)
        return CheckoutStatus(
            reference=str(reference),
            state=STATES.get(str(status).lower(), "pending"),
            amount=Decimal(str(amount)),
            currency=str(currency),
            reason=str(body.get("reason") or ""),
        )
