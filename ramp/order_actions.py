"""The staff actions on an order: who may take each, from which statuses, with which inputs."""

from dataclasses import dataclass

from ramp.models import OrderStatus, Side
from ramp.services import orders

S = OrderStatus
FIAT_IN = "fiat-in"  # buys and invoice payments: rupees come in with a UTR


@dataclass(frozen=True)
class OrderAction:
    label: str
    permission: str
    statuses: frozenset
    side: str | None
    inputs: tuple
    service: object
    danger: bool = False

    def applies_to(self, order):
        sides = {Side.BUY, Side.PAY} if self.side == FIAT_IN else {self.side}
        return order.status in self.statuses and (self.side is None or order.side in sides)

    def run(self, *, order, staff, **inputs):
        return self.service(order=order, staff=staff, **inputs)


def _cancel(*, order, staff, reason):
    return orders.order_cancel(order=order, actor=staff, reason=reason)


ACTIONS = {
    "confirm-fiat": OrderAction(
        "Confirm fiat received",
        "ramp.confirm_fiat",
        frozenset({S.ORDER_RECEIVED}),
        FIAT_IN,
        (),
        orders.order_confirm_fiat,
    ),
    "reject-utr": OrderAction(
        "Reject UTR",
        "ramp.confirm_fiat",
        frozenset({S.ORDER_RECEIVED}),
        FIAT_IN,
        ("reason",),
        orders.order_reject_utr,
        True,
    ),
    "crypto-sent": OrderAction(
        "Record crypto sent",
        "ramp.send_crypto",
        frozenset({S.FIAT_RECEIVED}),
        Side.BUY,
        ("tx_hash",),
        orders.order_record_crypto_sent,
    ),
    "complete": OrderAction(
        "Mark completed",
        "ramp.send_crypto",
        frozenset({S.TRANSFERRED}),
        Side.BUY,
        (),
        orders.order_mark_completed,
    ),
    "confirm-crypto": OrderAction(
        "Confirm crypto received",
        "ramp.confirm_crypto",
        frozenset({S.ORDER_RECEIVED}),
        Side.SELL,
        (),
        orders.order_confirm_crypto,
    ),
    "payout": OrderAction(
        "Record fiat payout",
        "ramp.pay_out",
        frozenset({S.CRYPTO_RECEIVED}),
        Side.SELL,
        ("reference",),
        orders.order_record_payout,
    ),
    "refund": OrderAction(
        "Refund",
        "ramp.refund_order",
        frozenset({S.ORDER_RECEIVED, S.FIAT_RECEIVED, S.CRYPTO_RECEIVED}),
        None,
        ("reason",),
        orders.order_refund,
        True,
    ),
    "cancel": OrderAction(
        "Cancel",
        "ramp.cancel_order",
        frozenset({S.FIAT_PENDING, S.CRYPTO_INIT, S.CHECKOUT_PENDING}),
        None,
        ("reason",),
        _cancel,
        True,
    ),
    "fail": OrderAction(
        "Mark failed",
        "ramp.cancel_order",
        frozenset({S.FIAT_PENDING, S.CRYPTO_INIT, S.CHECKOUT_PENDING, S.ORDER_RECEIVED}),
        None,
        ("reason",),
        orders.order_fail,
        True,
    ),
}


def available(order, user):
    return [
        (slug, action)
        for slug, action in ACTIONS.items()
        if action.applies_to(order) and user.has_perm(action.permission)
    ]
