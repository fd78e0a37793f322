from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from ramp.models import Asset, Order
from ramp.reference_data import ensure_market
from ramp.services.destinations import bank_account_link, upi_id_link
from ramp.services.orders import order_create_onramp, orders_expire_due
from ramp.services.quotes import quote_create
from tests.browser.conftest import wider_than_the_screen
from tests.browser.helpers import screenshot, sign_in_with_emailed_code
from tests.conftest import verify_kyc

WALLET = "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7"
STAFF_PASSWORD = "staff password for the journey"


def ready_customer():
    ensure_market()
    user = User.objects.create_user("meera@example.com")
    verify_kyc(user, full_name="Meera Nair", pan_number="MEEPN1234M")
    upi_id_link(user=user, upi_id="meera@okaxis")
    bank_account_link(user=user, account_number="123456789012", ifsc="HDFC0001234")
    return user


def staff_page(browser, live_server):
    User.objects.create_superuser("desk@example.com", STAFF_PASSWORD)
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/admin/login/")
    page.get_by_label("E-mail address").fill("desk@example.com")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def staff_act(staff, order, action, **inputs):
    staff.goto(f"/admin/ramp/order/{order.pk}/change/")
    staff.get_by_role("link", name=action, exact=True).click()
    for label, value in inputs.items():
        staff.get_by_label(label).fill(value)
    staff.get_by_role("button", name=action, exact=True).click()
    expect(staff.get_by_text(f"{order.reference}: {action} done.")).to_be_visible()


def test_buy_with_upi_from_quote_to_completed(page, browser, live_server):
    ready_customer()
    sign_in_with_emailed_code(page, "meera@example.com")

    page.get_by_role("link", name="Buy", exact=True).click()
    page.wait_for_load_state()  # htmx binds its listeners once the page has loaded
    page.get_by_label("Amount", exact=True).fill("2500")
    expect(page.locator("#quote")).to_contain_text("You get")
    expect(page.locator("#quote .countdown")).to_contain_text("s")
    page.get_by_label("Your wallet address").fill(WALLET)
    screenshot(page, "buy-quote")
    page.get_by_role("button", name="Buy now").click()

    expect(page.get_by_role("heading", name="Pay ₹2,500.00")).to_be_visible()
    expect(page.get_by_role("img", name="UPI QR code")).to_be_visible()
    assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    screenshot(page, "order-pay-upi")
    page.get_by_label("UTR / reference number").fill("12345")
    page.get_by_role("button", name="Submit UTR").click()
    expect(page.get_by_text("A UTR is exactly 12 digits")).to_be_visible()
    page.get_by_label("UTR / reference number").fill("123456789012")
    page.get_by_role("button", name="Submit UTR").click()
    expect(page.get_by_text("Checking your payment").first).to_be_visible()

    order = Order.objects.get()
    staff = staff_page(browser, live_server)
    staff_act(staff, order, "Confirm fiat received")
    staff_act(staff, order, "Record crypto sent", **{"Transaction hash": "ab" * 32})
    staff_act(staff, order, "Mark completed")

    # The customer's page catches up by itself.
    expect(page.locator("[data-status]")).to_have_text("Completed", timeout=20_000)
    expect(page.get_by_text("ab" * 32, exact=True)).to_be_visible()
    screenshot(page, "order-completed")
    assert page.console.errors == []


def test_sell_from_deposit_to_payout(phone_page, browser, live_server):
    page = phone_page
    ready_customer()
    sign_in_with_emailed_code(page, "meera@example.com")

    page.goto("/sell/")
    page.wait_for_load_state()
    page.get_by_role("group", name="Amount in").get_by_text("Crypto").click()
    page.get_by_label("Amount to sell").fill("50")
    expect(page.locator("#quote")).to_contain_text("TDS (1 %)")
    page.get_by_role("button", name="Sell now").click()

    expect(page.get_by_role("heading", name="Send exactly 50 USDT")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of the TRC20 deposit address")).to_be_visible()
    screenshot(page, "order-deposit")
    page.get_by_label("Transaction hash").fill("cd" * 32)
    page.get_by_role("button", name="Submit transaction hash").click()
    expect(page.get_by_text("We are checking your deposit")).to_be_visible()
    # The crypto is on its way: no cancelling now (the button went with the status), and the
    # hash in the timeline wraps instead of widening the page.
    expect(page.get_by_role("button", name="Cancel this order")).to_have_count(0)
    assert wider_than_the_screen(page) == 0

    order = Order.objects.get()
    staff = staff_page(browser, live_server)
    staff_act(staff, order, "Confirm crypto received")
    staff_act(staff, order, "Record fiat payout", **{"Bank reference": "IMPS/4455"})

    expect(page.locator("[data-status]")).to_have_text("Completed", timeout=20_000)
    expect(page.get_by_text("IMPS/4455", exact=True)).to_be_visible()
    assert page.console.errors == []


def test_an_unpaid_order_expires_in_front_of_the_customer(phone_page):
    ready_customer()
    sign_in_with_emailed_code(phone_page, "meera@example.com")
    phone_page.goto("/buy/")
    phone_page.get_by_label("Amount", exact=True).fill("1000")
    expect(phone_page.locator("#quote")).to_contain_text("You get")
    phone_page.get_by_label("Your wallet address").fill(WALLET)
    phone_page.get_by_role("button", name="Buy now").click()
    expect(phone_page.get_by_role("link", name="Pay with a UPI app")).to_be_visible()  # tap to pay
    screenshot(phone_page, "order-pay-phone")

    Order.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert orders_expire_due() == 1  # what the sweeper does

    expect(phone_page.locator("[data-status]")).to_have_text("Expired", timeout=20_000)
    expect(phone_page.locator("#status-announcer")).to_have_text("Status: Expired")  # read out
    expect(phone_page.get_by_label("UTR / reference number")).to_have_count(0)
    assert wider_than_the_screen(phone_page) == 0


def test_a_status_that_cannot_be_refreshed_says_so(phone_page, live_server):
    user = ready_customer()
    usdt = Asset.objects.get(symbol="USDT", network="TRC20")
    quote = quote_create(
        user=user, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="1000"
    )
    order = order_create_onramp(user=user, quote_id=quote.pk, wallet_address=WALLET)
    phone_page.clock.install()  # the 12 s poll runs when the test says so
    sign_in_with_emailed_code(phone_page, "meera@example.com")
    phone_page.goto(order.get_absolute_url())
    notice = phone_page.get_by_text("may not be the latest status")

    phone_page.route("**/status/**", lambda route: route.abort("internetdisconnected"))
    phone_page.clock.run_for("00:13")
    expect(notice).to_be_visible()  # the old status is not passed off as current
    screenshot(phone_page, "order-status-stale-phone")

    phone_page.unroute("**/status/**")
    phone_page.clock.run_for("00:13")
    expect(notice).to_have_count(0)
    expect(phone_page.locator("[data-status]")).to_have_text("Waiting for your payment")

    # A server answering 503 (e.g. its database restarting) is told the same way.
    phone_page.route("**/status/**", lambda route: route.fulfill(status=503, body="busy"))
    phone_page.clock.run_for("00:13")
    expect(notice).to_be_visible()


def test_a_price_that_cannot_be_updated_says_so(phone_page):
    ready_customer()
    sign_in_with_emailed_code(phone_page, "meera@example.com")
    phone_page.goto("/buy/")
    amount = phone_page.get_by_label("Amount", exact=True)
    amount.fill("1000")
    expect(phone_page.locator("#quote")).to_contain_text("₹1,000.00")
    notice = phone_page.get_by_text("We could not update the price just now")

    phone_page.route("**/buy/", lambda route: route.abort("internetdisconnected"))
    amount.fill("2000")
    expect(notice).to_be_visible()  # ₹1,000 figures beside a typed 2000 are called old
    screenshot(phone_page, "quote-stale-phone")

    phone_page.unroute("**/buy/")
    amount.fill("2500")
    expect(phone_page.locator("#quote")).to_contain_text("₹2,500.00")
    expect(notice).to_have_count(0)


def test_a_mistyped_utr_keeps_the_page_on_the_development_server_too(phone_page, settings):
    # `make run` serves with DEBUG on. django-htmx's debug helper (added by {% htmx_script %}
    # under DEBUG) replaced the whole document with any 400 answer: a mistyped UTR left an
    # unstyled fragment with no header, instead of the form's message in place.
    settings.DEBUG = True
    user = ready_customer()
    usdt = Asset.objects.get(symbol="USDT", network="TRC20")
    quote = quote_create(
        user=user, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="1000"
    )
    order = order_create_onramp(user=user, quote_id=quote.pk, wallet_address=WALLET)
    sign_in_with_emailed_code(phone_page, "meera@example.com")
    phone_page.goto(order.get_absolute_url())

    phone_page.get_by_label("UTR / reference number").fill("12345")
    phone_page.get_by_role("button", name="Submit UTR").click()

    expect(phone_page.get_by_text("A UTR is exactly 12 digits")).to_be_visible()
    expect(phone_page.get_by_role("navigation", name="Main")).to_be_visible()
    assert phone_page.evaluate("document.styleSheets.length") > 0
    assert phone_page.console.errors == []
