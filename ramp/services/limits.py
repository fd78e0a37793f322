"""Per-method minimums and maximums, and the person's KYC-level limits per order, day and month."""

from datetime import datetime, time

from django.db.models import Q, Sum
from django.utils import timezone

from kyc.errors import KycRequired
from kyc.selectors import kyc_status_for
from ramp.errors import LimitExceeded, MethodUnavailable
from ramp.models import AssetLimit, Order, PaymentMethod
from ramp.models.orders import ENDED_UNPAID


def rupees(amount):
    """₹1,23,456.78 — Indian digit grouping."""
    whole, _, fraction = f"{amount:.2f}".partition(".")
    head, tail = whole[:-3], whole[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return "₹" + ",".join([*groups, tail]) + "." + fraction


def method_limit(*, asset, side, payment_method):
    limit = AssetLimit.objects.filter(
        asset=asset, side=side, payment_method=payment_method, enabled=True
    ).first()
    if limit is None:
        raise MethodUnavailable(
            f"{PaymentMethod(payment_method).label} is not available to {side} {asset}."
        )
    return limit


def spent(*, user, now=None):
    """Rupees in the person's counted orders today and this month (Indian time)."""
    now = timezone.localtime(now or timezone.now())
    day_start = timezone.make_aware(datetime.combine(now.date(), time.min))
    month_start = day_start.replace(day=1)
    counted = Order.objects.filter(user=user, created_at__gte=month_start).exclude(
        status__in=ENDED_UNPAID
    )
    totals = counted.aggregate(
        day=Sum("fiat_amount", filter=Q(created_at__gte=day_start)), month=Sum("fiat_amount")
    )
    return totals["day"] or 0, totals["month"] or 0


def check_method_range(*, asset, side, payment_method, fiat_amount):
    limit = method_limit(asset=asset, side=side, payment_method=payment_method)
    method = PaymentMethod(payment_method).label
    if fiat_amount < limit.min_fiat:
        raise LimitExceeded(
            f"The smallest {method} {side} of {asset} is {rupees(limit.min_fiat)}.",
            details={"limit": "min_amount", "min_fiat": str(limit.min_fiat)},
        )
    if fiat_amount > limit.max_fiat:
        raise LimitExceeded(
            f"The largest {method} {side} of {asset} is {rupees(limit.max_fiat)}.",
            details={"limit": "max_amount", "max_fiat": str(limit.max_fiat)},
        )


def check_limits(*, user, asset, side, payment_method, fiat_amount):
    """Raise with a message naming the limit and what is left; return the KYC level."""
    check_method_range(
        asset=asset, side=side, payment_method=payment_method, fiat_amount=fiat_amount
    )
    return check_person_limits(user=user, fiat_amount=fiat_amount)


def check_person_limits(*, user, fiat_amount):
    """
    The person's KYC-level limits per order, day and month, for every order that moves rupees
    (buys, sells and invoice payments alike). Call with the person's row locked, so two
    orders at once cannot both use the last of a limit.
    """
    state = kyc_status_for(user=user)
    if not state.is_verified:
        raise KycRequired()
    level = state.submission.level
    if fiat_amount > level.per_order_limit_inr:
        raise LimitExceeded(
            f"Your limit per order is {rupees(level.per_order_limit_inr)}.",
            details={"limit": "per_order", "remaining": str(level.per_order_limit_inr)},
        )
    day, month = spent(user=user)
    for name, used, cap in (
        ("daily", day, level.daily_limit_inr),
        ("monthly", month, level.monthly_limit_inr),
    ):
        if used + fiat_amount > cap:
            left = max(cap - used, 0)
            period = "today" if name == "daily" else "this month"
            raise LimitExceeded(
                f"This is above your {name} limit of {rupees(cap)}: "
                f"you can still trade {rupees(left)} {period}.",
                details={"limit": name, "remaining": str(left)},
            )
    return level
