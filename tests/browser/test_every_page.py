"""
Every page a customer or a merchant opens, on a phone and on a desktop: nothing wider than the
screen (no sideways scrolling), no script error or blocked asset, no template syntax shown as
text, no button hard to read. Screenshots land in test-artifacts/.
"""

import re
from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.merchants import merchant_create
from invoices.models import MerchantBalance, WebhookDelivery
from invoices.services import invoice_create
from ramp.models import Asset
from ramp.services import orders
from ramp.services.quotes import quote_create
from tests.browser.conftest import low_contrast_buttons, wider_than_the_screen
from tests.browser.helpers import screenshot, sign_in_with_emailed_code
from tests.browser.test_trade_journeys import WALLET, ready_customer
from tests.kyc.documents import image_bytes


def unlabelled_fields(page):
    """Visible form fields a screen reader could not name."""
    return page.evaluate("""() => [...document.querySelectorAll(
        'input:not([type=hidden]), select, textarea')].filter((el) => el.offsetParent
        && !el.labels.length && !el.ariaLabel && !el.getAttribute('aria-labelledby')
    ).map((el) => el.name || el.id || el.outerHTML.slice(0, 80))""")


def fits(page, name):
    screenshot(page, f"{'phone' if page.viewport_size['width'] < 500 else 'desktop'}-{name}")
    extra = wider_than_the_screen(page)
    assert extra == 0, f"{name} is {extra}px wider than the screen"
    assert page.console.errors == [], name
    assert low_contrast_buttons(page) == [], name
    assert unlabelled_fields(page) == [], name
    # Nor inside a table: on a phone each row is a labelled block, every column on screen.
    wraps = "[...document.querySelectorAll('.table-wrap')]"
    scrolled = page.evaluate(f"{wraps}.filter(w => w.scrollWidth > w.clientWidth).length")
    assert scrolled == 0, f"a table on {name} scrolls sideways"
    text = page.inner_text("body")
    assert not any(tag in text for tag in ("{#", "{%", "{{", "#}")), f"template text on {name}"


def buy(user, usdt, method):
    quote = quote_create(
        user=user, side="buy", asset=usdt, payment_method=method, fiat_amount="2500"
    )
    return orders.order_create_onramp(user=user, quote_id=quote.pk, wallet_address=WALLET)


def invoice(merchant, kind):
    if kind == "egress":
        MerchantBalance.objects.get_or_create(merchant=merchant, defaults={"available": 5000})
    return invoice_create(
        merchant=merchant,
        kind=kind,
        amount=Decimal("1500.00"),
        currency="INR",
        reference=f"{kind}-phone",
        callback_url="https://93.184.216.34/hooks",
        expires_at=timezone.now() + timedelta(hours=1),
        description="A pack with a rather long description that has to wrap on a small screen",
    )


def test_every_customer_page_fits_the_screen(screen, settings, live_server):
    settings.SITE_URL = live_server.url
    user = ready_customer()
    usdt = Asset.objects.get(symbol="USDT", network="TRC20")
    settings.VAULT_BASE_URL = f"{live_server.url}/sandbox/vault"
    upi = buy(user, usdt, "INR_UPI")
    imps = buy(user, usdt, "INR_IMPS")
    card = buy(user, usdt, "CARD")
    sell_quote = quote_create(
        user=user, side="sell", asset=usdt, payment_method="INR_IMPS", crypto_amount="50"
    )
    sell = orders.order_create_offramp(user=user, quote_id=sell_quote.pk)
    merchant, _, _ = merchant_create(name="Acme Games", owner_email="owner@acme.test")
    pay_in, withdrawal = invoice(merchant, "ingress"), invoice(merchant, "egress")

    screen.goto("/sign-in/")
    fits(screen, "sign-in")
    sign_in_with_emailed_code(screen, "meera@example.com", start=False)
    pages = {
        "account": "/account/",
        "kyc": "/kyc/",
        "payment-methods": "/payment-methods/",
        "buy": "/buy/",
        "sell": "/sell/",
        "orders": "/orders/",
        "order-upi": upi.get_absolute_url(),
        "order-imps": imps.get_absolute_url(),
        "order-sell": sell.get_absolute_url(),
        "card-checkout": f"/orders/{card.pk}/checkout/",
        "your-merchants": "/merchants/",
        "invoice-pay-in": f"/i/{pay_in.token}/",
        "invoice-withdrawal": f"/i/{withdrawal.token}/",
    }
    for name, path in pages.items():
        screen.goto(path)
        fits(screen, name)

    screen.goto("/buy/")
    screen.get_by_label("Amount", exact=True).fill("1000")
    expect(screen.locator("#quote")).to_contain_text("You get")
    fits(screen, "buy-with-quote")

    screen.goto("/orders/")
    for status in screen.locator("td[data-label=Status] .pill").all():
        box = status.bounding_box()
        width = screen.viewport_size["width"]
        assert box and box["x"] + box["width"] <= width  # the status is on screen, not scrolled off


def test_every_merchant_page_fits_the_screen(screen, settings, live_server):
    settings.SITE_URL = live_server.url
    merchant, _, _ = merchant_create(name="Acme Games", owner_email="owner@acme.test")
    pay_in = invoice(merchant, "ingress")
    invoice(merchant, "egress")
    WebhookDelivery.objects.create(  # shown only: nothing is sent from a browser test
        merchant=merchant,
        invoice=pay_in,
        event_type="ingress.paid",
        url="https://hooks.acme-games.example.com/payments/rampart/callbacks?tenant=main",
        payload={},
        status=WebhookDelivery.Status.FAILED,
        next_attempt_at=timezone.now(),
    )

    sign_in_with_emailed_code(screen, "owner@acme.test")
    screen.goto("/merchant/")
    expect(screen.get_by_role("heading", name="Acme Games")).to_be_visible()
    secret = screen.get_by_text(re.compile(r"^whsec_"))
    expect(secret).to_be_hidden()  # not on a shared screen until asked for
    screen.get_by_text("Show the secret").click()
    expect(secret).to_be_visible()
    fits(screen, "merchant-dashboard")


def test_a_new_customers_forms_and_their_errors_fit_the_screen(screen, tmp_path):
    screen.goto("/sign-in/")
    screen.get_by_label("E-mail address").fill("priya@example.com")
    screen.get_by_role("button", name="E-mail me a code").click()
    expect(screen.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    screen.get_by_label("6-digit code").fill("000000")  # a wrong code first
    screen.get_by_role("button", name="Sign in").click()
    fits(screen, "sign-in-wrong-code")
    screen.get_by_label("6-digit code").fill(re.search(r"\b(\d{6})\b", mail.outbox[-1].body)[1])
    screen.get_by_role("button", name="Sign in").click()
    expect(screen.get_by_text("Signed in as priya@example.com")).to_be_visible()

    screen.goto("/buy/")
    expect(screen.get_by_text("Verify your identity first")).to_be_visible()
    fits(screen, "buy-unverified")

    screen.goto("/kyc/")
    fits(screen, "kyc-form")
    (tmp_path / "pan.png").write_bytes(image_bytes("PNG"))
    screen.get_by_label("Full name (as on your PAN card)").fill("Priya Sharma")
    screen.get_by_label("Date of birth").fill("1992-03-14")
    screen.get_by_label("PAN", exact=True).fill("ABCPS1234K")
    screen.get_by_label("Aadhaar number").fill("2341 2341 2345")  # wrong check digit
    screen.get_by_label("PAN card", exact=True).set_input_files(tmp_path / "pan.png")
    screen.get_by_role("button", name="Submit for review").click()
    expect(screen.get_by_text("This is not a valid Aadhaar number")).to_be_visible()
    fits(screen, "kyc-form-errors")

    screen.goto("/payment-methods/")
    fits(screen, "payment-methods-unverified")
