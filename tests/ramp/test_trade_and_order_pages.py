import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ramp.models import Order, OrderStatus, Quote
from ramp.services import orders
from ramp.services.quotes import quote_create
from tests.ramp.conftest import TRON_WALLET

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
S = OrderStatus


@pytest.fixture
def alice_client(client, buyer):
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")
    return client


def buy_form(usdt, **overrides):
    return {
        "asset": usdt.pk,
        "payment_method": "INR_UPI",
        "amount_in": "fiat",
        "amount": "2500",
        "wallet_address": TRON_WALLET,
        **overrides,
    }


def make_order(user, usdt, method="INR_UPI", side="buy"):
    if side == "sell":
        quote = quote_create(
            user=user, side="sell", asset=usdt, payment_method="INR_IMPS", crypto_amount="50"
        )
        return orders.order_create_offramp(user=user, quote_id=quote.pk)
    quote = quote_create(
        user=user, side="buy", asset=usdt, payment_method=method, fiat_amount="2500"
    )
    return orders.order_create_onramp(user=user, quote_id=quote.pk, wallet_address=TRON_WALLET)


# --- buy and sell pages ---------------------------------------------------------------------


def test_the_buy_page_asks_unverified_people_to_verify(client, alice, market):
    client.force_login(alice, backend="accounts.backends.EmailCodeBackend")

    assert "Verify your identity first" in client.get(reverse("ramp:buy")).content.decode()


def test_typing_an_amount_returns_a_live_quote_fragment(alice_client, usdt):
    response = alice_client.post(
        reverse("ramp:buy"), {**buy_form(usdt), "action": "quote"}, headers=HTMX
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="quote"')
    quote = Quote.objects.get()
    assert f'value="{quote.pk}"' in body
    assert "₹2,500.00" in body and "26.829054 USDT" in body  # 2487.50 / 89.385 − 1 USDT
    assert quote.crypto_amount == Decimal("26.829054")
    assert 'data-countdown-to="' in body and "Price locked for" in body


def test_a_live_quote_costs_the_same_few_queries_however_much_was_traded(
    alice_client, buyer, usdt, django_assert_num_queries
):
    def quote():
        return alice_client.post(
            reverse("ramp:buy"), {**buy_form(usdt), "action": "quote"}, headers=HTMX
        )

    # Session, person, asset, settings, method limit, KYC, amounts traded, the quote itself.
    with django_assert_num_queries(8):
        assert quote().status_code == 200
    for _ in range(3):
        make_order(buyer, usdt)
    with django_assert_num_queries(8):
        assert quote().status_code == 200


def test_a_quote_error_is_shown_in_the_panel(alice_client, usdt):
    response = alice_client.post(
        reverse("ramp:buy"), {**buy_form(usdt, amount="20"), "action": "quote"}, headers=HTMX
    )

    assert "The smallest UPI buy of USDT · TRC20 is ₹100.00." in response.content.decode()
    assert not Quote.objects.exists()


def test_buying_from_the_page_creates_the_order_from_the_quote(alice_client, buyer, usdt):
    quote = quote_create(
        user=buyer, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="2500"
    )

    response = alice_client.post(
        reverse("ramp:buy"), {**buy_form(usdt), "quote_id": quote.pk, "action": "order"}
    )

    order = Order.objects.get()
    assert response["Location"] == order.get_absolute_url()
    assert order.quote == quote and order.fiat_amount == quote.fiat_amount


def test_an_expired_quote_gets_a_fresh_price_and_keeps_what_was_typed(alice_client, buyer, usdt):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    quote = quote_create(
        user=buyer, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="2500"
    )
    with time_machine.travel(timezone.now() + timedelta(seconds=40)):
        response = alice_client.post(
            reverse("ramp:buy"), {**buy_form(usdt), "quote_id": quote.pk, "action": "order"}
        )

    body = response.content.decode()
    assert response.status_code == 400
    assert "This price has expired." in body and "Here is a new price" in body
    assert f'value="{TRON_WALLET}"' in body
    assert Quote.objects.count() == 2 and not Order.objects.exists()


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        ("20", "The smallest UPI buy of USDT · TRC20 is ₹100.00."),  # no price could be given
        ("2500", "Here is the price: check it and confirm."),  # no script fetched one
        ("", "Enter an amount."),
    ],
)
def test_buy_now_without_a_price_on_screen_prices_it_first(alice_client, usdt, amount, says):
    response = alice_client.post(
        reverse("ramp:buy"), {**buy_form(usdt, amount=amount), "action": "order"}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert says in body
    assert "does not exist" not in body  # it said "This quote does not exist" before
    assert not Order.objects.exists()


def test_a_bad_wallet_is_shown_beside_the_field(alice_client, buyer, usdt):
    quote = quote_create(
        user=buyer, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="2500"
    )

    response = alice_client.post(
        reverse("ramp:buy"),
        {**buy_form(usdt, wallet_address="0x1234"), "quote_id": quote.pk, "action": "order"},
    )

    assert "This is not a TRC20 address" in response.content.decode()
    assert not Order.objects.exists()


def test_selling_from_the_page(alice_client, buyer, usdt, alice_bank):
    quote = quote_create(
        user=buyer, side="sell", asset=usdt, payment_method="INR_IMPS", crypto_amount="50"
    )

    alice_client.post(
        reverse("ramp:sell"),
        {
            "asset": usdt.pk,
            "payment_method": "INR_IMPS",
            "amount_in": "crypto",
            "amount": "50",
            "quote_id": quote.pk,
            "bank_account_id": alice_bank.pk,
            "action": "order",
        },
    )

    assert Order.objects.get().status == S.CRYPTO_INIT


# --- order page ------------------------------------------------------------------------------


def test_a_upi_order_shows_a_qr_a_tap_to_pay_link_and_the_utr_form(alice_client, buyer, usdt):
    order = make_order(buyer, usdt)

    body = alice_client.get(order.get_absolute_url()).content.decode()

    assert 'src="data:image/png;base64,' in body
    link = re.search(r'href="(upi://pay\?[^"]+)"', body).group(1).replace("&amp;", "&")
    assert "pa=rampart.collect%40okhdfcbank" in link
    assert (
        f"am={order.fiat_amount:.2f}" in link
        and "cu=INR" in link
        and f"tr={order.reference}" in link
    )
    assert 'name="utr"' in body
    assert 'hx-trigger="every 12s"' in body


def test_an_imps_order_shows_the_bank_details(alice_client, buyer, usdt):
    order = make_order(buyer, usdt, method="INR_IMPS")

    body = alice_client.get(order.get_absolute_url()).content.decode()

    for detail in (
        "50200098765432",
        "HDFC0000240",
        "Rampart Technologies Pvt Ltd",
        order.reference,
    ):
        assert f'data-copy="{detail}"' in body


def test_a_sell_order_shows_the_deposit_address_qr(alice_client, buyer, usdt):
    order = make_order(buyer, usdt, side="sell")

    body = alice_client.get(order.get_absolute_url()).content.decode()

    assert f'data-copy="{usdt.deposit_address}"' in body
    assert "Only USDT on the <strong>TRC20</strong> network" in body
    assert 'name="tx_hash"' in body


def test_submitting_the_utr_in_place_returns_the_updated_status(alice_client, buyer, usdt):
    order = make_order(buyer, usdt)

    response = alice_client.post(
        reverse("ramp:submit_utr", args=[order.pk]), {"utr": "123456789012"}, headers=HTMX
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="live"')
    assert "Checking your payment" in body and 'name="utr"' not in body


def test_a_bad_utr_is_explained_in_place(alice_client, buyer, usdt):
    order = make_order(buyer, usdt)

    response = alice_client.post(
        reverse("ramp:submit_utr", args=[order.pk]), {"utr": "12345"}, headers=HTMX
    )

    assert response.status_code == 400
    assert "A UTR is exactly 12 digits" in response.content.decode()
    assert 'value="12345"' in response.content.decode()


def test_a_duplicate_utr_is_explained_in_place(alice_client, buyer, usdt):
    first, second = make_order(buyer, usdt), make_order(buyer, usdt)
    orders.order_submit_utr(order=first, utr="123456789012")

    response = alice_client.post(
        reverse("ramp:submit_utr", args=[second.pk]), {"utr": "123456789012"}, headers=HTMX
    )

    assert "already been used for another order" in response.content.decode()


def test_the_status_poll_answers_204_until_something_changes(alice_client, buyer, usdt, staff):
    order = make_order(buyer, usdt)
    url = reverse("ramp:order_status", args=[order.pk])

    assert alice_client.get(url, {"v": order.version}, headers=HTMX).status_code == 204
    orders.order_submit_utr(order=order, utr="123456789012")
    response = alice_client.get(url, {"v": "stale"}, headers=HTMX)
    assert response.status_code == 200 and "Checking your payment" in response.content.decode()


def test_the_status_poll_is_cheap(alice_client, buyer, usdt, django_assert_max_num_queries):
    order = make_order(buyer, usdt)
    alice_client.get(reverse("ramp:order_status", args=[order.pk]))  # warm the session

    with django_assert_max_num_queries(3):
        alice_client.get(
            reverse("ramp:order_status", args=[order.pk]), {"v": order.version}, headers=HTMX
        )


def test_the_order_page_costs_the_same_with_a_long_timeline(
    alice_client, buyer, usdt, staff, django_assert_num_queries
):
    order = make_order(buyer, usdt)
    alice_client.get(order.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as short:
        alice_client.get(order.get_absolute_url())
    for _ in range(3):
        orders.order_submit_utr(order=order, utr="123456789012")
        orders.order_reject_utr(order=order, staff=staff, reason="Not found")
    with django_assert_num_queries(len(short)):
        alice_client.get(order.get_absolute_url())


def test_an_expired_order_says_so_when_opened(alice_client, buyer, usdt):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    order = make_order(buyer, usdt)
    with time_machine.travel(timezone.now() + timedelta(hours=3, minutes=1)):
        body = alice_client.get(order.get_absolute_url()).content.decode()

    assert "Expired" in body and 'name="utr"' not in body


@pytest.mark.parametrize("name", ["ramp:order", "ramp:order_status"])
def test_another_persons_order_is_a_404(client, buyer, verified_bob, usdt, name):
    order = make_order(buyer, usdt)
    client.force_login(verified_bob, backend="accounts.backends.EmailCodeBackend")

    assert client.get(reverse(name, args=[order.pk])).status_code == 404
    assert (
        client.post(
            reverse("ramp:submit_utr", args=[order.pk]), {"utr": "123456789012"}
        ).status_code
        == 404
    )
    assert client.post(reverse("ramp:cancel_order", args=[order.pk])).status_code == 404
    order.refresh_from_db()
    assert order.status == S.FIAT_PENDING


def test_cancelling_from_the_page(alice_client, buyer, usdt):
    order = make_order(buyer, usdt)

    alice_client.post(reverse("ramp:cancel_order", args=[order.pk]))

    order.refresh_from_db()
    assert order.status == S.CANCELLED


def test_history_filters_and_costs_the_same_for_many_orders(
    alice_client, buyer, usdt, django_assert_max_num_queries
):
    for _ in range(5):
        make_order(buyer, usdt)
    orders.order_cancel(order=Order.objects.first(), actor=buyer)

    with django_assert_max_num_queries(6):
        body = alice_client.get(reverse("ramp:orders")).content.decode()
    assert body.count("Waiting for your payment") == 4 + 1  # 4 rows + the status filter option
    filtered = alice_client.get(reverse("ramp:orders"), {"status": "cancelled"}).content.decode()
    assert filtered.count('class="mono" href=') == 1


def test_an_unchanged_poll_is_answered_from_the_cache_without_the_order(
    alice_client, buyer, usdt, django_assert_max_num_queries
):
    order = make_order(buyer, usdt)
    url = reverse("ramp:order_status", args=[order.pk])
    alice_client.get(url, {"v": order.version}, headers=HTMX)  # the full path remembers it

    with django_assert_max_num_queries(1):  # the session (the production profile caches it too)
        response = alice_client.get(url, {"v": order.version}, headers=HTMX)
    assert response.status_code == 204


def test_a_change_is_never_hidden_by_the_fast_path(
    alice_client, buyer, usdt, django_capture_on_commit_callbacks
):
    order = make_order(buyer, usdt)
    url = reverse("ramp:order_status", args=[order.pk])
    alice_client.get(url, {"v": order.version}, headers=HTMX)
    old_version = order.version

    with django_capture_on_commit_callbacks(execute=True):
        orders.order_submit_utr(order=order, utr="123456789012")

    response = alice_client.get(url, {"v": old_version}, headers=HTMX)
    assert response.status_code == 200 and "Checking your payment" in response.content.decode()


def test_the_fast_path_answers_nobody_but_the_owner(client, buyer, verified_bob, usdt):
    order = make_order(buyer, usdt)
    url = reverse("ramp:order_status", args=[order.pk])
    owner = client.__class__()
    owner.force_login(buyer, backend="accounts.backends.EmailCodeBackend")
    owner.get(url, {"v": order.version}, headers=HTMX)

    client.force_login(verified_bob, backend="accounts.backends.EmailCodeBackend")
    assert client.get(url, {"v": order.version}, headers=HTMX).status_code == 404
    client.logout()
    assert client.get(url, {"v": order.version}, headers=HTMX).status_code == 302


@pytest.fixture
def cached_sessions(settings):
    # The production profile: sessions read from the shared cache first.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_with_cached_sessions_an_unchanged_poll_costs_no_query_and_stays_private(
    cached_sessions, client, buyer, usdt, django_assert_num_queries
):
    order = make_order(buyer, usdt)
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")
    url = reverse("ramp:order_status", args=[order.pk])
    assert client.get(url, {"v": order.version}, headers=HTMX).status_code == 204  # warms it

    with django_assert_num_queries(0):
        response = client.get(url, {"v": order.version}, headers=HTMX)
    assert response.status_code == 204
    assert "no-store" in response["Cache-Control"] and "Cookie" in response["Vary"]
    assert response["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware still ran


def test_with_cached_sessions_the_fast_path_still_sees_changes_and_strangers(
    cached_sessions, client, buyer, verified_bob, usdt, django_capture_on_commit_callbacks
):
    order = make_order(buyer, usdt)
    url = reverse("ramp:order_status", args=[order.pk])
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")
    client.get(url, {"v": order.version}, headers=HTMX)
    old_version = order.version
    with django_capture_on_commit_callbacks(execute=True):
        orders.order_submit_utr(order=order, utr="123456789012")
    response = client.get(url, {"v": old_version}, headers=HTMX)
    assert response.status_code == 200 and "Checking your payment" in response.content.decode()

    order.refresh_from_db()
    client.force_login(verified_bob, backend="accounts.backends.EmailCodeBackend")
    assert client.get(url, {"v": order.version}, headers=HTMX).status_code == 404
    client.cookies["sessionid"] = "not-a-session"
    assert client.get(url, {"v": order.version}, headers=HTMX).status_code == 302
    client.cookies["sessionid"] = "x"  # too short to be a key
    assert client.get(url, {"v": order.version}, headers=HTMX).status_code == 302


def test_an_overdue_order_is_never_answered_unchanged(
    cached_sessions, client, buyer, usdt, time_machine
):
    order = make_order(buyer, usdt)
    # Due in a minute: its cache entry (two minutes) outlives it, so only the due check stops
    # the fast path from answering "unchanged" for an order the sweeper has not reached yet.
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() + timedelta(minutes=1))
    order.refresh_from_db()
    client.force_login(buyer, backend="accounts.backends.EmailCodeBackend")
    url = reverse("ramp:order_status", args=[order.pk])
    assert client.get(url, {"v": order.version}, headers=HTMX).status_code == 204

    time_machine.move_to(order.expires_at + timedelta(seconds=1))
    response = client.get(url, {"v": order.version}, headers=HTMX)

    assert response.status_code == 200 and "expired" in response.content.decode().lower()
