"""
The sweeper killed in the middle of a pass: every order it expired stays expired once, the one
it was expiring is rolled back whole, and the next sweeper finishes the rest — each overdue
order ends with exactly one expiry in its timeline.
"""

import signal
from datetime import timedelta

import pytest
from django.utils import timezone

from ramp.models import Order, OrderEvent, OrderStatus
from tests.concurrency import postgres_only
from tests.processes import command, row_locked, someone_waits_for_a_lock, wait_for
from tests.ramp.test_orders import buy_order

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def expiries():
    return OrderEvent.objects.filter(to_status=OrderStatus.EXPIRED)


def test_a_sweeper_killed_mid_pass_leaves_every_order_expired_exactly_once(buyer, usdt):
    overdue = [buy_order(buyer, usdt, fiat="1000") for _ in range(6)]
    now = timezone.now()
    for age, order in zip(range(6, 0, -1), overdue, strict=True):  # swept oldest first
        Order.objects.filter(pk=order.pk).update(expires_at=now - timedelta(minutes=age))
    stuck = overdue[3]

    with row_locked("ramp_order", stuck.pk):  # the 4th expiry waits here, mid-pass
        first = command("ramp_sweeper", "--interval", "0.2")
        try:
            assert wait_for(lambda: expiries().count() == 3 and someone_waits_for_a_lock())
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            if first.poll() is None:
                first.kill()
    assert expiries().count() == 3  # the killed one's half-done expiry never committed

    second = command("ramp_sweeper", "--once")
    assert second.wait(timeout=60) == 0

    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.EXPIRED}
    for order in overdue:
        assert order.events.filter(to_status=OrderStatus.EXPIRED).count() == 1
