"""
Vault PayIn (rail ``CARD``), as its PayIn process describes:

0. ``PATCH /v3/customer/profile`` — the customer at ``KYC_0`` (the PayIn precondition)
1. ``POST /v3/payin/card`` — card + billing address → ``cardId``, ``brand``, ``last4``
2. ``GET /v3/payin/data`` — rates and ``minAmount`` / ``maxAmount`` for the currency
3. ``POST /v3/payin/offer`` — an offer without charging → ``offerId``
4. ``PUT /v3/payin/offer/{offerId}`` — keep the offer's amount in step with the order
5. ``POST /v3/payin/pay/{offerId}`` — pay → ``redirectUrl`` (3-D Secure)
6. ``GET /v3/payin/pay-callback?offerId=…`` — the payment's status

The customer must hold ``KYC_0``. Authentication: ``X-Api-Key``.
"""

from decimal import Decimal

from ramp.providers.base import CheckoutRequest, CheckoutSession, CheckoutStatus, ProviderError
from ramp.providers.http import JsonClient, required

NAME = "Vault"
STATES = {
    "SUCCESS": "succeeded",
    "COMPLETED": "succeeded",
    "FAILED": "failed",
    "DECLINED": "failed",
    "CANCELLED": "failed",
    "PENDING": "pending",
    "CREATED": "pending",
}


class VaultPayIn:
    name = "vault"

    def __init__(self, *, base_url, api_key, session=None):
        self.client = JsonClient(
            base_url=base_url, headers={"X-Api-Key": api_key}, provider=NAME, session=session
        )

    def start(self, request: CheckoutRequest) -> CheckoutSession:
        if request.card is None or request.billing is None:
            raise ProviderError("Card details are needed for a card payment.", permanent=True)
        profile = self.client.call(
            "PATCH",
            "/v3/customer/profile",
            json_body={
                "customerId": request.customer_id,
                "email": request.customer_email,
                "kycLevel": "KYC_0",
            },
        )
        if profile.get("kycLevel") != "KYC_0":
            raise ProviderError(
                "Vault did not accept the customer's verification level.", permanent=True
            )
        card = self.client.call(
            "POST",
            "/v3/payin/card",
            json_body={
                "customerId": request.customer_id,
                "customerEmail": request.customer_email,
                "kycLevel": "KYC_0",
                "cardNumber": request.card.number,
                "cardholderName": request.card.holder_name,
                "expiryMonth": request.card.expiry_month,
                "expiryYear": request.card.expiry_year,
                "cvv": request.card.cvv,
                "billingAddress": {
                    "line1": request.billing.line1,
                    "city": request.billing.city,
                    "postalCode": request.billing.postal_code,
                    "country": request.billing.country,
                },
            },
        )
        card_id, brand, last4 = required(card, "cardId", "brand", "last4", provider=NAME)
        data = self.client.call("GET", "/v3/payin/data", params={"currency": request.currency})
        minimum, maximum = required(data, "minAmount", "maxAmount", provider=NAME)
        if not Decimal(str(minimum)) <= request.amount <= Decimal(str(maximum)):
            raise ProviderError(
                f"Card payments must be between {minimum} and {maximum} {request.currency}.",
                permanent=True,
            )
        offer = self.client.call("POST", "/v3/payin/offer", json_body=self._offer(request, card_id))
        (offer_id,) = required(offer, "offerId", provider=NAME)
        paid = self.client.call(
            "POST",
            f"/v3/payin/pay/{offer_id}",
            json_body={
                "successUrl": request.success_url,
                "failureUrl": request.failure_url,
                "callbackUrl": request.callback_url,
            },
        )
        (redirect_url,) = required(paid, "redirectUrl", provider=NAME)
        return CheckoutSession(
            reference=str(offer_id),
            redirect_url=redirect_url,
            card_brand=str(brand),
            card_last4=str(last4)[-4:],
            provider_card_id=str(card_id),
        )

    def update_offer(self, reference, request: CheckoutRequest, card_id):
        """Keep an existing offer's amount in step with the order (PUT /v3/payin/offer/{id})."""
        body = self.client.call(
            "PUT", f"/v3/payin/offer/{reference}", json_body=self._offer(request, card_id)
        )
        return str(required(body, "offerId", provider=NAME)[0])

    def status(self, reference) -> CheckoutStatus:
        body = self.client.call("GET", "/v3/payin/pay-callback", params={"offerId": reference})
        status, amount, currency = required(body, "status", "amount", "currency", provider=NAME)
        return CheckoutStatus(
            reference=str(reference),
            state=STATES.get(str(status).upper(), "pending"),
            amount=Decimal(str(amount)),
            currency=str(currency),
            reason=str(body.get("reason") or ""),
        )

    @staticmethod
    def _offer(request, card_id):
        return {
            "cardId": card_id,
            "amount": str(request.amount),
            "currency": request.currency,
            "customerId": request.customer_id,
            "externalId": request.order_reference,
        }
