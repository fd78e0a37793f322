import json
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
import responses
import time_machine
from django.urls import reverse
from django.utils import timezone
from responses import matchers

from ramp.models import CardCheckout, OrderStatus, ProviderEvent
from ramp.providers.base import CardDetails, CheckoutRequest, ProviderError
from ramp.providers.paysecure import Paysecure
from ramp.providers.vault import VaultPayIn
from ramp.services import orders
from ramp.services.checkout import CheckoutFailed, checkout_confirm, checkout_start, sign
from ramp.services.orders import orders_expire_due
from ramp.services.quotes import quote_create
from tests.ramp.card_provider import (
    BILLING,
    CARD,
    PAYSECURE,
    VAULT,
    fixture,
    stub_status,
    stub_vault_start,
)
from tests.ramp.conftest import TRON_WALLET

S = OrderStatus


def request(**overrides):
    fields = {
        "order_reference": "RMPABC",
        "amount": Decimal("2500.00"),
        "currency": "INR",
        "customer_id": "7",
        "customer_email": "alice@example.com",
        "success_url": "https://ramp.test/ok",
        "failure_url": "https://ramp.test/ko",
        "callback_url": "https://ramp.test/cb",
        "card": CARD,
        "billing": BILLING,
    }
    return CheckoutRequest(**{**fields, **overrides})


# --- adapters at the HTTP boundary --------------------------------------------------------------


@responses.activate
def test_vault_registers_the_card_makes_an_offer_and_pays_it():
    stub_vault_start(strict=True)

    session = VaultPayIn(base_url=VAULT, api_key="vk").start(request())

    assert (
        session.reference,
        session.card_brand,
        session.card_last4,
        session.provider_card_id,
    ) == ("offer_51ac", "visa", "4242", "card_8f2b1c")
    assert session.redirect_url == "https://3ds.vault.example.com/challenge/offer_51ac"
    assert responses.calls[0].request.method == "PATCH"  # the customer at KYC_0 first
    card_call = json.loads(responses.calls[1].request.body)
    assert (
        card_call["billingAddress"]["postalCode"] == "560001" and card_call["kycLevel"] == "KYC_0"
    )
    assert json.loads(responses.calls[4].request.body)["successUrl"] == "https://ramp.test/ok"


@responses.activate
def test_vault_refuses_an_amount_outside_its_limits_before_making_an_offer():
    stub_vault_start()

    with pytest.raises(ProviderError, match="between 500 and 150000") as error:
        VaultPayIn(base_url=VAULT, api_key="vk").start(request(amount=Decimal("200000")))

    assert error.value.permanent
    assert not any("/offer" in call.request.url for call in responses.calls)


@responses.activate
def test_vault_keeps_an_offer_in_step_with_the_amount():
    responses.put(
        f"{VAULT}/v3/payin/offer/offer_51ac",
        json=fixture("vault_offer.json"),
        match=[
            matchers.json_params_matcher(
                {
                    "cardId": "card_8f2b1c",
                    "amount": "2600.00",
                    "currency": "INR",
                    "customerId": "7",
                    "externalId": "RMPABC",
                }
            )
        ],
    )

    assert (
        VaultPayIn(base_url=VAULT, api_key="vk").update_offer(
            "offer_51ac", request(amount=Decimal("2600.00")), "card_8f2b1c"
        )
        == "offer_51ac"
    )


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("SUCCESS", "succeeded"),
        ("FAILED", "failed"),
        ("PENDING", "pending"),
        ("WHATEVER", "pending"),
    ],
)
@responses.activate
def test_vault_status_is_read_from_pay_callback(status, state):
    responses.get(
        f"{VAULT}/v3/payin/pay-callback",
        json={"offerId": "o1", "status": status, "amount": "2500.00", "currency": "INR"},
        match=[matchers.query_param_matcher({"offerId": "o1"})],
    )

    result = VaultPayIn(base_url=VAULT, api_key="vk").status("o1")

    assert (result.state, result.amount) == (state, Decimal("2500.00"))


@responses.activate
def test_paysecure_asks_for_the_quickbit_method_and_returns_its_checkout():
    responses.post(
        f"{PAYSECURE}/purchases/",
        status=201,
        json={
            "id": "pur_1",
            "checkout_url": "https://pay.quickbit.example/c/pur_1",
            "status": "created",
        },
        match=[matchers.header_matcher({"Authorization": "Bearer pk"})],
    )

    session = Paysecure(base_url=PAYSECURE, api_key="pk").start(request(card=None, billing=None))

    sent = json.loads(responses.calls[0].request.body)
    assert sent["paymentMethod"] == "QBPAYFTOPUP"
    assert (sent["success_redirect"], sent["failure_redirect"]) == (
        "https://ramp.test/ok",
        "https://ramp.test/ko",
    )
    assert session.redirect_url == "https://pay.quickbit.example/c/pur_1"


@pytest.mark.parametrize(
    ("reply", "permanent"),
    [
        ({"body": requests.ConnectTimeout()}, False),
        ({"body": requests.ReadTimeout()}, False),
        ({"status": 502, "body": "bad gateway"}, False),
        ({"status": 400, "json": {"message": "card expired"}}, True),
        ({"status": 200, "body": "{not json"}, False),
        ({"status": 200, "json": {"unexpected": True}}, False),
    ],
)
@responses.activate
def test_provider_failures_say_whether_to_retry_and_never_echo_the_card(reply, permanent):
    responses.patch(f"{VAULT}/v3/customer/profile", json={"kycLevel": "KYC_0"})
    responses.post(f"{VAULT}/v3/payin/card", **reply)

    with pytest.raises(ProviderError) as error:
        VaultPayIn(base_url=VAULT, api_key="vk").start(request())

    assert error.value.permanent is permanent
    assert "4242424242424242" not in error.value.message and "123" not in error.value.message


# --- our side: start, confirm, callbacks ---------------------------------------------------------


def started_card_order(user, usdt):
    """A card order whose customer is now at Vault's checkout."""
    stub_vault_start()
    order = card_order(user, usdt)
    checkout_start(order=order, card=CARD, billing=BILLING, site_url="https://ramp.test")
    return order


def card_order(user, usdt, method="CARD"):
    quote = quote_create(
        user=user, side="buy", asset=usdt, payment_method=method, fiat_amount="2500"
    )
    return orders.order_create_onramp(user=user, quote_id=quote.pk, wallet_address=TRON_WALLET)


@pytest.mark.django_db
@responses.activate
def test_a_card_order_waits_in_checkout_pending_and_keeps_only_brand_and_last4(
    buyer, usdt, vault_settings
):
    stub_vault_start()
    order = card_order(buyer, usdt)
    assert order.status == S.CHECKOUT_PENDING and order.upi_id is None

    checkout = checkout_start(order=order, card=CARD, billing=BILLING, site_url="https://ramp.test")

    assert (checkout.card_brand, checkout.card_last4, checkout.reference) == (
        "visa",
        "4242",
        "offer_51ac",
    )
    assert (
        json.loads(responses.calls[4].request.body)["successUrl"]
        == f"https://ramp.test/orders/{order.pk}/checkout/return/"
    )
    assert (
        checkout_start(order=order, card=CARD, billing=BILLING, site_url="https://ramp.test")
        == checkout
    )
    assert len(responses.calls) == 5  # a second start reuses the open checkout


@pytest.mark.django_db
@responses.activate
def test_a_provider_outage_at_start_leaves_the_order_to_retry(buyer, usdt, vault_settings):
    responses.patch(f"{VAULT}/v3/customer/profile", json={"kycLevel": "KYC_0"})
    responses.post(f"{VAULT}/v3/payin/card", body=requests.ReadTimeout())
    order = card_order(buyer, usdt)

    with pytest.raises(CheckoutFailed, match="Nothing was charged"):
        checkout_start(order=order, card=CARD, billing=BILLING, site_url="https://ramp.test")

    order.refresh_from_db()
    assert order.status == S.CHECKOUT_PENDING and not CardCheckout.objects.exists()


@pytest.mark.django_db
@responses.activate
@pytest.mark.parametrize(
    ("state", "amount", "expected"),
    [
        ("SUCCESS", "2500.00", S.FIAT_RECEIVED),
        ("FAILED", "2500.00", S.FAILED),
        ("PENDING", "2500.00", S.CHECKOUT_PENDING),
        ("SUCCESS", "25.00", S.FAILED),
    ],
)
def test_the_outcome_comes_from_the_providers_status(
    buyer, usdt, vault_settings, state, amount, expected
):
    order = started_card_order(buyer, usdt)
    stub_status(state, amount)

    assert checkout_confirm(order=order).status == expected


@pytest.mark.django_db
@responses.activate
def test_a_success_redirect_for_a_failed_payment_credits_nothing(
    client, buyer, usdt, vault_settings
):
    order = started_card_order(buyer, usdt)
    stub_status("FAILED")
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")

    response = client.get(
        reverse("ramp:checkout_return", args=[order.pk]),
        {"status": "success", "paid": "true"},
        follow=True,
    )

    order.refresh_from_db()
    assert order.status == S.FAILED
    assert "did not go through" in response.content.decode()


def signed_callback(client, provider, payload, secret):
    body = json.dumps(payload).encode()
    return client.post(
        reverse("ramp:provider_callback", args=[provider]),
        body,
        content_type="application/json",
        headers={"X-Signature": sign(secret, body)},
    )


@pytest.mark.django_db
@responses.activate
def test_a_signed_callback_confirms_once_with_the_provider(client, buyer, usdt, vault_settings):
    order = started_card_order(buyer, usdt)
    stub_status("SUCCESS")
    payload = {"event_id": "evt_1", "reference": "offer_51ac", "status": "SUCCESS"}

    first = signed_callback(client, "vault", payload, "whsec-vault")
    again = signed_callback(client, "vault", payload, "whsec-vault")

    assert (first.status_code, first.content, again.status_code, again.content) == (
        200,
        b"processed",
        200,
        b"duplicate",
    )
    order.refresh_from_db()
    assert order.status == S.FIAT_RECEIVED
    assert ProviderEvent.objects.count() == 1
    assert order.events.filter(to_status=S.FIAT_RECEIVED).count() == 1


@pytest.mark.django_db
@responses.activate
def test_a_callback_claiming_success_is_checked_with_the_provider(
    client, buyer, usdt, vault_settings
):
    order = started_card_order(buyer, usdt)
    stub_status("PENDING")

    signed_callback(
        client,
        "vault",
        {"event_id": "evt_2", "reference": "offer_51ac", "status": "SUCCESS"},
        "whsec-vault",
    )

    order.refresh_from_db()
    assert order.status == S.CHECKOUT_PENDING


@pytest.mark.django_db
@responses.activate
def test_a_callback_we_cannot_check_yet_is_asked_to_come_again(client, buyer, usdt, vault_settings):
    order = started_card_order(buyer, usdt)
    stub_status(http_status=503)
    payload = {"event_id": "evt_9", "reference": "offer_51ac", "status": "SUCCESS"}

    first = signed_callback(client, "vault", payload, "whsec-vault")

    assert first.status_code == 503 and first["Retry-After"]
    assert first.json()["error"]["code"] == "provider_unavailable"
    order.refresh_from_db()
    assert order.status == S.CHECKOUT_PENDING
    # The provider sends the same event again; now it is processed, not taken for a duplicate.
    stub_status("SUCCESS")
    again = signed_callback(client, "vault", payload, "whsec-vault")
    assert (again.status_code, again.content) == (200, b"processed")
    order.refresh_from_db()
    assert order.status == S.FIAT_RECEIVED


@pytest.mark.django_db
@responses.activate
@pytest.mark.parametrize(
    ("provider_says", "status", "message"),
    [
        ({"state": "SUCCESS"}, S.FIAT_RECEIVED, "moved on"),  # paid, the callback lost
        ({"state": "PENDING"}, S.CANCELLED, ""),
        ({"http_status": 503}, S.CHECKOUT_PENDING, "could not check your card payment"),
    ],
)
def test_cancelling_a_card_order_asks_the_provider_first(
    client, buyer, usdt, vault_settings, provider_says, status, message
):
    order = started_card_order(buyer, usdt)
    stub_status(**provider_says)
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")

    response = client.post(reverse("ramp:cancel_order", args=[order.pk]), follow=True)

    order.refresh_from_db()
    assert order.status == status
    assert message in response.content.decode()


@pytest.mark.django_db
@responses.activate
def test_staff_marking_a_card_order_failed_ask_the_provider_first(
    buyer, usdt, staff, vault_settings
):
    from ramp.errors import OrderStateChanged

    order = started_card_order(buyer, usdt)
    stub_status("SUCCESS")  # it went through; the callback never came

    with pytest.raises(OrderStateChanged):
        orders.order_fail(order=order, staff=staff, reason="Customer says they gave up")

    order.refresh_from_db()
    assert order.status == S.FIAT_RECEIVED


@pytest.mark.django_db
@responses.activate
def test_money_taken_after_the_order_closed_is_recorded_for_a_refund(
    client, admin_client, buyer, usdt, vault_settings
):
    """Still pending at the provider when the order expired; paid a little later."""
    order = started_card_order(buyer, usdt)
    stub_status("PENDING")
    with time_machine.travel(timezone.now() + timedelta(hours=3, minutes=1)):
        assert orders_expire_due() == 1
    stub_status("SUCCESS")

    for event_id in ("evt_late", "evt_late_again"):  # told once, however often it is reported
        response = signed_callback(
            client, "vault", {"event_id": event_id, "reference": "offer_51ac"}, "whsec-vault"
        )
        assert response.status_code == 200

    order.refresh_from_db()
    assert order.status == S.EXPIRED  # a closed order is not revived at a three-hour-old price
    assert CardCheckout.objects.get(order=order).state == CardCheckout.State.PAID_LATE
    late = order.events.filter(note__contains="after the order closed")
    assert late.count() == 1 and "₹2,500.00" in late.get().note and "refund" in late.get().note
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")
    page = client.get(reverse("ramp:order", args=[order.pk])).content.decode()
    assert "our team will refund it to your card" in page  # the person is told, on the order
    listed = admin_client.get(
        reverse("admin:ramp_order_changelist"), {"checkout__state__exact": "paid_late"}
    )
    assert list(listed.context["cl"].result_list) == [order]


@pytest.mark.django_db
@pytest.mark.parametrize("secret", ["wrong-secret", ""])
def test_a_badly_signed_callback_is_refused(client, secret, vault_settings):
    response = signed_callback(
        client, "vault", {"event_id": "evt_3", "reference": "x"}, secret or "x"
    )
    if not secret:
        response = client.post(
            reverse("ramp:provider_callback", args=["vault"]),
            b"{}",
            content_type="application/json",
        )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"
    assert not ProviderEvent.objects.exists()


@pytest.mark.django_db
def test_an_unknown_provider_callback_is_refused(client):
    response = client.post(
        reverse("ramp:provider_callback", args=["nobody"]),
        b"{}",
        content_type="application/json",
        headers={"X-Signature": "sha256=00"},
    )

    assert response.status_code == 401


@pytest.mark.django_db
@responses.activate
def test_the_card_form_never_echoes_the_card(client, buyer, usdt, vault_settings):
    order = card_order(buyer, usdt)
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")

    response = client.post(
        reverse("ramp:checkout", args=[order.pk]),
        {
            "number": "4242 4242 4242 4241",
            "expiry": "12/30",
            "cvv": "987",
            "holder_name": "ALICE KUMAR",
            "line1": "1 MG Road",
            "city": "Bengaluru",
            "postal_code": "560001",
            "country": "IN",
        },
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "This card number is not valid" in body
    assert "4242 4242 4242 4241" not in body and "987" not in body
    assert 'value="ALICE KUMAR"' in body


@pytest.mark.django_db
@responses.activate
def test_an_abandoned_checkout_expires(buyer, usdt, vault_settings):
    order = started_card_order(buyer, usdt)
    stub_status("PENDING")  # the customer never finished paying

    with time_machine.travel(timezone.now() + timedelta(hours=3, minutes=1)):
        assert orders_expire_due() == 1
    order.refresh_from_db()
    assert order.status == S.EXPIRED


@pytest.mark.django_db
@responses.activate
def test_a_payment_nobody_told_us_about_is_found_before_the_order_expires(
    buyer, usdt, vault_settings
):
    """The callback was lost and the customer closed the tab: the money must not be orphaned."""
    order = started_card_order(buyer, usdt)
    stub_status("SUCCESS")

    with time_machine.travel(timezone.now() + timedelta(hours=3, minutes=1)):
        assert orders_expire_due() == 0
    order.refresh_from_db()
    assert order.status == S.FIAT_RECEIVED
    assert CardCheckout.objects.get(order=order).state == CardCheckout.State.SUCCEEDED


@pytest.mark.django_db
@responses.activate
def test_an_order_whose_payment_cannot_be_checked_waits_for_the_provider(
    buyer, usdt, vault_settings
):
    order = started_card_order(buyer, usdt)
    stub_status(http_status=503)
    later = timezone.now() + timedelta(hours=3, minutes=1)

    with time_machine.travel(later):
        assert orders_expire_due() == 0  # we cannot know whether it was paid: ask again later
    order.refresh_from_db()
    assert order.status == S.CHECKOUT_PENDING

    stub_status("PENDING")
    with time_machine.travel(later + timedelta(minutes=1)):
        assert orders_expire_due() == 1
    order.refresh_from_db()
    assert order.status == S.EXPIRED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("card", "field"),
    [
        (
            CardDetails(
                number="4242424242424241",
                expiry_month=12,
                expiry_year=2030,
                cvv="123",
                holder_name="A",
            ),
            "number",
        ),
        (
            CardDetails(
                number="4242424242424242",
                expiry_month=1,
                expiry_year=2020,
                cvv="123",
                holder_name="A",
            ),
            "expiry",
        ),
        (
            CardDetails(
                number="4242424242424242",
                expiry_month=12,
                expiry_year=2030,
                cvv="12a",
                holder_name="A",
            ),
            "cvv",
        ),
    ],
)
@responses.activate
def test_the_service_refuses_bad_cards_before_calling_the_provider(
    buyer, usdt, vault_settings, card, field
):
    from config.errors import FieldInvalid

    order = card_order(buyer, usdt)

    with pytest.raises(FieldInvalid) as error:
        checkout_start(order=order, card=card, billing=BILLING, site_url="https://ramp.test")

    assert error.value.field == field
    assert len(responses.calls) == 0
