"""
Card and wallet checkouts (rails ``CARD`` and ``QBPAYFTOPUP``).

The order waits in ``checkoutPending`` while the customer is at the provider. Its outcome is
never taken from the browser's return or from a callback's body: both only prompt
``checkout_confirm``, which asks the provider for the payment's status and checks the amount.
"""

import hashlib
import hmac
import json

from django.db import IntegrityError, transaction
from django.urls import reverse

from config.errors import DomainError, FieldInvalid
from kyc.errors import KycRequired
from kyc.selectors import kyc_status_for
from ramp import providers
from ramp.cards import clean_card_number, clean_expiry
from ramp.errors import OrderExpired, OrderStateChanged
from ramp.models import (
    CardCheckout,
    Order,
    OrderEvent,
    OrderStatus,
    PaymentMethod,
    ProviderEvent,
)
from ramp.models.orders import ENDED_UNPAID
from ramp.providers.base import CheckoutRequest, ProviderError
from ramp.services.limits import rupees
from ramp.services.orders import order_expire, order_transition

S = OrderStatus
CHECKOUT_METHODS = {PaymentMethod.CARD: "vault", PaymentMethod.QBPAYFTOPUP: "paysecure"}


class CheckoutFailed(DomainError):
    code = "checkout_failed"
    status_code = 502


class CallbackRejected(DomainError):
    code = "invalid_signature"
    status_code = 401


class ProviderUnavailable(DomainError):
    code = "provider_unavailable"
    status_code = 503


def _absolute(site_url, name, *args):
    return site_url + reverse(name, args=args)


def checkout_start(*, order, card=None, billing=None, site_url) -> CardCheckout:
    """Open the provider's hosted checkout for ``order``; return where to send the customer."""
    if order.payment_method not in CHECKOUT_METHODS:
        raise CheckoutFailed("This order is not paid by card or wallet.", code="not_a_checkout")
    if order_expire(order=order) or order.status == S.EXPIRED:
        raise OrderExpired("This order has expired. Start a new one.")
    if order.status != S.CHECKOUT_PENDING:
        raise OrderStateChanged()
    level = kyc_status_for(user=order.user).submission.level
    if not level.allows_card_rails:
        raise KycRequired("Your verification level does not allow card payments.")
    existing = CardCheckout.objects.filter(order=order).first()
    if existing and existing.state == CardCheckout.State.STARTED:
        return existing
    if order.payment_method == PaymentMethod.CARD:
        _check_card(card, billing)

    provider = providers.get_checkout_provider(order.payment_method)
    request = CheckoutRequest(
        order_reference=order.reference,
        amount=order.fiat_amount,
        currency=order.fiat_currency,
        customer_id=str(order.user_id),
        customer_email=order.user.email,
        success_url=_absolute(site_url, "ramp:checkout_return", order.pk),
        failure_url=_absolute(site_url, "ramp:checkout_return", order.pk),
        callback_url=_absolute(
            site_url, "ramp:provider_callback", CHECKOUT_METHODS[order.payment_method]
        ),
        card=card,
        billing=billing,
    )
    try:
        session = provider.start(request)
    except ProviderError as error:
        hint = "" if error.permanent else " Nothing was charged; please try again."
        raise CheckoutFailed(f"{error.message}{hint}") from error
    try:
        return CardCheckout.objects.create(
            order=order,
            provider=provider.name,
            reference=session.reference,
            redirect_url=session.redirect_url,
            card_brand=session.card_brand,
            card_last4=session.card_last4,
            provider_card_id=session.provider_card_id,
        )
    except IntegrityError:
        return CardCheckout.objects.get(order=order)


def _check_card(card, billing):
    """The card rules, whoever calls (the card form checks the same, to answer field by field)."""
    if card is None or billing is None:
        raise FieldInvalid("Card details and a billing address are needed.", field="number")
    if clean_card_number(card.number) is None:
        raise FieldInvalid("This card number is not valid; check the digits.", field="number")
    if clean_expiry(f"{card.expiry_month}/{card.expiry_year}") is None:
        raise FieldInvalid("Enter a future expiry date as MM/YY.", field="expiry")
    if not (card.cvv.isdigit() and 3 <= len(card.cvv) <= 4):
        raise FieldInvalid("The CVV is the 3 or 4 digits on the back of the card.", field="cvv")


def checkout_confirm(*, order) -> Order:
    """
    Ask the provider how the payment went and move the order only on its answer. When the
    provider cannot answer, the order waits: the next return, callback, page view or expiry
    check asks again.
    """
    try:
        return _confirm(order)
    except ProviderError:
        return order


def checkout_may_close(*, order) -> bool:
    """
    Before a checkout's order expires or is cancelled, ask the provider: a payment whose
    callback was lost must not be left behind a closed order. True when the order may close
    (never paid, still pending, or the provider refuses to say for good); False when the answer
    settled it (paid or declined). Raises ProviderUnavailable while the provider cannot say.
    """
    if not CardCheckout.objects.filter(order=order, state=CardCheckout.State.STARTED).exists():
        return True
    try:
        return _confirm(order).status == S.CHECKOUT_PENDING
    except ProviderError as error:
        if error.permanent:
            return True
        raise ProviderUnavailable(
            "We could not check your card payment with the provider just now, so nothing was "
            "changed. Please try again in a minute."
        ) from error


def _confirm(order):
    """
    checkout_confirm, but a provider that cannot answer raises ProviderError. The provider is
    asked while the order waits on it, and once more after the order closed unpaid with the
    checkout still open (money may have been taken since).
    """
    checkout = CardCheckout.objects.filter(order=order).first()
    waiting = order.status == S.CHECKOUT_PENDING
    closed_unpaid = order.status in ENDED_UNPAID
    if checkout is None or not (
        waiting or (closed_unpaid and checkout.state == CardCheckout.State.STARTED)
    ):
        return order
    provider = providers.get_checkout_provider(order.payment_method)
    status = provider.status(checkout.reference)
    label = provider.name.capitalize()
    if not waiting:
        if status.state == "succeeded":
            _record_late_payment(order, checkout, status, label)
        return order
    try:
        if status.state == "succeeded":
            if status.amount != order.fiat_amount or status.currency != order.fiat_currency:
                reason = (
                    f"{label} reports {status.amount} {status.currency} paid, not "
                    f"{order.fiat_amount} {order.fiat_currency}; our team will refund it."
                )
                return _finish(order, checkout, S.FAILED, CardCheckout.State.FAILED, reason)
            note = f"{label} confirmed the payment ({checkout.reference})"
            return _finish(order, checkout, S.FIAT_RECEIVED, CardCheckout.State.SUCCEEDED, note)
        if status.state == "failed":
            reason = status.reason or "The payment was declined."
            return _finish(order, checkout, S.FAILED, CardCheckout.State.FAILED, reason)
    except OrderStateChanged:
        order.refresh_from_db()
    return order


def _record_late_payment(order, checkout, status, label):
    """
    The provider took the money after the order had closed (it was still pending there when the
    order expired). The order is not revived at its old price: the payment is marked for a
    refund, once (a conditional update), in the order's timeline (the person sees it) and in the
    admin's order filter.
    """
    with transaction.atomic():
        marked = CardCheckout.objects.filter(
            pk=checkout.pk, state=CardCheckout.State.STARTED
        ).update(state=CardCheckout.State.PAID_LATE)
        if marked:
            OrderEvent.objects.create(
                order=order,
                from_status=order.status,
                to_status=order.status,
                note=(
                    f"{label} took {rupees(status.amount)} after the order closed "
                    f"({checkout.reference}); our team will refund it to your card."
                ),
            )


def _finish(order, checkout, to_status, checkout_state, note):
    with transaction.atomic():
        fields = {"failure_reason": note} if to_status == S.FAILED else {}
        order = order_transition(
            order, from_statuses={S.CHECKOUT_PENDING}, to_status=to_status, note=note, **fields
        )
        CardCheckout.objects.filter(pk=checkout.pk, state=CardCheckout.State.STARTED).update(
            state=checkout_state
        )
    return order


def sign(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def provider_callback_receive(*, provider, body, signature):
    """Verify, keep once, then confirm with the provider. Returns 'processed' or 'duplicate'."""
    secret = providers.webhook_secret(provider)
    if not secret or not hmac.compare_digest(sign(secret, body), signature or ""):
        raise CallbackRejected("The callback signature is not valid.")
    try:
        payload = json.loads(body)
        event_id, reference = str(payload["event_id"]), str(payload["reference"])
    except (ValueError, KeyError, TypeError) as error:
        raise CallbackRejected("The callback is not understood.", code="invalid_payload") from error
    try:
        with transaction.atomic():
            event = ProviderEvent.objects.create(
                provider=provider, event_id=event_id, reference=reference, payload=payload
            )
    except IntegrityError:
        return "duplicate"
    checkout = (
        CardCheckout.objects.select_related("order")
        .filter(provider=provider, reference=reference)
        .first()
    )
    if checkout is not None:
        try:
            _confirm(checkout.order)
        except ProviderError as error:
            if not error.permanent:
                # Not processed: forget the event so the provider's retry of it is not taken
                # for a duplicate, and ask the provider to send it again.
                event.delete()
                raise ProviderUnavailable(
                    "The payment could not be checked with the provider yet; send this again."
                ) from error
    return "processed"
