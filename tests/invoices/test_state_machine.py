"""
Random sequences of everything a merchant, a customer, staff and the clock can do to invoices —
pay-ins paid through orders, withdrawals claimed, confirmed or declined by the merchant (with
answers repeated, as at-least-once delivery allows), paid out, cancelled, expired — checked
after every step: statuses follow the graph, every journal balances, the balance row equals
its ledger and never goes negative, a pay-in is credited once and a withdrawal debited once.
"""

import contextlib
import itertools
import json
import os
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Sum
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
from invoices import services
from invoices.models import Invoice, InvoiceEvent, LedgerEntry, MerchantBalance, WebhookDelivery
from ramp.services import orders

I = Invoice.Status  # noqa: E741 - the name the services use
A = LedgerEntry.Account
ALLOWED = {
    "": {I.OPEN},
    I.OPEN: {I.PAID, I.CONFIRMING, I.EXPIRED, I.CANCELLED},
    I.CONFIRMING: {I.CONFIRMED, I.CANCELLED},
    I.CONFIRMED: {I.COMPLETED},
}
PAYMENT_IN_FLIGHT = {"orderReceived", "fiatReceived", "transferred", "completed"}
counter = itertools.count()
# Raise for a deeper run, as for the schema fuzzing: STATEFUL_EXAMPLES=300 make test.
EXAMPLES = int(os.environ.get("STATEFUL_EXAMPLES", "30"))


class InvoiceMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        cls = type(self)
        self.staff, self.buyer, self.bank = cls.staff, cls.buyer, cls.bank
        self.merchant = merchant_create(name=f"Shop {next(counter)}", owner_email="m@shop.test")[0]
        self.invoices = []
        self.clock = timezone.now()
        # A first pay-in, paid as customers pay, so withdrawals have a balance to draw on.
        self._try(lambda: self._create("ingress", "9000.00"))
        self.customer_pays(0, confirm=True)

    def _invoice(self, index, kind=None):
        mine = Invoice.objects.filter(pk__in=self.invoices).order_by("created_at", "id")
        if kind:
            mine = mine.filter(kind=kind)
        found = list(mine)
        return found[index % len(found)] if found else None

    def _try(self, action):
        # Refusals are fine; what matters is the state they leave.
        with time_machine.travel(self.clock, tick=False), contextlib.suppress(DomainError):
            action()

    def _create(self, kind, amount, display_key=""):
        invoice = services.invoice_create(
            merchant=self.merchant,
            kind=kind,
            amount=Decimal(amount),
            currency="INR",
            reference=f"r-{next(counter)}",
            callback_url="https://m.example.com/cb",
            expires_at=self.clock + timedelta(hours=2),
            invoice_display_key=display_key,
        )
        self.invoices.append(invoice.pk)

    @rule(amount=st.sampled_from(["500.00", "1000.00", "2499.99"]), key=st.sampled_from(["", "k"]))
    def create_pay_in(self, amount, key):
        self._try(lambda: self._create("ingress", amount, key))

    @rule(amount=st.sampled_from(["100.00", "700.00", "5000.00"]))
    def create_withdrawal(self, amount):
        self._try(lambda: self._create("egress", amount))

    @precondition(lambda self: self.invoices)
    @rule(index=st.integers(0, 30), confirm=st.booleans())
    def customer_pays(self, index, confirm):
        def pay():
            invoice = self._invoice(index, "ingress")
            if invoice is None:
                return
            order = services.invoice_pay_start(
                invoice=invoice, user=self.buyer, payment_method="INR_UPI"
            )
            orders.order_submit_utr(order=order, utr=f"{next(counter):012d}")
            if confirm:
                orders.order_confirm_fiat(order=order, staff=self.staff)

        self._try(pay)

    @precondition(lambda self: self.invoices)
    @rule(index=st.integers(0, 30))
    def staff_confirms_a_waiting_payment(self, index):
        def confirm():
            invoice = self._invoice(index, "ingress")
            if invoice is not None and invoice.order_id:
                orders.order_confirm_fiat(order=invoice.order, staff=self.staff)

        self._try(confirm)

    @precondition(lambda self: self.invoices)
    @rule(index=st.integers(0, 30))
    def customer_claims(self, index):
        def claim():
            invoice = self._invoice(index, "egress")
            if invoice is not None:
                services.egress_claim(
                    invoice=invoice, user=self.buyer, bank_account_id=self.bank.pk
                )

        self._try(claim)

    @precondition(lambda self: self.invoices)
    @rule(index=st.integers(0, 30), success=st.booleans(), times=st.integers(1, 2))
    def merchant_answers(self, index, success, times):
        def answer():
            invoice = self._invoice(index, "egress")
            delivery = (
                WebhookDelivery.objects.filter(invoice=invoice, event_type="egress.confirm")
                .order_by("created_at")
                .last()
            )
            if delivery is None:
                return
            body = json.dumps({"success": success}).encode()
            for _ in range(times):  # at-least-once: the same answer may arrive twice
                services.delivery_answered(delivery=delivery, status_code=200, body=body)

        self._try(answer)

    @precondition(lambda self: self.invoices)
    @rule(index=st.integers(0, 30))
    def staff_pays_out(self, index):
        def pay_out():
            invoice = self._invoice(index, "egress")
            if invoice is not None:
                services.egress_payout_complete(
                    invoice=invoice, staff=self.staff, reference=f"UTIB{next(counter)}"
                )

        self._try(pay_out)

    @precondition(lambda self: self.invoices)
    @rule(index=st.integers(0, 30), kind=st.sampled_from(["ingress", "egress"]))
    def merchant_cancels(self, index, kind):
        def cancel():
            invoice = self._invoice(index, kind)
            if invoice is not None:
                services.invoice_cancel(invoice=invoice)

        self._try(cancel)

    @rule(hours=st.sampled_from([0, 1, 3]))
    def time_passes(self, hours):
        self.clock += timedelta(hours=hours)
        self._try(services.invoices_expire_due)
        self._try(orders.orders_expire_due)

    @invariant()
    def statuses_follow_the_graph(self):
        for invoice in Invoice.objects.filter(pk__in=self.invoices):
            previous = ""
            for event in InvoiceEvent.objects.filter(invoice=invoice).order_by("created_at", "id"):
                assert event.from_status == previous, (invoice.reference, previous, event)
                assert event.to_status in ALLOWED.get(previous, set()), (previous, event.to_status)
                previous = event.to_status
            assert invoice.status == previous

    @invariant()
    def money_moves_once_and_balances(self):
        entries = LedgerEntry.objects.filter(merchant=self.merchant)
        for journal in set(entries.values_list("journal", flat=True)):
            assert entries.filter(journal=journal).aggregate(t=Sum("amount"))["t"] == 0
        available = entries.filter(account=A.MERCHANT_AVAILABLE)
        total = available.aggregate(t=Sum("amount"))["t"] or Decimal(0)
        balance = MerchantBalance.objects.filter(merchant=self.merchant).first()
        assert (balance.available if balance else Decimal(0)) == total >= 0
        for invoice in Invoice.objects.filter(pk__in=self.invoices):
            moves = available.filter(invoice=invoice).count()
            if invoice.kind == "ingress":
                assert moves == (1 if invoice.status == I.PAID else 0), invoice.status
                if invoice.order_id and invoice.order.status in ("fiatReceived", "completed"):
                    assert invoice.status == I.PAID  # money received is never orphaned
                if invoice.status in (I.CANCELLED, I.EXPIRED) and invoice.order_id:
                    # A customer who paid is never left with an invoice that cannot take it.
                    assert invoice.order.status not in PAYMENT_IN_FLIGHT, invoice.order.status
            else:
                assert moves == (1 if invoice.status in (I.CONFIRMED, I.COMPLETED) else 0)


@pytest.mark.django_db
def test_no_sequence_of_actions_breaks_the_invoice_rules(buyer, staff, alice_bank):
    from kyc.models import KycLevel

    KycLevel.objects.update(
        per_order_limit_inr=Decimal("1000000"),
        daily_limit_inr=Decimal("100000000"),
        monthly_limit_inr=Decimal("100000000"),
    )
    InvoiceMachine.staff, InvoiceMachine.buyer, InvoiceMachine.bank = staff, buyer, alice_bank
    run_state_machine_as_test(
        InvoiceMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
