"""
Random sequences of everything a customer and staff can do to orders (and to the invoice an
order pays), checked after every step: statuses only follow the documented graph, the
timeline is an unbroken chain, a UTR credits one order, money is received at most once and a
merchant is credited at most once.
"""

import contextlib
import itertools
import os
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts.merchants import merchant_create
from config.errors import DomainError
from invoices.models import Invoice, LedgerEntry
from invoices.services import invoice_create, invoice_pay_start
from ramp.models import Order, OrderEvent, OrderStatus
from ramp.services import orders
from ramp.services.quotes import quote_create
from tests.ramp.conftest import TRON_WALLET

S = OrderStatus
ALLOWED = {
    "": {S.FIAT_PENDING},
    S.FIAT_PENDING: {S.ORDER_RECEIVED, S.EXPIRED, S.CANCELLED, S.FAILED},
    S.ORDER_RECEIVED: {S.FIAT_RECEIVED, S.FIAT_PENDING, S.FAILED, S.REFUNDED},
    S.FIAT_RECEIVED: {S.TRANSFERRED, S.REFUNDED, S.COMPLETED},
    S.TRANSFERRED: {S.COMPLETED},
}
UTRS = ["111111111111", "222222222222", "333333333333"]
counter = itertools.count()
# Raise for a deeper run, as for the schema fuzzing: STATEFUL_EXAMPLES=300 make test.
EXAMPLES = int(os.environ.get("STATEFUL_EXAMPLES", "30"))


class OrderMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.staff = type(self).staff
        self.buyer = type(self).buyer
        self.usdt = type(self).usdt
        self.merchant = type(self).merchant
        self.orders = []
        self.clock = timezone.now()

    def _order(self, index):
        return Order.objects.get(pk=self.orders[index % len(self.orders)])

    def _try(self, action):
        # Refusals are fine; what matters is the state they leave.
        with time_machine.travel(self.clock, tick=False), contextlib.suppress(DomainError):
            action()

    @rule()
    def buy(self):
        def create():
            quote = quote_create(
                user=self.buyer,
                side="buy",
                asset=self.usdt,
                payment_method="INR_UPI",
                fiat_amount="1000",
            )
            self.orders.append(
                orders.order_create_onramp(
                    user=self.buyer, quote_id=quote.pk, wallet_address=TRON_WALLET
                ).pk
            )

        self._try(create)

    @rule()
    def pay_an_invoice(self):
        def create():
            invoice = invoice_create(
                merchant=self.merchant,
                kind="ingress",
                amount=Decimal("1000"),
                currency="INR",
                reference=f"inv-{next(counter)}",
                callback_url="https://m.example.com/cb",
                expires_at=self.clock + timedelta(hours=1),
            )
            self.orders.append(
                invoice_pay_start(invoice=invoice, user=self.buyer, payment_method="INR_UPI").pk
            )

        self._try(create)

    @precondition(lambda self: self.orders)
    @rule(index=st.integers(0, 50), utr=st.sampled_from(UTRS))
    def submit_utr(self, index, utr):
        self._try(lambda: orders.order_submit_utr(order=self._order(index), utr=utr))

    @precondition(lambda self: self.orders)
    @rule(index=st.integers(0, 50))
    def confirm_fiat(self, index):
        self._try(lambda: orders.order_confirm_fiat(order=self._order(index), staff=self.staff))

    @precondition(lambda self: self.orders)
    @rule(index=st.integers(0, 50))
    def reject_utr(self, index):
        self._try(
            lambda: orders.order_reject_utr(
                order=self._order(index), staff=self.staff, reason="no credit"
            )
        )

    @precondition(lambda self: self.orders)
    @rule(index=st.integers(0, 50))
    def send_crypto(self, index):
        self._try(
            lambda: orders.order_record_crypto_sent(
                order=self._order(index), staff=self.staff, tx_hash=f"{next(counter):064x}"
            )
        )

    @precondition(lambda self: self.orders)
    @rule(index=st.integers(0, 50))
    def complete(self, index):
        self._try(lambda: orders.order_mark_completed(order=self._order(index), staff=self.staff))

    @precondition(lambda self: self.orders)
    @rule(index=st.integers(0, 50))
    def refund(self, index):
        self._try(
            lambda: orders.order_refund(order=self._order(index), staff=self.staff, reason="asked")
        )

    @precondition(lambda self: self.orders)
    @rule(index=st.integers(0, 50))
    def cancel(self, index):
        self._try(lambda: orders.order_cancel(order=self._order(index), actor=self.buyer))

    @rule(hours=st.sampled_from([0, 1, 4]))
    def time_passes(self, hours):
        self.clock += timedelta(hours=hours)
        self._try(orders.orders_expire_due)

    @invariant()
    def statuses_follow_the_graph_and_money_moves_once(self):
        mine = Order.objects.filter(pk__in=self.orders)
        for order in mine:
            events = list(OrderEvent.objects.filter(order=order).order_by("created_at", "id"))
            previous = ""
            for event in events:
                assert event.from_status == previous, (order.reference, previous, event.from_status)
                assert event.to_status in ALLOWED.get(previous, set()), (previous, event.to_status)
                previous = event.to_status
            assert order.status == previous
            assert sum(e.to_status == S.FIAT_RECEIVED for e in events) <= 1
        utrs = [utr for utr in mine.values_list("utr", flat=True) if utr]
        assert len(utrs) == len(set(utrs))
        for invoice in Invoice.objects.filter(order__in=self.orders):
            credited = LedgerEntry.objects.filter(
                invoice=invoice, account="merchant_available"
            ).count()
            assert credited == (1 if invoice.status == "paid" else 0)


@pytest.mark.django_db
def test_no_sequence_of_actions_breaks_the_order_rules(buyer, usdt, staff):
    from kyc.models import KycLevel

    KycLevel.objects.update(
        per_order_limit_inr=Decimal("1000000"),
        daily_limit_inr=Decimal("100000000"),
        monthly_limit_inr=Decimal("100000000"),
    )
    OrderMachine.staff, OrderMachine.buyer, OrderMachine.usdt = staff, buyer, usdt
    OrderMachine.merchant = merchant_create(name="Machine Shop", owner_email="m@shop.test")[0]
    run_state_machine_as_test(
        OrderMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
