"""Real parallel transactions on PostgreSQL against the order state machine."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ramp.errors import OrderExpired, OrderStateChanged, QuoteUsed, UtrAlreadyUsed
from ramp.models import Order, OrderEvent, OrderStatus
from ramp.services import orders
from ramp.services.quotes import quote_create
from tests.concurrency import postgres_only, race
from tests.ramp.conftest import TRON_WALLET

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]
S = OrderStatus
UTR = "123456789012"


def new_order(user, usdt, fiat="2500"):
    quote = quote_create(
        user=user, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount=fiat
    )
    return orders.order_create_onramp(user=user, quote_id=quote.pk, wallet_address=TRON_WALLET)


def kinds(outcomes):
    return [kind for kind, _ in outcomes]


def test_one_utr_sent_to_twenty_orders_at_once_credits_exactly_one(buyer, usdt):
    many = [new_order(buyer, usdt) for _ in range(20)]

    outcomes = race(lambda i: orders.order_submit_utr(order=many[i], utr=UTR), threads=20)

    assert kinds(outcomes).count("ok") == 1
    assert all(isinstance(value, UtrAlreadyUsed) for kind, value in outcomes if kind == "error")
    assert Order.objects.filter(utr=UTR).count() == 1
    assert Order.objects.filter(status=S.ORDER_RECEIVED).count() == 1
    assert OrderEvent.objects.filter(to_status=S.ORDER_RECEIVED).count() == 1


def test_a_utr_racing_the_expiry_ends_one_consistent_way(buyer, usdt):
    for _ in range(5):
        order = new_order(buyer, usdt)
        Order.objects.filter(pk=order.pk).update(
            expires_at=timezone.now() + timedelta(milliseconds=30)
        )
        order.refresh_from_db()

        def act(i, order=order):
            if i % 2:
                return orders.order_submit_utr(order=order, utr=f"{order.pk.int % 10**12:012d}")
            import time

            time.sleep(0.03)
            return orders.orders_expire_due()

        race(act, threads=4)
        order.refresh_from_db()
        assert order.status in (S.ORDER_RECEIVED, S.EXPIRED)
        if order.status == S.EXPIRED:
            assert order.utr is None
        else:
            assert order.utr is not None
        assert order.events.exclude(to_status=S.FIAT_PENDING).count() == 1


def test_two_staff_confirming_one_order_make_one_event(buyer, usdt, staff):
    order = orders.order_submit_utr(order=new_order(buyer, usdt), utr=UTR)

    outcomes = race(lambda i: orders.order_confirm_fiat(order=order, staff=staff), threads=10)

    assert kinds(outcomes).count("ok") == 1
    assert all(isinstance(value, OrderStateChanged) for kind, value in outcomes if kind == "error")
    assert OrderEvent.objects.filter(order=order, to_status=S.FIAT_RECEIVED).count() == 1


def test_one_quote_spent_from_many_tabs_makes_one_order(buyer, usdt):
    quote = quote_create(
        user=buyer, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="2500"
    )

    outcomes = race(
        lambda i: orders.order_create_onramp(
            user=buyer, quote_id=quote.pk, wallet_address=TRON_WALLET
        ),
        threads=10,
    )

    assert kinds(outcomes).count("ok") == 1
    assert all(isinstance(value, QuoteUsed) for kind, value in outcomes if kind == "error")
    assert Order.objects.count() == 1


def test_parallel_orders_cannot_overrun_the_daily_limit(buyer, usdt):
    from kyc.models import KycLevel

    KycLevel.objects.filter(code="KYC_0").update(
        per_order_limit_inr=Decimal("5000"), daily_limit_inr=Decimal("10000")
    )
    quotes = [
        quote_create(
            user=buyer, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="3000"
        )
        for _ in range(8)
    ]

    race(
        lambda i: orders.order_create_onramp(
            user=buyer, quote_id=quotes[i].pk, wallet_address=TRON_WALLET
        ),
        threads=8,
    )

    assert Order.objects.count() == 3  # 3 × 3000 fits in 10000; a 4th would not


def test_submitting_after_expiry_is_refused(buyer, usdt):
    order = new_order(buyer, usdt)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    order.refresh_from_db()

    with pytest.raises(OrderExpired):
        orders.order_submit_utr(order=order, utr=UTR)


def test_a_statement_imported_while_staff_confirm_by_hand_confirms_once(buyer, usdt, staff):
    from ramp.models import StatementLine
    from ramp.services.reconciliation import statement_import

    for round_ in range(8):
        utr = f"5{round_:011d}"
        order = orders.order_submit_utr(order=new_order(buyer, usdt), utr=utr)
        statement = f"date,reference,amount,type\n2026-11-20,{utr},{order.fiat_amount},credit\n"

        outcomes = race(
            lambda i, order=order, statement=statement: (
                orders.order_confirm_fiat(order=order, staff=staff)
                if i == 0
                else statement_import(file_name="s.csv", content=statement.encode(), staff=staff)
            ),
            threads=2,
        )

        # The import never fails on it: it reports the line as matched or already confirmed.
        assert kinds(outcomes)[1] == "ok", outcomes
        line = StatementLine.objects.get(utr=utr)
        assert line.outcome in {"matched", "already_confirmed"}
        assert OrderEvent.objects.filter(order=order, to_status=S.FIAT_RECEIVED).count() == 1
