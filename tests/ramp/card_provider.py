"""
The card providers at their HTTP boundary, for tests: Vault PayIn and Paysecure answers recorded
in ``fixtures/`` (the ``vault_settings`` fixture in tests/conftest.py points the adapters here).
"""

import json
from pathlib import Path

import responses
from responses import matchers

from ramp.providers.base import BillingAddress, CardDetails

FIXTURES = Path(__file__).parent / "fixtures"
VAULT = "https://vault.example.com"
PAYSECURE = "https://paysecure.example.com"
CARD = CardDetails(
    number="4242424242424242",
    expiry_month=12,
    expiry_year=2030,
    cvv="123",
    holder_name="ALICE KUMAR",
)
BILLING = BillingAddress(line1="1 MG Road", city="Bengaluru", postal_code="560001", country="IN")


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


def stub_vault_start(strict=False):
    responses.patch(
        f"{VAULT}/v3/customer/profile",
        json={"customerId": "7", "kycLevel": "KYC_0", "status": "ACTIVE"},
        match=[
            matchers.json_params_matcher(
                {"customerId": "7", "email": "alice@example.com", "kycLevel": "KYC_0"}
            )
        ]
        if strict
        else [],
    )
    responses.post(
        f"{VAULT}/v3/payin/card",
        json=fixture("vault_card.json"),
        match=[matchers.header_matcher({"X-Api-Key": "vk"})],
    )
    responses.get(
        f"{VAULT}/v3/payin/data",
        json=fixture("vault_data.json"),
        match=[matchers.query_param_matcher({"currency": "INR"})],
    )
    offer = {
        "cardId": "card_8f2b1c",
        "amount": "2500.00",
        "currency": "INR",
        "customerId": "7",
        "externalId": "RMPABC",
    }
    responses.post(
        f"{VAULT}/v3/payin/offer",
        json=fixture("vault_offer.json"),
        match=[matchers.json_params_matcher(offer)] if strict else [],
    )
    responses.post(f"{VAULT}/v3/payin/pay/offer_51ac", json=fixture("vault_pay.json"))


def stub_status(state="SUCCESS", amount="2500.00", *, http_status=200):
    """What Vault answers when asked about the payment from now on (``http_status`` for an
    outage); a later call replaces the answer."""
    body = {"offerId": "offer_51ac", "status": state, "amount": amount, "currency": "INR"}
    responses.upsert(
        responses.GET,
        f"{VAULT}/v3/payin/pay-callback",
        status=http_status,
        json=body if http_status == 200 else {"error": "unavailable"},
    )
