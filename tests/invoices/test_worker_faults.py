"""
Webhook workers killed mid-work: mid-delivery nothing is lost and another worker takes the
delivery over; mid-expiry-sweep every invoice expires, and is told, exactly once.
"""

import signal
import time

import pytest

from invoices import webhooks
from invoices.models import WebhookDelivery
from invoices.services import invoice_create, invoice_data
from tests.concurrency import postgres_only
from tests.processes import command, row_locked, someone_waits_for_a_lock, wait_for
from tests.receiver import Receiver

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def worker():
    # A long timeout (the first attempt hangs until killed), a short lease (retaken soon).
    return command(
        "webhook_worker",
        "--interval",
        "0.2",
        WEBHOOK_LEASE_SECONDS="2",
        WEBHOOK_TIMEOUT_SECONDS="60",
    )


def test_killing_a_worker_mid_delivery_loses_nothing(merchant, settings):
    from datetime import timedelta

    from django.utils import timezone

    # Only the worker processes send here (no in-process "send right after commit").
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    receiver = Receiver()
    answers = iter([("hang", None)])

    def answer(call):
        if next(answers, None):
            time.sleep(30)  # the first attempt hangs: its worker will be killed meanwhile
        return 200, b"ok"

    receiver.answer = answer
    invoice = invoice_create(
        merchant=merchant,
        kind="ingress",
        amount=100,
        currency="INR",
        reference="k",
        callback_url=f"{receiver.url}/hook",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    delivery = webhooks.enqueue(
        merchant=merchant,
        invoice=invoice,
        event_type="ingress.paid",
        url=f"{receiver.url}/hook",
        data=invoice_data(invoice),
    )

    first = worker()
    try:
        assert wait_for(lambda: len(receiver.calls) == 1)  # the first worker is mid-delivery
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        delivery.refresh_from_db()
        assert (
            delivery.status == "pending" and delivery.lease_until is not None
        )  # still ours to send

        second = worker()
        try:
            assert wait_for(
                lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == "delivered"
            )
        finally:
            second.terminate()
            second.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
        receiver.close()

    delivery.refresh_from_db()
    assert len(receiver.calls) == 2  # at least once: the killed attempt and the one that landed
    assert {call["headers"]["webhook-id"] for call in receiver.calls} == {
        delivery.message_id
    }  # same id: dedupable
    assert delivery.attempts.count() == 1  # the killed worker never recorded its attempt


def test_a_worker_killed_mid_expiry_sweep_expires_and_tells_each_invoice_once(merchant, settings):
    from datetime import timedelta

    from django.utils import timezone

    from invoices.models import Invoice, InvoiceEvent

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    receiver = Receiver()
    now = timezone.now()
    invoices = [
        invoice_create(
            merchant=merchant,
            kind="ingress",
            amount=100,
            currency="INR",
            reference=f"late-{n}",
            callback_url=f"{receiver.url}/hook",
            expires_at=now + timedelta(hours=1),
        )
        for n in range(6)
    ]
    for age, invoice in zip(range(6, 0, -1), invoices, strict=True):
        Invoice.objects.filter(pk=invoice.pk).update(expires_at=now - timedelta(minutes=age))
    expired = InvoiceEvent.objects.filter(to_status=Invoice.Status.EXPIRED)

    try:
        with row_locked("invoices_invoice", invoices[3].pk):
            first = command("webhook_worker", "--interval", "0.2")
            try:
                assert wait_for(lambda: expired.count() == 3 and someone_waits_for_a_lock())
                first.send_signal(signal.SIGKILL)
                first.wait(timeout=10)
            finally:
                if first.poll() is None:
                    first.kill()
        assert expired.count() == 3

        second = command("webhook_worker", "--interval", "0.2")
        try:
            assert wait_for(lambda: len({c["headers"]["webhook-id"] for c in receiver.calls}) == 6)
        finally:
            second.terminate()
            second.wait(timeout=10)
    finally:
        receiver.close()

    for invoice in invoices:
        assert invoice.events.filter(to_status=Invoice.Status.EXPIRED).count() == 1
        deliveries = WebhookDelivery.objects.filter(invoice=invoice, event_type="ingress.expired")
        assert deliveries.count() == 1 and deliveries.get().status == "delivered"
