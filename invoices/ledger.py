"""The merchant ledger: every movement is one balanced journal, and the balance row follows."""

import uuid

from django.db.models import F

from invoices.errors import InsufficientBalance
from invoices.models import LedgerEntry, MerchantBalance

A = LedgerEntry.Account


def _move_balance(merchant, delta):
    MerchantBalance.objects.get_or_create(merchant=merchant)
    # Conditional: the balance never goes below zero, whatever runs beside us.
    moved = MerchantBalance.objects.filter(merchant=merchant, available__gte=-delta).update(
        available=F("available") + delta
    )
    if not moved:
        raise InsufficientBalance("The merchant's balance does not cover this withdrawal.")


def post(*, merchant, invoice, memo, lines):
    """Post ``lines`` ((account, amount) pairs summing to zero) as one journal."""
    if sum(amount for _, amount in lines) != 0:
        raise ValueError("A journal must balance.")
    journal = uuid.uuid4()
    for account, amount in lines:
        if account == A.MERCHANT_AVAILABLE:
            _move_balance(merchant, amount)
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            journal=journal,
            merchant=merchant,
            account=account,
            amount=amount,
            invoice=invoice,
            memo=memo,
        )
        for account, amount in lines
    )
    return journal


def credit_pay_in(*, invoice, fee):
    return post(
        merchant=invoice.merchant,
        invoice=invoice,
        memo=f"Pay-in {invoice.reference}",
        lines=[
            (A.CUSTOMER_FUNDS, -invoice.amount),
            (A.MERCHANT_AVAILABLE, invoice.amount - fee),
            (A.PLATFORM_FEES, fee),
        ],
    )


def debit_withdrawal(*, invoice):
    return post(
        merchant=invoice.merchant,
        invoice=invoice,
        memo=f"Withdrawal {invoice.reference}",
        lines=[(A.MERCHANT_AVAILABLE, -invoice.amount), (A.PAYOUTS, invoice.amount)],
    )
