"""Card (Vault) and Quickbit (Paysecure) checkouts against the built-in sandbox."""

import logging

import pytest
from django.db import connection
from playwright.sync_api import expect

from ramp.models import CardCheckout, Order, OrderStatus, ProviderEvent
from tests.browser.helpers import screenshot, sign_in_with_emailed_code
from tests.browser.test_trade_journeys import WALLET, ready_customer

CARD_NUMBER, CVV = "4111111111111111", "737"


@pytest.fixture
def sandbox(settings, live_server):
    """Point the adapters at the sandbox served by this live server, as make run does."""
    settings.SITE_URL = live_server.url
    settings.VAULT_BASE_URL = f"{live_server.url}/sandbox/vault"
    settings.PAYSECURE_BASE_URL = f"{live_server.url}/sandbox/paysecure"


def start_buy(page, method):
    ready_customer()
    sign_in_with_emailed_code(page, "meera@example.com")
    page.goto("/buy/")
    page.wait_for_load_state()
    page.get_by_label("Pay with").select_option(label=method)
    page.get_by_label("Amount", exact=True).fill("2500")
    expect(page.locator("#quote")).to_contain_text("You get")
    page.get_by_label("Your wallet address").fill(WALLET)
    page.get_by_role("button", name="Buy now").click()


def pay_by_card(page):
    page.get_by_label("Card number").fill(CARD_NUMBER)
    page.get_by_label("Expiry (MM/YY)").fill("12/30")
    page.get_by_label("CVV").fill(CVV)
    page.get_by_label("Name on card").fill("MEERA NAIR")
    page.get_by_label("Billing address").fill("12 Residency Road")
    page.get_by_label("City").fill("Bengaluru")
    page.get_by_label("PIN / postal code").fill("560025")
    page.get_by_role("button", name="Continue to secure payment").click()
    expect(page.get_by_role("heading", name="Confirm your payment")).to_be_visible()


OUTCOMES = {
    "approve": ("Approve payment", "Payment received", "Payment confirmed by the provider"),
    "decline": ("Decline", "Failed", "did not go through"),
    "abandon": ("Abandon (close the page)", "Waiting for payment at checkout", "not complete yet"),
}


@pytest.mark.parametrize("choice", list(OUTCOMES))
def test_card_checkout(page, sandbox, choice, caplog):
    caplog.set_level(logging.DEBUG)
    start_buy(page, "Card (Visa, Mastercard, RuPay)")
    pay_by_card(page)
    screenshot(page, f"vault-3ds-{choice}")
    button, status, message = OUTCOMES[choice]

    page.get_by_role("button", name=button).click()

    expect(page.get_by_text(message)).to_be_visible()
    expect(page.locator("[data-status]")).to_have_text(status)
    checkout = CardCheckout.objects.get()
    assert (checkout.card_brand, checkout.card_last4) == ("visa", "1111")
    if choice == "approve":
        assert ProviderEvent.objects.filter(provider="vault").exists()  # the signed callback came
    assert_card_data_kept_nowhere(caplog)
    assert page.console.errors == []


@pytest.mark.parametrize("choice", list(OUTCOMES))
def test_quickbit_checkout(page, sandbox, choice):
    start_buy(page, "Quickbit wallet")
    page.get_by_role("button", name="Continue to Quickbit").click()
    expect(page.get_by_role("heading", name="Top up and pay")).to_be_visible()
    button, status, message = OUTCOMES[choice]

    page.get_by_role("button", name=button).click()

    expect(page.get_by_text(message)).to_be_visible()
    expect(page.locator("[data-status]")).to_have_text(status)
    order = Order.objects.get()
    assert order.payment_method == "QBPAYFTOPUP"
    if choice == "approve":
        assert order.status == OrderStatus.FIAT_RECEIVED


def assert_card_data_kept_nowhere(caplog):
    """Card number and CVV went to the provider and left no trace here: no row, no log line."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)  # every real table, ours or not
    assert "ramp_order" in tables
    for table in tables:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            dump = repr(cursor.fetchall())
        assert CARD_NUMBER not in dump, table
        assert CARD_NUMBER[-8:] not in dump, table
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert CARD_NUMBER not in logged
    assert f'"{CVV}"' not in logged and f"cvv={CVV}" not in logged
