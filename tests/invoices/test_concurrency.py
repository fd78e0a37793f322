"""Parallel claims, idempotent POSTs and debits on PostgreSQL."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from invoices import ledger
from invoices.errors import InsufficientBalance
from invoices.models import Invoice, MerchantBalance
from invoices.services import egress_claim, invoice_create
from ramp.errors import LimitExceeded
from ramp.models import Order
from ramp.services.destinations import bank_account_link
from tests.concurrency import postgres_only, race
from tests.conftest import verify_kyc
from tests.invoices.conftest import CALLBACK, invoice_body

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_parallel_claims_of_one_withdrawal_execute_it_once(merchant):
    MerchantBalance.objects.create(merchant=merchant, available=Decimal("5000"))
    invoice = invoice_create(
        merchant=merchant,
        kind="egress",
        amount=Decimal("1000"),
        currency="INR",
        reference="w-1",
        callback_url=CALLBACK,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    people = []
    for n in range(8):
        user = User.objects.create_user(f"claimer{n}@example.com")
        verify_kyc(user, full_name="Ravi Kumar", pan_number=f"ABCPK{1000 + n}Z")
        account = bank_account_link(
            user=user, account_number=f"5555000011{n:02d}", ifsc="HDFC0001234"
        )
        people.append((user, account))

    outcomes = race(
        lambda i: egress_claim(invoice=invoice, user=people[i][0], bank_account_id=people[i][1].pk),
        threads=8,
    )

    assert [kind for kind, _ in outcomes].count("ok") == 1
    invoice.refresh_from_db()
    assert invoice.status == "confirming"
    assert invoice.deliveries.filter(event_type="egress.confirm").count() == 1


def test_parallel_posts_with_one_idempotency_key_create_one_invoice(merchant_keys):
    raw = merchant_keys[1]
    body = invoice_body()

    def post(i):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client.post(
            "/v1/ingress/invoice", body, format="json", HTTP_IDEMPOTENCY_KEY="same-key"
        ).status_code

    outcomes = race(post, threads=10)

    assert {value for _, value in outcomes} == {201}
    assert Invoice.objects.count() == 1


def test_parallel_debits_never_take_the_balance_below_zero(merchant):
    MerchantBalance.objects.create(merchant=merchant, available=Decimal("3000"))
    invoices = [
        invoice_create(
            merchant=merchant,
            kind="egress",
            amount=Decimal("1000"),
            currency="INR",
            reference=f"w-{n}",
            callback_url=CALLBACK,
            expires_at=timezone.now() + timedelta(hours=1),
        )
        for n in range(3)
    ]
    invoices += [
        Invoice.objects.create(
            merchant=merchant,
            kind="egress",
            amount=Decimal("1000"),
            reference=f"x-{n}",
            callback_url=CALLBACK,
            expires_at=timezone.now() + timedelta(hours=1),
        )
        for n in range(5)
    ]

    outcomes = race(lambda i: ledger.debit_withdrawal(invoice=invoices[i]), threads=8)

    assert [kind for kind, _ in outcomes].count("ok") == 3
    assert all(
        isinstance(value, InsufficientBalance) for kind, value in outcomes if kind == "error"
    )
    assert MerchantBalance.objects.get(merchant=merchant).available == 0


def test_a_cancel_racing_the_customers_utr_never_orphans_the_payment(merchant, buyer):
    from invoices.services import invoice_cancel, invoice_pay_start
    from ramp.services import orders

    for round_ in range(6):
        invoice = invoice_create(
            merchant=merchant,
            kind="ingress",
            amount=Decimal("800"),
            currency="INR",
            reference=f"race-{round_}",
            callback_url=CALLBACK,
            expires_at=timezone.now() + timedelta(hours=1),
        )
        order = invoice_pay_start(invoice=invoice, user=buyer, payment_method="INR_UPI")
        utr = f"9{round_:011d}"
        outcomes = race(
            lambda i, invoice=invoice, order=order, utr=utr: (
                invoice_cancel(invoice=invoice)
                if i == 0
                else orders.order_submit_utr(order=order, utr=utr)
            ),
            threads=2,
        )

        invoice.refresh_from_db()
        order.refresh_from_db()
        assert [kind for kind, _ in outcomes].count("ok") == 1, outcomes  # exactly one wins
        assert (invoice.status, order.status) in {
            ("cancelled", "cancelled"),  # the cancel won: the UTR was refused
            ("open", "orderReceived"),  # the UTR won: the cancel was refused (409)
        }


def ingress_invoice(merchant, amount, reference):
    return invoice_create(
        merchant=merchant,
        kind="ingress",
        amount=Decimal(amount),
        currency="INR",
        reference=reference,
        callback_url=CALLBACK,
        expires_at=timezone.now() + timedelta(hours=1),
    )


def test_parallel_starts_of_one_pay_in_open_one_order(merchant, buyer):
    """A double click, or two tabs: everyone is sent to the same order, none is orphaned."""
    from invoices.services import invoice_pay_start

    for round_ in range(4):
        invoice = ingress_invoice(merchant, "800", f"twice-{round_}")

        outcomes = race(
            lambda i, pk=invoice.pk: invoice_pay_start(
                invoice=Invoice.objects.get(pk=pk), user=buyer, payment_method="INR_UPI"
            ),
            threads=6,
        )

        invoice.refresh_from_db()
        assert {kind for kind, _ in outcomes} == {"ok"}, outcomes
        assert {order.pk for _, order in outcomes} == {invoice.order_id}
        assert Order.objects.filter(user=buyer, fiat_amount=Decimal("800")).count() == round_ + 1


def test_parallel_pay_ins_cannot_pass_the_daily_limit_together(merchant, buyer):
    # KYC_0: ₹5,00,000 a day, ₹2,00,000 an order: two of these fit, the third would not.
    invoices = [ingress_invoice(merchant, "200000", f"limit-{n}") for n in range(3)]
    from invoices.services import invoice_pay_start

    outcomes = race(
        lambda i: invoice_pay_start(invoice=invoices[i], user=buyer, payment_method="INR_IMPS"),
        threads=3,
    )

    assert [kind for kind, _ in outcomes].count("ok") == 2, outcomes
    assert all(isinstance(value, LimitExceeded) for kind, value in outcomes if kind == "error")
    assert Order.objects.filter(user=buyer).count() == 2
