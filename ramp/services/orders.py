"""
Buy and sell orders: creation from a quote, the person's UTR / tx hash, staff operations, expiry.

Every status change goes through ``order_transition``: a conditional UPDATE that names the statuses
it may leave (so two racing changes cannot both win), an ``OrderEvent`` row, and an e-mail to the
person queued for after the commit.
"""

import re
import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from config.errors import NotFound, require_colleague
from kyc.errors import KycRequired
from kyc.selectors import kyc_status_for
from ramp import chains, live, tasks
from ramp.errors import (
    DestinationRequired,
    MethodUnavailable,
    OrderExpired,
    OrderFieldInvalid,
    OrderStateChanged,
    QuoteUsed,
    TxHashAlreadyUsed,
    UtrAlreadyUsed,
)
from ramp.models import (
    BankAccount,
    Order,
    OrderEvent,
    OrderStatus,
    PaymentMethod,
    PlatformSettings,
    Side,
    UpiId,
)
from ramp.models.orders import AWAITING_PAYMENT
from ramp.services.limits import check_limits, check_person_limits
from ramp.services.quotes import live_quote

S = OrderStatus
UTR = re.compile(r"^[0-9]{12}$")
# How a merchant's pay-in invoice can be paid (its hosted page offers these, in this order).
PAY_IN_METHODS = (PaymentMethod.INR_UPI, PaymentMethod.INR_IMPS, PaymentMethod.CARD)
# Changes the person hears about by e-mail.
NOTIFY = {
    S.ORDER_RECEIVED,
    S.FIAT_RECEIVED,
    S.CRYPTO_RECEIVED,
    S.TRANSFERRED,
    S.COMPLETED,
    S.EXPIRED,
    S.FAILED,
    S.REFUNDED,
    S.CANCELLED,
}


class NotForThisOrder(OrderStateChanged):
    code = "not_for_this_order"
    default_message = "This step does not apply to this kind of order."


def _require_side(order, *sides):
    if order.side not in sides:
        raise NotForThisOrder()


def order_transition(
    order, *, from_statuses, to_status, actor=None, note="", extra_filter=None, **fields
):
    """Move ``order`` to ``to_status`` if it is still in one of ``from_statuses``; else refuse."""
    with transaction.atomic():
        current = (
            Order.objects.select_for_update()
            .filter(pk=order.pk)
            .values_list("status", flat=True)
            .first()
        )
        if current not in from_statuses:
            raise OrderStateChanged()
        changed = Order.objects.filter(pk=order.pk, status=current, **(extra_filter or {})).update(
            status=to_status, updated_at=timezone.now(), **fields
        )
        if not changed:
            raise OrderStateChanged()
        live.forget(order.pk)
        transaction.on_commit(lambda: live.remember(Order.objects.get(pk=order.pk)))
        OrderEvent.objects.create(
            order=order, from_status=current, to_status=to_status, actor=actor, note=note
        )
        if to_status == S.FIAT_RECEIVED and order.side == Side.PAY:
            # The order pays a merchant's invoice: settle it in this same transaction.
            from invoices.services import invoice_settle_payment

            invoice_settle_payment(order=order)
        _tell_partner(order, to_status)
        if to_status in NOTIFY:
            transaction.on_commit(
                lambda: tasks.send_order_status_email.enqueue(
                    order_id=str(order.pk), status=to_status
                ),
                robust=True,  # a queue outage costs the e-mail, never the committed transition
            )
    order.refresh_from_db()
    return order


def _tell_partner(order, status):
    """Partners hear of their people's orders (order.<status>) through the signed outbox."""
    partner = order.user.partner
    if partner is None or not partner.partner_callback_url:
        return
    from invoices import webhooks
    from ramp.api import order_data

    order.refresh_from_db()
    webhooks.enqueue(
        merchant=partner,
        event_type=f"order.{status}",
        url=partner.partner_callback_url,
        data=order_data(order),
    )


def _require_verified(user):
    if not kyc_status_for(user=user).is_verified:
        raise KycRequired()


def _own_destination(model, user, destination_id, *, field):
    linked = model.objects.filter(user=user, removed_at=None)
    if destination_id in (None, ""):
        return linked.filter(is_default=True).first()
    try:
        destination = linked.filter(pk=uuid.UUID(str(destination_id))).first()
    except ValueError:
        destination = None
    if destination is None:
        raise OrderFieldInvalid("Choose one of your own linked accounts.", field=field)
    return destination


def _destination_for_buy(user, method, *, upi_id, bank_account_id):
    platform = PlatformSettings.load()
    if (method == PaymentMethod.INR_UPI and not platform.collects_upi) or (
        method == PaymentMethod.INR_IMPS and not platform.collects_imps
    ):
        raise MethodUnavailable("This payment method is not set up yet; please try another one.")
    if method == PaymentMethod.INR_UPI:
        upi = _own_destination(UpiId, user, upi_id, field="upi_id")
        if upi is None:
            raise DestinationRequired("Link a UPI ID in your name before paying by UPI.")
        return {"upi_id": upi}
    if method == PaymentMethod.INR_IMPS:
        account = _own_destination(BankAccount, user, bank_account_id, field="bank_account_id")
        if account is None:
            raise DestinationRequired("Link a bank account in your name before paying by IMPS.")
        return {"bank_account": account}
    return {}


def _validity(platform):
    return timezone.now() + timedelta(minutes=platform.order_validity_minutes)


def _lock_person(user):
    """Serialises one person's order creation, so two tabs cannot both use the last of a limit."""
    User.objects.select_for_update().filter(pk=user.pk).first()


def _create_from_quote(*, user, quote, initial_status, **fields):
    """Re-check limits with the person's orders locked, then spend the quote on one order."""
    with transaction.atomic():
        _lock_person(user)
        check_limits(
            user=user,
            asset=quote.asset,
            side=quote.side,
            payment_method=quote.payment_method,
            fiat_amount=quote.fiat_amount,
        )
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    user=user,
                    side=quote.side,
                    quote=quote,
                    asset=quote.asset,
                    payment_method=quote.payment_method,
                    status=initial_status,
                    fiat_amount=quote.fiat_amount,
                    crypto_amount=quote.crypto_amount,
                    rate=quote.rate,
                    platform_fee=quote.platform_fee,
                    network_fee=quote.network_fee,
                    tds=quote.tds,
                    expires_at=_validity(PlatformSettings.load()),
                    **fields,
                )
        except IntegrityError as error:
            raise QuoteUsed() from error
        OrderEvent.objects.create(order=order, from_status="", to_status=initial_status, actor=user)
    return order


def order_create_onramp(
    *, user, quote_id, wallet_address, upi_id=None, bank_account_id=None
) -> Order:
    _require_verified(user)
    quote = live_quote(user=user, quote_id=quote_id, side=Side.BUY)
    if hasattr(quote, "order"):
        raise QuoteUsed()
    wallet_address = (wallet_address or "").strip()
    if not chains.is_valid_address(quote.asset.chain, wallet_address):
        hint = chains.ADDRESS_HINTS[quote.asset.chain]
        raise OrderFieldInvalid(
            f"This is not a {quote.asset.network} address: {hint}.", field="wallet_address"
        )
    destination = _destination_for_buy(
        user, quote.payment_method, upi_id=upi_id, bank_account_id=bank_account_id
    )
    initial = (
        S.CHECKOUT_PENDING
        if quote.payment_method in (PaymentMethod.CARD, PaymentMethod.QBPAYFTOPUP)
        else S.FIAT_PENDING
    )
    return _create_from_quote(
        user=user, quote=quote, initial_status=initial, wallet_address=wallet_address, **destination
    )


def order_create_invoice_payment(
    *, user, amount, payment_method, expires_at, upi_id=None, bank_account_id=None
):
    """An order that pays a merchant's ingress invoice: rupees only, over the buy rails."""
    if payment_method not in PAY_IN_METHODS:
        raise MethodUnavailable("Pay by UPI, IMPS bank transfer or card.")
    _require_verified(user)
    destination = _destination_for_buy(
        user, payment_method, upi_id=upi_id, bank_account_id=bank_account_id
    )
    initial = (
        S.CHECKOUT_PENDING
        if payment_method in (PaymentMethod.CARD, PaymentMethod.QBPAYFTOPUP)
        else S.FIAT_PENDING
    )
    with transaction.atomic():
        _lock_person(user)
        check_person_limits(user=user, fiat_amount=amount)
        order = Order.objects.create(
            user=user,
            side=Side.PAY,
            payment_method=payment_method,
            status=initial,
            fiat_amount=amount,
            crypto_amount=0,
            rate=0,
            platform_fee=0,
            network_fee=0,
            expires_at=min(expires_at, _validity(PlatformSettings.load())),
            **destination,
        )
        OrderEvent.objects.create(order=order, from_status="", to_status=initial, actor=user)
    return order


def order_create_offramp(*, user, quote_id, bank_account_id=None) -> Order:
    _require_verified(user)
    quote = live_quote(user=user, quote_id=quote_id, side=Side.SELL)
    if hasattr(quote, "order"):
        raise QuoteUsed()
    account = _own_destination(BankAccount, user, bank_account_id, field="bank_account_id")
    if account is None:
        raise DestinationRequired("Link a bank account in your name to receive the rupees.")
    return _create_from_quote(
        user=user,
        quote=quote,
        initial_status=S.CRYPTO_INIT,
        bank_account=account,
        deposit_address=quote.asset.deposit_address,
    )


def order_submit_utr(*, order, utr, actor=None) -> Order:
    """The person paid and gives the bank's 12-digit UTR: fiatPending → orderReceived."""
    _require_side(order, Side.BUY, Side.PAY)
    utr = re.sub(r"\s", "", utr or "")
    if not UTR.match(utr):
        raise OrderFieldInvalid(
            "A UTR is exactly 12 digits; find it in your bank app's payment details.", field="utr"
        )
    return _submit_proof(
        order, actor=actor, from_status=S.FIAT_PENDING, field="utr", value=utr, taken=UtrAlreadyUsed
    )


def order_submit_tx_hash(*, order, tx_hash, actor=None) -> Order:
    """The person sent crypto and gives its transaction hash: cryptoInit → orderReceived."""
    _require_side(order, Side.SELL)
    chain = order.asset.chain
    normalized = chains.normalize_tx_hash(chain, tx_hash)
    if normalized is None:
        raise OrderFieldInvalid(
            f"That is not a transaction hash: {chains.TX_HASH_HINTS[chain]}.", field="tx_hash"
        )
    return _submit_proof(
        order,
        actor=actor,
        from_status=S.CRYPTO_INIT,
        field="tx_hash",
        value=normalized,
        taken=TxHashAlreadyUsed,
    )


def _submit_proof(order, *, actor, from_status, field, value, taken):
    now = timezone.now()
    if order.status == from_status and order.expires_at <= now:
        order_expire(order=order)
        raise OrderExpired()
    try:
        return order_transition(
            order,
            from_statuses={from_status},
            to_status=S.ORDER_RECEIVED,
            actor=actor or order.user,
            note=f"{field.upper() if field == 'utr' else 'Transaction hash'} {value}",
            extra_filter={"expires_at__gt": now},
            **{field: value},
        )
    except IntegrityError as error:
        raise taken() from error
    except OrderStateChanged:
        order.refresh_from_db()
        if order.status == S.EXPIRED or order.expires_at <= now:
            raise OrderExpired() from None
        raise


# --- staff operations ---------------------------------------------------------------------
# Each one that moves or records money starts with require_colleague: never on staff's own.


def order_confirm_fiat(*, order, staff, note="") -> Order:
    require_colleague(staff, order.user_id)
    _require_side(order, Side.BUY, Side.PAY)
    return order_transition(
        order,
        from_statuses={S.ORDER_RECEIVED},
        to_status=S.FIAT_RECEIVED,
        actor=staff,
        note=note or f"Funds with UTR {order.utr} confirmed",
    )


def order_reject_utr(*, order, staff, reason) -> Order:
    """A wrong UTR: back to fiatPending (the UTR is freed) while the order is valid, else failed."""
    require_colleague(staff, order.user_id)
    _require_side(order, Side.BUY, Side.PAY)
    reason = (reason or "").strip()
    if not reason:
        raise OrderFieldInvalid("Say why the UTR is rejected; the person sees it.", field="reason")
    note = f"UTR {order.utr} rejected: {reason}"
    if order.expires_at > timezone.now():
        return order_transition(
            order,
            from_statuses={S.ORDER_RECEIVED},
            to_status=S.FIAT_PENDING,
            actor=staff,
            note=note,
            utr=None,
            failure_reason=reason,
        )
    return order_transition(
        order,
        from_statuses={S.ORDER_RECEIVED},
        to_status=S.FAILED,
        actor=staff,
        note=note,
        utr=None,
        failure_reason=reason,
    )


def order_record_crypto_sent(*, order, staff, tx_hash) -> Order:
    require_colleague(staff, order.user_id)
    _require_side(order, Side.BUY)
    normalized = chains.normalize_tx_hash(order.asset.chain, tx_hash)
    if normalized is None:
        raise OrderFieldInvalid(
            f"Not a transaction hash: {chains.TX_HASH_HINTS[order.asset.chain]}.", field="tx_hash"
        )
    try:
        return order_transition(
            order,
            from_statuses={S.FIAT_RECEIVED},
            to_status=S.TRANSFERRED,
            actor=staff,
            note=f"Sent in {normalized}",
            payout_tx_hash=normalized,
        )
    except IntegrityError as error:
        raise TxHashAlreadyUsed(
            "This transaction is already recorded for another order."
        ) from error


def order_mark_completed(*, order, staff) -> Order:
    require_colleague(staff, order.user_id)
    _require_side(order, Side.BUY)
    return order_transition(
        order, from_statuses={S.TRANSFERRED}, to_status=S.COMPLETED, actor=staff
    )


def order_confirm_crypto(*, order, staff, note="") -> Order:
    require_colleague(staff, order.user_id)
    _require_side(order, Side.SELL)
    return order_transition(
        order,
        from_statuses={S.ORDER_RECEIVED},
        to_status=S.CRYPTO_RECEIVED,
        actor=staff,
        note=note or f"Deposit {order.tx_hash} confirmed",
    )


def order_record_payout(*, order, staff, reference) -> Order:
    require_colleague(staff, order.user_id)
    _require_side(order, Side.SELL)
    reference = (reference or "").strip()
    if not reference:
        raise OrderFieldInvalid("Enter the payout's bank reference.", field="reference")
    return order_transition(
        order,
        from_statuses={S.CRYPTO_RECEIVED},
        to_status=S.COMPLETED,
        actor=staff,
        note=f"Paid out, reference {reference}",
        payout_reference=reference[:64],
    )


def order_refund(*, order, staff, reason) -> Order:
    require_colleague(staff, order.user_id)
    reason = (reason or "").strip()
    if not reason:
        raise OrderFieldInvalid("Say why the order is refunded.", field="reason")
    return order_transition(
        order,
        from_statuses={S.ORDER_RECEIVED, S.FIAT_RECEIVED, S.CRYPTO_RECEIVED},
        to_status=S.REFUNDED,
        actor=staff,
        note=reason,
        failure_reason=reason,
    )


def _ask_the_card_provider_first(order):
    """A card order about to be closed by hand: a payment that went through unseen (a lost
    callback) moves it instead, and while the provider cannot say, nothing is closed."""
    if order.status == S.CHECKOUT_PENDING:
        from ramp.services.checkout import checkout_may_close  # checkout builds on this module

        if not checkout_may_close(order=order):  # paid (or declined) after all
            raise OrderStateChanged()


def order_cancel(*, order, actor, reason="") -> Order:
    """Before any money moved: by the person themselves, or by staff."""
    _ask_the_card_provider_first(order)
    return order_transition(
        order,
        from_statuses={S.FIAT_PENDING, S.CRYPTO_INIT, S.CHECKOUT_PENDING},
        to_status=S.CANCELLED,
        actor=actor,
        note=reason or "Cancelled",
    )


def order_fail(*, order, staff, reason) -> Order:
    require_colleague(staff, order.user_id)
    reason = (reason or "").strip()
    if not reason:
        raise OrderFieldInvalid("Say why the order failed; the person sees it.", field="reason")
    _ask_the_card_provider_first(order)
    return order_transition(
        order,
        from_statuses={S.FIAT_PENDING, S.CRYPTO_INIT, S.CHECKOUT_PENDING, S.ORDER_RECEIVED},
        to_status=S.FAILED,
        actor=staff,
        note=reason,
        failure_reason=reason,
    )


# --- expiry ---------------------------------------------------------------------------------


def order_expire(*, order, now=None) -> bool:
    """Expire ``order`` if it is still waiting for payment and past its time. True if it did."""
    now = now or timezone.now()
    if order.status not in AWAITING_PAYMENT or order.expires_at > now:
        return False
    if order.status == S.CHECKOUT_PENDING:
        from ramp.services.checkout import ProviderUnavailable, checkout_may_close

        try:
            if not checkout_may_close(order=order):
                return False  # paid (or declined) after all
        except ProviderUnavailable:
            return False  # the provider could not say: the next pass asks again
    try:
        order_transition(
            order,
            from_statuses=AWAITING_PAYMENT,
            to_status=S.EXPIRED,
            note="No payment within the time allowed",
            extra_filter={"expires_at__lte": now},
        )
    except OrderStateChanged:
        return False
    return True


def orders_expire_due(*, now=None, batch=500) -> int:
    """Expire every order past its time: however long the sweeper was away, none is missed."""
    now = now or timezone.now()
    due = Order.objects.filter(status__in=AWAITING_PAYMENT, expires_at__lte=now)
    expired = 0
    for order in due.order_by("expires_at")[:batch]:
        expired += order_expire(order=order, now=now)
    return expired


def order_for(*, user, order_id):
    """The person's own order, or NotFound (another person's order is as good as missing)."""
    try:
        order_id = uuid.UUID(str(order_id))
    except ValueError:
        raise NotFound("This order does not exist.") from None
    try:  # get(), not first(): a primary-key lookup needs no ORDER BY compiled and run
        return Order.objects.select_related("asset").get(pk=order_id, user=user)
    except Order.DoesNotExist:
        raise NotFound("This order does not exist.") from None
