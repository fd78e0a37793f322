import re
from datetime import timedelta
from decimal import Decimal

import pytest
import responses
import time_machine
from django.utils import timezone

from kyc.errors import KycRequired
from ramp.errors import (
    AmountInvalid,
    LimitExceeded,
    MethodUnavailable,
    QuoteExpired,
    QuoteNotFound,
    RatesUnavailable,
)
from ramp.models import Quote
from ramp.services.quotes import live_quote, quote_create

pytestmark = pytest.mark.django_db


def buy(user, asset, fiat=None, crypto=None, method="INR_UPI"):
    return quote_create(
        user=user,
        side="buy",
        asset=asset,
        payment_method=method,
        fiat_amount=fiat,
        crypto_amount=crypto,
    )


def test_a_quote_stores_every_figure_it_showed_for_thirty_seconds(buyer, usdt):
    quote = buy(buyer, usdt, fiat="10000")

    stored = Quote.objects.get(pk=quote.pk)
    assert (stored.fiat_amount, stored.crypto_amount, stored.platform_fee) == (
        Decimal("10000.00"),
        Decimal("110.316216"),
        Decimal("50.00"),
    )
    assert (stored.mid_rate, stored.rate, stored.network_fee) == (
        Decimal("88.5"),
        Decimal("89.385"),
        Decimal("1"),
    )
    assert stored.expires_at - stored.created_at == timedelta(seconds=30)


def test_a_sell_quote_has_tds(buyer, usdt):
    quote = quote_create(
        user=buyer, side="sell", asset=usdt, payment_method="INR_IMPS", crypto_amount="100"
    )

    assert quote.tds == Decimal("87.62")
    assert quote.fiat_amount == Decimal("8630.07")


@pytest.mark.parametrize(
    ("fiat", "message"),
    [
        ("50", "smallest UPI buy of USDT · TRC20 is ₹100.00"),
        ("100001", "largest UPI buy of USDT · TRC20 is ₹1,00,000.00"),
    ],
)
def test_method_limits_say_which_and_how_much(buyer, usdt, fiat, message):
    with pytest.raises(LimitExceeded, match=re.escape(message)):
        buy(buyer, usdt, fiat=fiat)


def test_the_kyc_per_order_limit_is_named(buyer, usdt):
    from kyc.models import KycLevel

    KycLevel.objects.filter(code="KYC_0").update(per_order_limit_inr=Decimal("5000"))

    with pytest.raises(LimitExceeded, match=re.escape("Your limit per order is ₹5,000.00")):
        buy(buyer, usdt, fiat="6000")


def test_the_daily_limit_counts_open_orders_and_says_what_is_left(buyer, usdt):
    from kyc.models import KycLevel
    from ramp.services.orders import order_cancel, order_create_onramp
    from tests.ramp.conftest import TRON_WALLET

    KycLevel.objects.filter(code="KYC_0").update(
        per_order_limit_inr=Decimal("60000"), daily_limit_inr=Decimal("100000")
    )
    first = order_create_onramp(
        user=buyer, quote_id=buy(buyer, usdt, fiat="60000").pk, wallet_address=TRON_WALLET
    )

    with pytest.raises(
        LimitExceeded,
        match=re.escape("daily limit of ₹1,00,000.00: you can still trade ₹40,000.00 today"),
    ) as error:
        buy(buyer, usdt, fiat="50000")
    assert error.value.details == {"limit": "daily", "remaining": "40000.00"}

    order_cancel(order=first, actor=buyer)  # cancelled orders do not count
    assert buy(buyer, usdt, fiat="50000")


def test_the_monthly_limit_counts_earlier_days_of_the_month(buyer, usdt):
    from kyc.models import KycLevel
    from ramp.services.orders import order_create_onramp
    from tests.ramp.conftest import TRON_WALLET

    KycLevel.objects.filter(code="KYC_0").update(
        per_order_limit_inr=Decimal("1500"),
        daily_limit_inr=Decimal("1500"),
        monthly_limit_inr=Decimal("3000"),
    )
    today = timezone.localtime()
    month_start = today.replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    for day in (0, 1):  # two earlier days, each at its daily limit
        with time_machine.travel(month_start + timedelta(days=day), tick=False):
            quote = buy(buyer, usdt, fiat="1500")
            order_create_onramp(user=buyer, quote_id=quote.pk, wallet_address=TRON_WALLET)

    with (
        time_machine.travel(month_start + timedelta(days=2), tick=False),
        pytest.raises(LimitExceeded, match=re.escape("monthly limit of ₹3,000.00")) as error,
    ):
        buy(buyer, usdt, fiat="1000")  # within today's limit, beyond the month's

    assert error.value.details == {"limit": "monthly", "remaining": "0.00"}


def test_an_unverified_person_cannot_get_a_quote(alice, usdt):
    with pytest.raises(KycRequired):
        buy(alice, usdt, fiat="1000")


@pytest.mark.parametrize(
    ("fiat", "crypto", "field"),
    [
        ("-5", None, "fiat_amount"),
        ("abc", None, "fiat_amount"),
        ("10.001", None, "fiat_amount"),
        (None, "1.1234567", "crypto_amount"),
        (None, None, "fiat_amount"),
        ("100", "1", "fiat_amount"),
        ("NaN", None, "fiat_amount"),
        ("Infinity", None, "fiat_amount"),
    ],
)
def test_bad_amounts_are_refused(buyer, usdt, fiat, crypto, field):
    with pytest.raises(AmountInvalid) as error:
        buy(buyer, usdt, fiat=fiat, crypto=crypto)

    assert field in error.value.details
    assert not Quote.objects.exists()


def test_a_disabled_method_or_wrong_side_is_refused(buyer, usdt):
    with pytest.raises(MethodUnavailable):
        quote_create(
            user=buyer, side="sell", asset=usdt, payment_method="INR_UPI", crypto_amount="10"
        )
    usdt.limits.filter(payment_method="INR_IMPS", side="buy").update(enabled=False)
    with pytest.raises(MethodUnavailable):
        buy(buyer, usdt, fiat="1000", method="INR_IMPS")


def test_a_quote_expires_after_thirty_seconds(buyer, usdt):
    quote = buy(buyer, usdt, fiat="1000")

    with time_machine.travel(timezone.now() + timedelta(seconds=31)), pytest.raises(QuoteExpired):
        live_quote(user=buyer, quote_id=quote.pk, side="buy")


def test_another_persons_quote_is_not_found(buyer, verified_bob, usdt):
    quote = buy(buyer, usdt, fiat="1000")

    with pytest.raises(QuoteNotFound):
        live_quote(user=verified_bob, quote_id=quote.pk, side="buy")
    with pytest.raises(QuoteNotFound):
        live_quote(user=buyer, quote_id="not-a-uuid", side="buy")


@responses.activate
def test_the_http_rate_source_quotes_live_prices(settings, buyer, usdt):
    settings.RATE_SOURCE = "http"
    settings.RATES_HTTP_URL = "https://prices.example.com/simple/price"
    responses.get(
        "https://prices.example.com/simple/price",
        json={"tether": {"inr": 90.10, "last_updated_at": int(timezone.now().timestamp())}},
        match=[
            responses.matchers.query_param_matcher(
                {"ids": "tether", "vs_currencies": "inr", "include_last_updated_at": "true"}
            )
        ],
    )

    quote = buy(buyer, usdt, fiat="1000")
    buy(buyer, usdt, fiat="2000")

    assert quote.mid_rate == Decimal("90.10")
    assert len(responses.calls) == 1  # cached


@responses.activate
def test_a_stale_or_missing_market_price_stops_quoting(settings, buyer, usdt):
    settings.RATE_SOURCE = "http"
    settings.RATES_HTTP_URL = "https://prices.example.com/simple/price"
    stale = int((timezone.now() - timedelta(minutes=10)).timestamp())
    responses.get(
        "https://prices.example.com/simple/price",
        json={"tether": {"inr": 90.1, "last_updated_at": stale}},
    )

    with pytest.raises(RatesUnavailable, match="out of date"):
        buy(buyer, usdt, fiat="1000")

    from django.core.cache import cache

    cache.clear()
    responses.replace(responses.GET, "https://prices.example.com/simple/price", status=500)
    with pytest.raises(RatesUnavailable, match="unavailable"):
        buy(buyer, usdt, fiat="1000")
    assert not Quote.objects.exists()
