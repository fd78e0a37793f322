import json
from datetime import timedelta
from decimal import Decimal

import pytest
import responses
import time_machine
from django.urls import reverse
from django.utils import timezone

from invoices import webhooks
from invoices.errors import InvoiceNotOpen, InvoiceTaken
from invoices.models import Invoice, LedgerEntry, MerchantBalance, WebhookDelivery
from invoices.services import (
    egress_claim,
    egress_payout_complete,
    invoice_cancel,
    invoice_create,
    invoice_pay_start,
    invoices_expire_due,
)
from ramp.errors import LimitExceeded, OrderStateChanged
from ramp.models import Order, OrderStatus
from ramp.services import orders
from tests.invoices.conftest import CALLBACK, invoice_body

pytestmark = pytest.mark.django_db


def ingress(merchant, *, amount="1500.00", **extra):
    return invoice_create(
        merchant=merchant,
        kind="ingress",
        amount=Decimal(amount),
        currency="INR",
        reference="order-42",
        callback_url=CALLBACK,
        expires_at=timezone.now() + timedelta(hours=2),
        redirect_url="https://merchant.example.com/thanks",
        **extra,
    )


def paid_ingress(merchant, user, staff):
    invoice = ingress(merchant)
    order = invoice_pay_start(invoice=invoice, user=user, payment_method="INR_UPI")
    orders.order_submit_utr(order=order, utr="123456789012")
    orders.order_confirm_fiat(order=order, staff=staff)
    invoice.refresh_from_db()
    return invoice


def test_paying_an_ingress_invoice_credits_the_merchant_and_queues_the_callback(
    merchant, buyer, staff
):
    invoice = ingress(merchant)
    order = invoice_pay_start(invoice=invoice, user=buyer, payment_method="INR_UPI")
    assert (order.side, order.status, order.fiat_amount, order.upi_id.user) == (
        "pay",
        "fiatPending",
        Decimal("1500.00"),
        buyer,
    )

    orders.order_submit_utr(order=order, utr="123456789012")
    orders.order_confirm_fiat(order=order, staff=staff)

    invoice.refresh_from_db()
    order.refresh_from_db()
    assert (invoice.status, invoice.bound_user, order.status) == (
        "paid",
        buyer,
        OrderStatus.COMPLETED,
    )
    assert invoice.paid_at is not None
    assert MerchantBalance.objects.get(merchant=merchant).available == Decimal("1485.00")  # 1 % fee
    journal = LedgerEntry.objects.filter(invoice=invoice)
    assert sum(entry.amount for entry in journal) == 0 and journal.count() == 3
    delivery = WebhookDelivery.objects.get(event_type="ingress.paid")
    assert delivery.payload["data"]["status"] == "paid" and delivery.payload["data"]["id"] == str(
        invoice.pk
    )


def test_an_invoice_binds_to_the_first_person_who_starts_paying(merchant, buyer, verified_bob):
    from ramp.services.destinations import upi_id_link

    upi_id_link(user=verified_bob, upi_id="bob@okaxis")
    invoice = ingress(merchant)
    invoice_pay_start(invoice=invoice, user=buyer, payment_method="INR_UPI")

    with pytest.raises(InvoiceTaken):
        invoice_pay_start(invoice=invoice, user=verified_bob, payment_method="INR_UPI")
    again = invoice_pay_start(invoice=invoice, user=buyer, payment_method="INR_UPI")
    assert again == Invoice.objects.get().order  # the same order, not a second one


@pytest.mark.parametrize("method", ["BOGUS", "QBPAYFTOPUP", ""])
def test_a_pay_in_is_paid_only_by_the_methods_the_page_offers(client, merchant, buyer, method):
    invoice = ingress(merchant)
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")

    response = client.post(
        reverse("invoices:hosted", args=[invoice.token]), {"payment_method": method}, follow=True
    )

    assert "Pay by UPI, IMPS bank transfer or card." in response.content.decode()
    invoice.refresh_from_db()
    assert (invoice.order_id, invoice.bound_user_id) == (None, None)
    assert not Order.objects.exists()


def test_an_order_with_an_unknown_payment_method_cannot_be_stored(buyer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.create(
            user=buyer,
            side="pay",
            payment_method="BOGUS",
            status="fiatPending",
            fiat_amount=Decimal("100"),
            crypto_amount=0,
            rate=0,
            platform_fee=0,
            network_fee=0,
            expires_at=timezone.now(),
        )


def test_paying_an_invoice_is_held_to_the_persons_kyc_limits(client, merchant, buyer):
    # KYC_0 allows ₹2,00,000 an order: a bigger pay-in is refused like a bigger buy.
    too_big = ingress(merchant, amount="250000.00")
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")

    response = client.post(
        reverse("invoices:hosted", args=[too_big.token]),
        {"payment_method": "INR_IMPS"},
        follow=True,
    )

    assert "Your limit per order is ₹2,00,000.00." in response.content.decode()
    too_big.refresh_from_db()
    # Nothing half-written: no order, and the invoice is not left bound to someone who cannot pay.
    assert (too_big.order_id, too_big.bound_user_id, too_big.status) == (None, None, "open")
    assert not Order.objects.exists()


def test_invoice_payments_count_towards_the_daily_limit(merchant, buyer):
    for _ in range(2):  # ₹4,00,000 of the day's ₹5,00,000
        invoice_pay_start(
            invoice=ingress(merchant, amount="200000.00"),
            user=buyer,
            payment_method="INR_IMPS",
        )

    with pytest.raises(LimitExceeded, match=r"daily limit .* still trade ₹1,00,000.00 today"):
        invoice_pay_start(
            invoice=ingress(merchant, amount="150000.00"),
            user=buyer,
            payment_method="INR_IMPS",
        )
    assert Order.objects.count() == 2


def test_an_invoice_issued_to_someone_is_theirs_only(merchant, buyer, verified_bob):
    invoice = ingress(merchant, customer_email="bob@example.com")

    with pytest.raises(InvoiceTaken, match="someone else"):
        invoice_pay_start(invoice=invoice, user=buyer, payment_method="INR_UPI")


def test_a_paid_invoice_sends_its_payer_back_to_the_merchant(client, merchant, buyer, staff):
    invoice = paid_ingress(merchant, buyer, staff)
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")

    response = client.get(reverse("invoices:hosted", args=[invoice.token]))

    assert (
        response.status_code == 302
        and response["Location"] == "https://merchant.example.com/thanks"
    )
    with pytest.raises(InvoiceNotOpen):
        invoice_pay_start(invoice=invoice, user=buyer, payment_method="INR_UPI")


def test_unpaid_invoices_expire_with_a_callback(merchant):
    invoice = ingress(merchant)

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert invoices_expire_due() == 1

    invoice.refresh_from_db()
    assert invoice.status == "expired"
    assert WebhookDelivery.objects.filter(event_type="ingress.expired", invoice=invoice).exists()


@responses.activate
def test_a_card_pay_in_nobody_told_us_about_is_paid_not_expired(merchant, buyer, vault_settings):
    """The provider's callback was lost and the customer closed the tab; then the invoice's time
    runs out. The provider is asked first: the payment went through, so the invoice is paid."""
    from ramp.services.checkout import checkout_start
    from tests.ramp.card_provider import BILLING, CARD, stub_status, stub_vault_start

    stub_vault_start()
    invoice = ingress(merchant, amount="2500.00")
    order = invoice_pay_start(invoice=invoice, user=buyer, payment_method="CARD")
    checkout_start(order=order, card=CARD, billing=BILLING, site_url="https://ramp.test")
    stub_status("SUCCESS", amount="2500.00")

    with time_machine.travel(invoice.expires_at + timedelta(minutes=1)):
        assert invoices_expire_due() == 0

    invoice.refresh_from_db()
    order.refresh_from_db()
    assert (invoice.status, order.status) == ("paid", OrderStatus.COMPLETED)
    assert MerchantBalance.objects.get(merchant=merchant).available == Decimal("2475.00")
    assert not WebhookDelivery.objects.filter(event_type="ingress.expired").exists()


@responses.activate
def test_a_card_pay_in_that_cannot_be_checked_stays_open_until_it_can(
    merchant, buyer, vault_settings
):
    from ramp.services.checkout import checkout_start
    from tests.ramp.card_provider import BILLING, CARD, stub_status, stub_vault_start

    stub_vault_start()
    invoice = ingress(merchant, amount="2500.00")
    order = invoice_pay_start(invoice=invoice, user=buyer, payment_method="CARD")
    checkout_start(order=order, card=CARD, billing=BILLING, site_url="https://ramp.test")
    stub_status(http_status=502)
    later = invoice.expires_at + timedelta(minutes=1)

    with time_machine.travel(later):
        assert invoices_expire_due() == 0
    invoice.refresh_from_db()
    assert invoice.status == "open"  # money may have come: we do not know yet

    stub_status("PENDING")
    with time_machine.travel(later + timedelta(minutes=1)):
        assert invoices_expire_due() == 1  # never paid: both end
    invoice.refresh_from_db()
    order.refresh_from_db()
    assert (invoice.status, order.status) == ("expired", OrderStatus.EXPIRED)


def test_an_invoice_whose_payment_is_being_checked_does_not_expire(merchant, buyer):
    invoice = ingress(merchant)
    order = invoice_pay_start(invoice=invoice, user=buyer, payment_method="INR_UPI")
    orders.order_submit_utr(order=order, utr="123456789012")

    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1)):
        assert invoices_expire_due() == 0


def test_cancelling_an_invoice_closes_its_unpaid_order_so_nobody_pays_into_it(merchant, buyer):
    invoice = ingress(merchant)
    order = invoice_pay_start(invoice=invoice, user=buyer, payment_method="INR_UPI")

    invoice_cancel(invoice=invoice)

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    with pytest.raises(OrderStateChanged):
        orders.order_submit_utr(order=order, utr="123456789012")


def test_an_invoice_whose_payment_is_being_checked_cannot_be_cancelled_or_replaced(
    api, merchant, buyer, staff
):
    invoice = ingress(merchant, invoice_display_key="table-7")
    order = invoice_pay_start(invoice=invoice, user=buyer, payment_method="INR_UPI")
    orders.order_submit_utr(order=order, utr="123456789012")

    cancel = api.post(f"/v1/ingress/invoice/{invoice.pk}/cancel")
    replace = api.post(
        "/v1/ingress/invoice", invoice_body(invoice_display_key="table-7"), format="json"
    )

    assert cancel.status_code == replace.status_code == 409
    assert cancel.json()["error"]["code"] == "payment_in_progress"
    assert Invoice.objects.count() == 1  # nothing half-made
    orders.order_confirm_fiat(order=order, staff=staff)  # the payment still lands
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert (
        api.post(
            "/v1/ingress/invoice", invoice_body(invoice_display_key="table-7"), format="json"
        ).status_code
        == 201
    )


def test_the_hosted_page_shows_the_invoice_and_a_qr(client, merchant):
    invoice = ingress(merchant, description="Gold coins")

    body = client.get(reverse("invoices:hosted", args=[invoice.token])).content.decode()
    assert "Acme Games" in body and "₹1,500.00" in body and "Gold coins" in body
    assert 'src="data:image/png;base64,' in body and "Sign in to continue" in body
    png = client.get(reverse("invoices:qr", args=[invoice.token]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert "max-age=86400" in png["Cache-Control"]
    assert client.get("/i/not-a-token/").status_code == 404


def test_amounts_are_grouped_the_indian_way_like_every_message(client, merchant, buyer):
    from ramp.services.limits import rupees

    invoice = ingress(merchant, amount="1234567.50")
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")

    body = client.get(reverse("invoices:hosted", args=[invoice.token])).content.decode()

    assert "₹12,34,567.50" in body and rupees(invoice.amount) == "₹12,34,567.50"
    assert "1,234,567" not in body


def test_paying_from_the_hosted_page(client, merchant, buyer):
    invoice = ingress(merchant)
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")

    response = client.post(
        reverse("invoices:hosted", args=[invoice.token]), {"payment_method": "INR_UPI"}
    )

    invoice.refresh_from_db()
    assert response["Location"] == invoice.order.get_absolute_url()


# --- egress ---------------------------------------------------------------------------------------


def egress(merchant):
    return invoice_create(
        merchant=merchant,
        kind="egress",
        amount=Decimal("1000.00"),
        currency="INR",
        reference="payout-7",
        callback_url=CALLBACK,
        expires_at=timezone.now() + timedelta(hours=2),
        redirect_url="https://merchant.example.com/withdrawn",
    )


@pytest.fixture
def funded(merchant, buyer, staff):
    paid_ingress(merchant, buyer, staff)  # 1485.00 available
    return merchant


def answer(body, status=200):
    responses.post(
        CALLBACK, status=status, body=body if isinstance(body, str) else json.dumps(body)
    )
    delivery = WebhookDelivery.objects.get(event_type="egress.confirm")
    webhooks.deliver(delivery.pk)
    return delivery


@responses.activate
def test_a_confirmed_withdrawal_debits_the_balance_and_completes_once(
    funded, buyer, alice_bank, staff
):
    invoice = egress(funded)
    egress_claim(invoice=invoice, user=buyer, bank_account_id=alice_bank.pk)
    invoice.refresh_from_db()
    assert invoice.status == "confirming"

    answer({"success": True})

    invoice.refresh_from_db()
    assert invoice.status == "confirmed" and invoice.payout_bank_account == alice_bank
    assert MerchantBalance.objects.get(merchant=funded).available == Decimal("485.00")
    egress_payout_complete(invoice=invoice, staff=staff, reference="IMPS/777")
    assert WebhookDelivery.objects.filter(event_type="egress.completed").exists()
    with pytest.raises(InvoiceNotOpen):
        egress_claim(invoice=invoice, user=buyer, bank_account_id=alice_bank.pk)


@responses.activate
def test_a_declined_withdrawal_is_cancelled_and_sends_the_person_where_the_merchant_says(
    client, funded, buyer, alice_bank
):
    invoice = egress(funded)
    egress_claim(invoice=invoice, user=buyer, bank_account_id=alice_bank.pk)

    answer({"success": False, "redirect": "https://merchant.example.com/why"})

    invoice.refresh_from_db()
    assert (invoice.status, invoice.cancel_redirect_url) == (
        "cancelled",
        "https://merchant.example.com/why",
    )
    assert MerchantBalance.objects.get(merchant=funded).available == Decimal("1485.00")
    assert WebhookDelivery.objects.filter(event_type="egress.cancelled").exists()
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")
    response = client.get(
        reverse("invoices:egress_status", args=[invoice.token]), headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == "https://merchant.example.com/why"


@pytest.mark.parametrize(
    ("status", "body"),
    [(200, "ok"), (200, '{"success": "yes"}'), (500, '{"success": true}'), (302, "")],
)
@responses.activate
def test_anything_else_is_retried_while_the_person_waits(
    client, funded, buyer, alice_bank, status, body
):
    invoice = egress(funded)
    egress_claim(invoice=invoice, user=buyer, bank_account_id=alice_bank.pk)

    delivery = answer(body, status=status)

    invoice.refresh_from_db()
    delivery.refresh_from_db()
    assert invoice.status == "confirming"
    assert delivery.attempt_count == 1
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")
    assert client.get(reverse("invoices:egress_status", args=[invoice.token])).status_code == 204
    assert (
        "Waiting for Acme Games"
        in client.get(reverse("invoices:hosted", args=[invoice.token])).content.decode()
    )


def test_only_a_verified_person_with_their_own_account_can_claim(
    funded, alice, buyer, verified_bob, alice_bank
):
    from config.errors import DomainError
    from kyc.errors import KycRequired

    invoice = egress(funded)
    with pytest.raises(KycRequired):
        egress_claim(
            invoice=invoice,
            user=alice.__class__.objects.create_user("new@example.com"),
            bank_account_id=alice_bank.pk,
        )
    with pytest.raises(DomainError, match="your own"):
        egress_claim(invoice=invoice, user=verified_bob, bank_account_id=alice_bank.pk)


def refresh_answer():
    """What a merchant's refresh_invoice_url answers: a create-invoice body."""
    return {
        "amount": "1500.00",
        "currency": "INR",
        "reference": "order-43",
        "callback_url": CALLBACK,
        "expires_at": (timezone.now() + timedelta(hours=5)).isoformat(),
    }


@responses.activate
def test_a_used_invoice_is_refreshed_from_the_merchants_answer(merchant, buyer, staff):
    invoice = ingress(merchant, refresh_invoice_url="https://merchant.example.com/refresh")
    replacement = refresh_answer()
    responses.post("https://merchant.example.com/refresh", json=replacement)
    order = invoice_pay_start(invoice=invoice, user=buyer, payment_method="INR_UPI")
    orders.order_submit_utr(order=order, utr="123456789012")
    orders.order_confirm_fiat(order=order, staff=staff)

    webhooks.deliver(WebhookDelivery.objects.get(event_type="invoice.refresh").pk)

    invoice.refresh_from_db()
    assert invoice.replaced_by.reference == "order-43" and invoice.replaced_by.status == "open"
    sent = json.loads(responses.calls[0].request.body)
    assert (
        sent["type"] == "invoice.refresh"
        and "webhook-signature" in responses.calls[0].request.headers
    )


@responses.activate
def test_a_refresh_answered_to_two_workers_makes_one_replacement(merchant, buyer, staff):
    """
    A receiver that answers slowly can outlast the worker's lease: another worker takes the
    delivery over and both get the merchant's answer. It is sent twice (at least once), but
    acted on once.
    """
    invoice = ingress(merchant, refresh_invoice_url="https://merchant.example.com/refresh")
    replacement = refresh_answer()
    order = invoice_pay_start(invoice=invoice, user=buyer, payment_method="INR_UPI")
    orders.order_submit_utr(order=order, utr="123456789012")
    orders.order_confirm_fiat(order=order, staff=staff)
    delivery = WebhookDelivery.objects.get(event_type="invoice.refresh")
    calls = []

    def answer(request):
        calls.append(request)
        if len(calls) == 1:  # the first worker's call outlasts its lease; a second one steps in
            with time_machine.travel(timezone.now() + webhooks.LEASE + timedelta(seconds=1)):
                webhooks.deliver(delivery.pk)
        return 200, {}, json.dumps(replacement)

    responses.add_callback(responses.POST, "https://merchant.example.com/refresh", answer)

    webhooks.deliver(delivery.pk)

    assert len(calls) == 2
    assert Invoice.objects.filter(reference="order-43").count() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts.count()) == ("delivered", 2)


def test_your_merchants_lists_open_invoices_offered_to_you(client, merchant, buyer):
    ingress(merchant, invoice_display_key="topup", customer_email="alice@example.com")
    ingress(merchant, invoice_display_key="other", customer_email="someone@example.com")
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")

    body = client.get(reverse("invoices:your_merchants")).content.decode()

    assert body.count("Acme Games") == 1


# --- dashboard ------------------------------------------------------------------------------------


def test_only_owners_see_the_dashboard(client, merchant, bob):
    owner = merchant.owners.get()
    client.force_login(bob, backend="accounts.backends.EmailCodeBackend")
    assert client.get(reverse("invoices:merchant", args=[merchant.pk])).status_code == 404
    assert client.post(reverse("invoices:rotate_secret", args=[merchant.pk])).status_code == 404

    client.force_login(owner, backend="accounts.backends.EmailCodeBackend")
    page = client.get(reverse("invoices:merchant", args=[merchant.pk])).content.decode()
    assert "Acme Games" in page and "whsec_" in page


def test_a_new_key_is_shown_once(client, merchant):
    client.force_login(merchant.owners.get(), backend="accounts.backends.EmailCodeBackend")

    client.post(
        reverse("invoices:create_key", args=[merchant.pk]), {"name": "CI", "scopes": ["invoices"]}
    )
    first = client.get(reverse("invoices:merchant", args=[merchant.pk])).content.decode()
    second = client.get(reverse("invoices:merchant", args=[merchant.pk])).content.decode()

    assert "copy it now" in first and "copy it now" not in second


@responses.activate
def test_nobody_records_the_payout_of_their_own_withdrawal(funded, buyer, alice_bank, staff):
    from config.errors import SelfDealing

    invoice = egress(funded)
    egress_claim(invoice=invoice, user=buyer, bank_account_id=alice_bank.pk)
    answer({"success": True})
    buyer.is_staff = True  # the person paid is on the Finance desk too
    buyer.save(update_fields=["is_staff"])

    with pytest.raises(SelfDealing):
        egress_payout_complete(invoice=invoice, staff=buyer, reference="IMPS/1")
    invoice.refresh_from_db()
    assert invoice.status == "confirmed"
    egress_payout_complete(invoice=invoice, staff=staff, reference="IMPS/1")  # a colleague may


@responses.activate
def test_finance_records_the_payout_in_the_admin(client, funded, buyer, alice_bank):
    from django.contrib.auth.models import Group

    from accounts.models import User

    invoice = egress(funded)
    egress_claim(invoice=invoice, user=buyer, bank_account_id=alice_bank.pk)
    answer({"success": True})
    clerk = User.objects.create_user("fin@example.com", "finance password 2026!", is_staff=True)
    clerk.groups.add(Group.objects.get(name="Finance"))
    client.force_login(clerk, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("admin:invoices_invoice_payout", args=[invoice.pk])

    assert "Enter the payout" in client.post(url, {"reference": ""}).content.decode()
    response = client.post(url, {"reference": "IMPS/42"})

    assert response["Location"] == reverse("admin:invoices_invoice_change", args=[invoice.pk])
    invoice.refresh_from_db()
    assert (invoice.status, invoice.payout_reference) == ("completed", "IMPS/42")
