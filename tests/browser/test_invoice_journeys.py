"""A customer pays a merchant's pay-in invoice and claims withdrawals; the merchant hears."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.merchants import merchant_create
from invoices import webhooks
from invoices.models import Invoice, MerchantBalance
from invoices.services import invoice_create
from tests.browser.helpers import screenshot, sign_in_with_emailed_code
from tests.browser.test_trade_journeys import ready_customer, staff_act, staff_page
from tests.receiver import Receiver


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def acme(settings, live_server):
    settings.SITE_URL = live_server.url
    return merchant_create(name="Acme Games", owner_email="owner@acme.test")


def new_invoice(merchant, receiver, kind, amount="1500.00"):
    return invoice_create(
        merchant=merchant,
        kind=kind,
        amount=Decimal(amount),
        currency="INR",
        reference=f"{kind}-1",
        callback_url=f"{receiver.url}/hooks",
        expires_at=timezone.now() + timedelta(hours=1),
        redirect_url=f"{receiver.url}/done",
        description="Gold coins pack" if kind == "ingress" else "Winnings",
    )


def test_pay_an_ingress_invoice_by_upi_and_the_merchant_hears(
    page, browser, live_server, acme, receiver
):
    merchant, _, secret = acme
    ready_customer()
    invoice = new_invoice(merchant, receiver, "ingress")

    page.goto(f"/i/{invoice.token}/")
    expect(page.get_by_text("Gold coins pack")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of this invoice's link")).to_be_visible()
    screenshot(page, "invoice-hosted")
    page.get_by_role("link", name="Sign in to continue").click()
    sign_in_with_emailed_code(page, "meera@example.com", start=False)
    page.get_by_role("button", name="Pay ₹1,500.00").click()
    expect(page.get_by_role("heading", name="Pay ₹1,500.00")).to_be_visible()
    page.get_by_label("UTR / reference number").fill("123456789012")
    page.get_by_role("button", name="Submit UTR").click()
    expect(page.get_by_text("Checking your payment").first).to_be_visible()

    staff = staff_page(browser, live_server)
    staff_act(staff, Invoice.objects.get().order, "Confirm fiat received")

    expect(page.locator("[data-status]")).to_have_text("Completed", timeout=20_000)
    page.get_by_role("link", name="Return to Acme Games").click()
    expect(page.get_by_role("heading", name="Back at the merchant")).to_be_visible()
    assert receiver.events() == ["ingress.paid"]
    call = receiver.calls[0]
    assert webhooks.verify(secret, call["headers"], call["body"])
    assert json.loads(call["body"])["data"]["status"] == "paid"
    assert MerchantBalance.objects.get(merchant=merchant).available == Decimal("1485.00")


@pytest.mark.parametrize("merchant_says", ["confirm", "cancel"])
def test_claim_a_withdrawal(page, acme, receiver, merchant_says):
    merchant, _, _ = acme
    ready_customer()
    MerchantBalance.objects.create(merchant=merchant, available=Decimal("5000"))
    invoice = new_invoice(merchant, receiver, "egress", amount="1000.00")
    if merchant_says == "confirm":
        receiver.answer = lambda call: (200, b'{"success": true}')
    else:
        receiver.answer = lambda call: (
            200,
            json.dumps({"success": False, "redirect": f"{receiver.url}/sorry"}).encode(),
        )

    sign_in_with_emailed_code(page, "meera@example.com")
    page.goto(f"/i/{invoice.token}/")
    page.get_by_role("button", name="Withdraw ₹1,000.00").click()

    expect(page.get_by_role("heading", name="Back at the merchant")).to_be_visible()
    assert page.url.endswith("/done" if merchant_says == "confirm" else "/sorry")
    invoice.refresh_from_db()
    assert invoice.status == ("confirmed" if merchant_says == "confirm" else "cancelled")
    expected_balance = Decimal("4000.00") if merchant_says == "confirm" else Decimal("5000.00")
    assert MerchantBalance.objects.get(merchant=merchant).available == expected_balance
    assert receiver.events()[0] == "egress.confirm"


def test_a_withdrawal_waits_for_a_slow_merchant(page, acme, receiver):
    merchant, _, _ = acme
    ready_customer()
    MerchantBalance.objects.create(merchant=merchant, available=Decimal("5000"))
    invoice = new_invoice(merchant, receiver, "egress", amount="1000.00")
    receiver.answer = lambda call: (503, b"busy")

    sign_in_with_emailed_code(page, "meera@example.com")
    page.goto(f"/i/{invoice.token}/")
    page.get_by_role("button", name="Withdraw ₹1,000.00").click()
    expect(page.get_by_text("Waiting for Acme Games to confirm")).to_be_visible()
    screenshot(page, "invoice-waiting")

    receiver.answer = lambda call: (200, b'{"success": true}')
    delivery = invoice.deliveries.get(event_type="egress.confirm")
    delivery.__class__.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    webhooks.deliver(delivery.pk)  # what the worker does on the next try

    expect(page.get_by_role("heading", name="Back at the merchant")).to_be_visible(timeout=10_000)
