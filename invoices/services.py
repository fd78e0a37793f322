"""
Invoices: creation, the customer's side (pay an ingress, claim an egress), the merchant's
answers, expiry and refresh. Every status change is a conditional update with an
``InvoiceEvent``; money moves through ``invoices.ledger`` and callbacks through the outbox in
``invoices.webhooks``, in the same transaction as the change that causes them.
"""

import json
from datetime import UTC, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from config.errors import DomainError, require_colleague
from invoices import ledger, webhooks
from invoices.errors import (
    InsufficientBalance,
    InvoiceNotOpen,
    InvoiceTaken,
    PaymentInFlight,
    UnsafeUrl,
)
from invoices.models import Invoice, InvoiceEvent, MerchantBalance
from invoices.ssrf import (
    UnsafeDestination,
    check_outbound,
    check_outbound_at_creation,
    check_redirect,
)
from ramp.errors import OrderStateChanged
from ramp.models import BankAccount, Order, OrderStatus, UpiId
from ramp.models.orders import AWAITING_PAYMENT, ENDED_UNPAID
from ramp.pricing import PAISA, up

I = Invoice.Status  # noqa: E741 - reads as the invoice's statuses
BPS = 10_000
# Orders paying a pay-in that let it expire: still waiting for a UTR (which can no longer come:
# the order expires with the invoice), or ended without money.
NOTHING_ON_ITS_WAY = (AWAITING_PAYMENT - {OrderStatus.CHECKOUT_PENDING}) | ENDED_UNPAID


def invoice_url(invoice):
    return settings.SITE_URL + reverse("invoices:hosted", args=[invoice.token])


def iso(moment):
    """UTC, ISO 8601 with a Z: the one way the API writes times."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def invoice_data(invoice):
    """The invoice object of the API and of every callback (SPEC §3)."""
    return {
        "id": str(invoice.pk),
        "kind": invoice.kind,
        "status": invoice.status,
        "amount": f"{invoice.amount:.2f}",
        "currency": invoice.currency,
        "reference": invoice.reference,
        "description": invoice.description,
        "metadata": invoice.metadata,
        "url": invoice_url(invoice),
        "qr_url": settings.SITE_URL + reverse("invoices:qr", args=[invoice.token]),
        "expires_at": iso(invoice.expires_at),
        "created_at": iso(invoice.created_at),
        "paid_at": iso(invoice.paid_at),
        "redirect_url": invoice.redirect_url or None,
        "callback_url": invoice.callback_url,
        "refresh_invoice_url": invoice.refresh_invoice_url or None,
        "invoice_display_key": invoice.invoice_display_key or None,
        "customer_email": invoice.customer_email or None,
    }


def _transition(invoice, *, from_statuses, to_status, actor=None, note="", **fields):
    with transaction.atomic():
        current = (
            Invoice.objects.select_for_update()
            .filter(pk=invoice.pk)
            .values_list("status", flat=True)
            .first()
        )
        if current not in from_statuses:
            raise InvoiceNotOpen()
        changed = Invoice.objects.filter(pk=invoice.pk, status=current).update(
            status=to_status, updated_at=timezone.now(), **fields
        )
        if not changed:
            raise InvoiceNotOpen()
        InvoiceEvent.objects.create(
            invoice=invoice, from_status=current, to_status=to_status, actor=actor, note=note
        )
    invoice.refresh_from_db()
    return invoice


def _check_urls(*, merchant, callback_url, redirect_url, refresh_invoice_url):
    # Production resolves host names now (early feedback; each request re-checks); the
    # embedded default, which allows loopback anyway, does not depend on DNS.
    outbound = (
        check_outbound_at_creation
        if settings.PRODUCTION
        else lambda url: check_outbound(url, resolve=False)
    )
    checks = [
        ("callback_url", callback_url, outbound),
        ("refresh_invoice_url", refresh_invoice_url, outbound),
        ("redirect_url", redirect_url, lambda url: check_redirect(url, merchant=merchant)),
    ]
    for field, url, check in checks:
        if not url:
            continue
        try:
            check(url)
        except UnsafeDestination as error:
            raise UnsafeUrl(f"{field}: {error}", details={field: [str(error)]}) from error


def invoice_create(
    *,
    merchant,
    kind,
    amount,
    currency,
    reference,
    callback_url,
    expires_at,
    description="",
    metadata=None,
    redirect_url="",
    refresh_invoice_url="",
    invoice_display_key="",
    customer_email="",
) -> Invoice:
    now = timezone.now()
    if not now < expires_at <= now + timedelta(days=settings.INVOICE_MAX_LIFETIME_DAYS):
        raise DomainError(
            "expires_at must be in the future and within "
            f"{settings.INVOICE_MAX_LIFETIME_DAYS} days.",
            code="validation_error",
            details={"expires_at": ["out of range"]},
        )
    _check_urls(
        merchant=merchant,
        callback_url=callback_url,
        redirect_url=redirect_url,
        refresh_invoice_url=refresh_invoice_url,
    )
    with transaction.atomic():
        if kind == Invoice.Kind.EGRESS:
            balance = (
                MerchantBalance.objects.filter(merchant=merchant)
                .values_list("available", flat=True)
                .first()
            )
            if (balance or 0) < amount:
                raise InsufficientBalance(
                    "The withdrawal is larger than the available balance "
                    f"({balance or 0:.2f} {currency})."
                )
        replaced = []
        if invoice_display_key:
            replaced = list(
                Invoice.objects.select_for_update().filter(
                    merchant=merchant, invoice_display_key=invoice_display_key, status=I.OPEN
                )
            )
            for old in replaced:
                # One open invoice per display key: while the old one's payment is being
                # checked, the new one is refused (409) rather than orphaning that payment.
                _close_pay_in(old, note="Replaced by a newer invoice")
                _transition(
                    old,
                    from_statuses={I.OPEN},
                    to_status=I.CANCELLED,
                    note="Replaced by a newer invoice",
                )
        invoice = Invoice.objects.create(
            merchant=merchant,
            kind=kind,
            amount=amount,
            currency=currency,
            reference=reference,
            description=description,
            metadata=metadata or {},
            expires_at=expires_at,
            redirect_url=redirect_url,
            callback_url=callback_url,
            refresh_invoice_url=refresh_invoice_url,
            invoice_display_key=invoice_display_key,
            customer_email=(customer_email or "").lower(),
        )
        if replaced:
            Invoice.objects.filter(pk__in=[old.pk for old in replaced]).update(replaced_by=invoice)
        InvoiceEvent.objects.create(invoice=invoice, to_status=I.OPEN, note="Created over the API")
    return invoice


def invoice_cancel(*, invoice, actor=None, note="Cancelled by the merchant") -> Invoice:
    with transaction.atomic():
        _close_pay_in(invoice, note=note)
        invoice = _transition(
            invoice, from_statuses={I.OPEN}, to_status=I.CANCELLED, actor=actor, note=note
        )
        if invoice.kind == Invoice.Kind.EGRESS:
            _callback(invoice, "egress.cancelled")
    return invoice


def _close_pay_in(invoice, *, note):
    """
    A pay-in is about to close: the order paying it closes too if no money is on its way (so no
    one pays into a closed invoice); if a payment is being checked, the invoice may not close.
    Call inside the transaction that closes the invoice.
    """
    # From the row, locked: a payment may have started since `invoice` was read.
    order_id = (
        Invoice.objects.select_for_update()
        .filter(pk=invoice.pk)
        .values_list("order_id", flat=True)
        .first()
    )
    if not order_id:
        return
    from ramp.services.orders import order_cancel

    order = Order.objects.get(pk=order_id)
    if order.status == OrderStatus.FIAT_PENDING:
        try:
            order_cancel(order=order, actor=None, reason=f"The invoice closed: {note.lower()}")
        except OrderStateChanged:
            raise PaymentInFlight() from None  # the customer's UTR got there first
    elif order.status not in ENDED_UNPAID:
        raise PaymentInFlight()


def _callback(invoice, event_type):
    return webhooks.enqueue(
        merchant=invoice.merchant,
        invoice=invoice,
        event_type=event_type,
        url=invoice.callback_url,
        data=invoice_data(invoice),
    )


def _request_refresh(invoice):
    if invoice.refresh_invoice_url:
        webhooks.enqueue(
            merchant=invoice.merchant,
            invoice=invoice,
            event_type="invoice.refresh",
            url=invoice.refresh_invoice_url,
            data=invoice_data(invoice),
        )


def _bind(invoice, user):
    """The first person who starts paying or claiming owns the invoice; nobody else may."""
    if invoice.customer_email and invoice.customer_email != user.email:
        raise InvoiceTaken("This invoice was issued to someone else.")
    bound = Invoice.objects.filter(pk=invoice.pk, status=I.OPEN, bound_user__isnull=True).update(
        bound_user=user
    )
    invoice.refresh_from_db()
    if not bound and invoice.bound_user_id != user.pk:
        if invoice.status != I.OPEN:
            raise InvoiceNotOpen()
        raise InvoiceTaken()


def _require_live(invoice):
    if invoice.status != I.OPEN:
        raise InvoiceNotOpen()
    if invoice.expires_at <= timezone.now():
        invoices_expire_due()
        raise InvoiceNotOpen("This invoice has expired.")


def invoice_pay_start(*, invoice, user, payment_method, upi_id=None, bank_account_id=None):
    """
    Bind the ingress invoice to ``user`` and open (or return) the order that pays it. The
    invoice's row is locked throughout, so a double click or a second tab gets the same order
    (never a second one that nothing would settle), and a refusal (a limit, a missing UPI ID)
    leaves the invoice unbound for whoever can pay it.
    """
    from ramp.services.orders import order_create_invoice_payment

    if invoice.kind != Invoice.Kind.INGRESS:
        raise InvoiceNotOpen("This is not a pay-in invoice.")
    _require_live(invoice)
    with transaction.atomic():
        Invoice.objects.select_for_update().filter(pk=invoice.pk).values_list("pk").first()
        _bind(invoice, user)  # reads the invoice afresh
        if invoice.status != I.OPEN:
            raise InvoiceNotOpen()
        current = Order.objects.filter(pk=invoice.order_id).first() if invoice.order_id else None
        if current and current.status not in ENDED_UNPAID:
            return current
        order = order_create_invoice_payment(
            user=user,
            amount=invoice.amount,
            payment_method=payment_method,
            expires_at=invoice.expires_at,
            upi_id=upi_id,
            bank_account_id=bank_account_id,
        )
        Invoice.objects.filter(pk=invoice.pk).update(order=order)
    invoice.order = order
    return order


def invoice_settle_payment(*, order):
    """Called when the order paying an ingress invoice reaches fiatReceived (same transaction)."""
    from ramp.services.orders import order_transition

    invoice = Invoice.objects.select_related("merchant").get(order=order)
    fee = up(invoice.amount * invoice.merchant.fee_bps / BPS, PAISA)
    invoice = _transition(
        invoice,
        from_statuses={I.OPEN},
        to_status=I.PAID,
        note=f"Paid by order {order.reference}",
        paid_at=timezone.now(),
    )
    ledger.credit_pay_in(invoice=invoice, fee=fee)
    _callback(invoice, "ingress.paid")
    _request_refresh(invoice)
    order_transition(
        order,
        from_statuses={OrderStatus.FIAT_RECEIVED},
        to_status=OrderStatus.COMPLETED,
        note="Invoice paid",
    )


def invoices_expire_due(*, now=None, batch=200) -> int:
    now = now or timezone.now()
    expired = 0
    due = (
        Invoice.objects.select_related("order", "merchant")
        .filter(status=I.OPEN, expires_at__lte=now)
        .order_by("expires_at")  # the longest overdue first, as the order sweeper does
    )
    for invoice in due[:batch]:
        order = invoice.order
        if order and order.status == OrderStatus.CHECKOUT_PENDING:
            # A card payment may have gone through unseen (a lost callback): the order's own
            # expiry asks the provider first. Paid, it settles this invoice; unanswered, both wait.
            from ramp.services.orders import order_expire

            order_expire(order=order, now=now)
            order.refresh_from_db()
        # Money may be on its way (a UTR being checked, a card payment the provider could not
        # tell us about yet): the invoice stays open until that is settled.
        if order and order.status not in NOTHING_ON_ITS_WAY:
            continue
        try:
            with transaction.atomic():
                _transition(
                    invoice, from_statuses={I.OPEN}, to_status=I.EXPIRED, note="Not paid in time"
                )
                _callback(
                    invoice,
                    "ingress.expired"
                    if invoice.kind == Invoice.Kind.INGRESS
                    else "egress.cancelled",
                )
                _request_refresh(invoice)
        except InvoiceNotOpen:
            continue
        expired += 1
    return expired


# --- egress --------------------------------------------------------------------------------------


def egress_claim(*, invoice, user, bank_account_id=None, upi_id=None) -> Invoice:
    """The customer picks where the money goes; the merchant is asked to confirm it."""
    from kyc.errors import KycRequired
    from kyc.selectors import kyc_status_for

    if invoice.kind != Invoice.Kind.EGRESS:
        raise InvoiceNotOpen("This is not a withdrawal invoice.")
    if not kyc_status_for(user=user).is_verified:
        raise KycRequired("Verify your identity to receive withdrawals.")
    _require_live(invoice)
    destination = {}
    if bank_account_id:
        destination["payout_bank_account"] = BankAccount.objects.filter(
            pk=bank_account_id, user=user, removed_at=None
        ).first()
    elif upi_id:
        destination["payout_upi_id"] = UpiId.objects.filter(
            pk=upi_id, user=user, removed_at=None
        ).first()
    if not destination or not next(iter(destination.values())):
        raise DomainError("Choose one of your own verified accounts.", code="destination_required")
    _bind(invoice, user)
    with transaction.atomic():
        invoice = _transition(
            invoice,
            from_statuses={I.OPEN},
            to_status=I.CONFIRMING,
            actor=user,
            note="Claimed; asking the merchant",
            **destination,
        )
        _callback(invoice, "egress.confirm")
    return invoice


def delivery_answered(*, delivery, status_code, body):
    """Act on what a merchant answered (called with the attempt, in its transaction)."""
    if delivery.event_type == "egress.confirm" and status_code == 200:
        _egress_decide(delivery.invoice, body)
    elif (
        delivery.event_type == "invoice.refresh"
        and status_code is not None
        and 200 <= status_code < 300
    ):
        _refresh_from(delivery.invoice, body)


def _egress_decide(invoice, body):
    try:
        answer = json.loads(body)
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or not isinstance(answer.get("success"), bool):
        return  # not an answer: the delivery is retried like any other failure
    invoice = Invoice.objects.select_related("merchant").get(pk=invoice.pk)
    if answer["success"]:
        try:
            with transaction.atomic():
                invoice = _transition(
                    invoice,
                    from_statuses={I.CONFIRMING},
                    to_status=I.CONFIRMED,
                    note="Merchant confirmed",
                )
                ledger.debit_withdrawal(invoice=invoice)
        except InsufficientBalance:
            _transition(
                invoice,
                from_statuses={I.CONFIRMING},
                to_status=I.CANCELLED,
                note="Merchant balance too low",
                failure_reason="The merchant could not fund this withdrawal.",
            )
            _callback(invoice, "egress.cancelled")
        except InvoiceNotOpen:
            return
        return
    redirect = str(answer.get("redirect") or "")
    try:
        check_redirect(redirect, merchant=invoice.merchant)
    except UnsafeDestination:
        redirect = ""
    try:
        _transition(
            invoice,
            from_statuses={I.CONFIRMING},
            to_status=I.CANCELLED,
            note="Merchant declined",
            cancel_redirect_url=redirect,
            failure_reason="The merchant cancelled this withdrawal.",
        )
    except InvoiceNotOpen:
        return
    _callback(invoice, "egress.cancelled")


def egress_payout_complete(*, invoice, staff, reference) -> Invoice:
    require_colleague(staff, invoice.bound_user_id)
    reference = (reference or "").strip()
    if not reference:
        raise DomainError("Enter the payout's bank reference.", code="validation_error")
    with transaction.atomic():
        invoice = _transition(
            invoice,
            from_statuses={I.CONFIRMED},
            to_status=I.COMPLETED,
            actor=staff,
            note=f"Paid out, reference {reference}",
            payout_reference=reference[:64],
        )
        _callback(invoice, "egress.completed")
        _request_refresh(invoice)
    return invoice


def _refresh_from(old, body):
    """The refresh URL answered with a create-invoice request: make the replacement."""
    from invoices.api import InvoiceInput

    try:
        data = json.loads(body)
    except ValueError:
        return
    serializer = InvoiceInput(data=data, context={"merchant": old.merchant})
    if not serializer.is_valid():
        return
    try:
        with transaction.atomic():
            new = invoice_create(merchant=old.merchant, kind=old.kind, **serializer.validated_data)
            Invoice.objects.filter(pk=old.pk).update(replaced_by=new)
    except (DomainError, IntegrityError):
        return
