import json
from datetime import timedelta

import pytest
import requests
import responses
import time_machine
from django.utils import timezone

from accounts.merchants import webhook_secret_rotate
from invoices import webhooks
from invoices.models import DisabledEndpoint, WebhookDelivery
from invoices.services import invoice_create, invoice_data
from tests.invoices.conftest import CALLBACK

pytestmark = pytest.mark.django_db


def make_delivery(merchant, url=CALLBACK):
    invoice = invoice_create(
        merchant=merchant,
        kind="ingress",
        amount=1500,
        currency="INR",
        reference="order-42",
        callback_url=url,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return webhooks.enqueue(
        merchant=merchant,
        invoice=invoice,
        event_type="ingress.paid",
        url=url,
        data=invoice_data(invoice),
    )


@responses.activate
def test_a_callback_is_signed_the_standard_webhooks_way(merchant_keys):
    merchant, _, secret = merchant_keys
    responses.post(CALLBACK, status=200, body="ok")
    delivery = make_delivery(merchant)

    webhooks.deliver(delivery.pk)

    sent = responses.calls[0].request
    headers = {
        name: sent.headers[name]
        for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
    }
    assert headers["webhook-id"] == delivery.message_id
    assert webhooks.verify(secret, headers, sent.body)  # exactly what docs/merchant-api.md shows
    assert not webhooks.verify(secret, headers, sent.body + b" ")
    body = json.loads(sent.body)
    assert (
        body["type"] == "ingress.paid"
        and body["data"]["reference"] == "order-42"
        and "timestamp" in body
    )
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    attempt = delivery.attempts.get()
    assert (attempt.status_code, attempt.response_excerpt) == (200, "ok")


@responses.activate
def test_only_a_2xx_counts_and_retries_back_off(merchant):
    responses.post(CALLBACK, status=500, body="boom")
    delivery = make_delivery(merchant)
    start = timezone.now()
    expected = [
        timedelta(seconds=5),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=5),
        timedelta(hours=10),
    ]

    moment = start
    for delay in expected:
        with time_machine.travel(moment, tick=False):
            webhooks.deliver(delivery.pk)
        delivery.refresh_from_db()
        waited = delivery.next_attempt_at - moment
        assert delay * 0.8 <= waited <= delay * 1.2  # with jitter
        moment = delivery.next_attempt_at

    assert delivery.attempt_count == 6 and delivery.status == "pending"
    assert [a.status_code for a in delivery.attempts.all()] == [500] * 6
    assert all(a.response_excerpt == "boom" for a in delivery.attempts.all())


@responses.activate
def test_it_gives_up_after_the_configured_attempts_and_can_be_resent(merchant, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    responses.post(CALLBACK, status=503)
    delivery = make_delivery(merchant)

    webhooks.deliver(delivery.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        webhooks.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed"

    responses.replace(responses.POST, CALLBACK, status=200)
    webhooks.resend(delivery=delivery)
    webhooks.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempt_count == 3


@responses.activate
def test_retry_after_is_honoured(merchant):
    responses.post(CALLBACK, status=429, headers={"Retry-After": "600"})
    delivery = make_delivery(merchant)

    webhooks.deliver(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.next_attempt_at - timezone.now() >= timedelta(seconds=590)


@responses.activate
def test_a_410_disables_the_endpoint(merchant):
    responses.post(CALLBACK, status=410)
    first = make_delivery(merchant)
    webhooks.deliver(first.pk)
    second = make_delivery(merchant)

    webhooks.deliver(second.pk)

    assert DisabledEndpoint.objects.filter(url=CALLBACK).exists()
    assert len(responses.calls) == 1
    second.refresh_from_db()
    assert second.status == "failed" and second.attempts.get().error == "endpoint disabled (410)"


@responses.activate
def test_timeouts_and_refused_connections_are_retried(merchant):
    responses.post(CALLBACK, body=requests.ReadTimeout())
    delivery = make_delivery(merchant)

    webhooks.deliver(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts.get().error == "ReadTimeout"


def test_a_delivery_is_sent_by_one_worker_at_a_time(merchant):
    delivery = make_delivery(merchant)

    first = webhooks.claim(delivery.pk)
    assert first is not None
    assert webhooks.claim(delivery.pk) is None  # another worker: leased
    with time_machine.travel(timezone.now() + webhooks.LEASE + timedelta(seconds=1)):
        second = webhooks.claim(delivery.pk)  # the first worker died: taken again
    assert second is not None and second != first  # a new lease: only its holder records


@responses.activate
def test_during_a_rotation_both_secrets_sign(merchant_keys):
    merchant, _, old_secret = merchant_keys
    new_secret = webhook_secret_rotate(merchant=merchant)
    responses.post(CALLBACK, status=200)

    webhooks.deliver(make_delivery(merchant).pk)

    sent = responses.calls[0].request
    headers = {
        name: sent.headers[name]
        for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
    }
    assert webhooks.verify(new_secret, headers, sent.body) and webhooks.verify(
        old_secret, headers, sent.body
    )
    assert len(headers["webhook-signature"].split()) == 2


def test_a_callback_to_a_private_address_is_not_sent_in_production(merchant, settings):
    delivery = make_delivery(merchant, url="http://127.0.0.1:9/cb")
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    webhooks.deliver(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == "failed" and "not allowed" in delivery.attempts.get().error


def test_a_host_that_rebinds_to_a_private_address_after_the_check_is_not_called(
    merchant, settings, monkeypatch
):
    """
    DNS rebinding: the name answers with a public address when we check it, and with loopback
    a moment later when the request connects. The address actually connected to is checked, so
    nothing reaches the private service behind it.
    """
    import socket

    from tests.receiver import Receiver

    internal = Receiver()  # a private service on loopback that the attacker wants to reach
    port = internal.server.server_address[1]
    lookups = []
    resolve = socket.getaddrinfo

    def rebinding_dns(host, *args, **kwargs):  # the DNS boundary, faked
        if host != "rebind.attacker.test":
            return resolve(host, *args, **kwargs)
        lookups.append(host)
        address = "93.184.216.34" if len(lookups) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    delivery = make_delivery(merchant, url=f"http://rebind.attacker.test:{port}/admin")

    try:
        webhooks.deliver(delivery.pk)
    finally:
        internal.close()

    assert len(lookups) == 2  # checked, then connected: the second answer was the private one
    assert internal.calls == []
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "not allowed" in delivery.attempts.get().error


def test_the_webhook_secret_is_encrypted_at_rest(merchant_keys):
    merchant, _, secret = merchant_keys

    assert secret not in merchant.webhook_secret_encrypted
    assert secret.startswith("whsec_")


def test_signatures_older_than_the_tolerance_are_refused(merchant_keys):
    secret = merchant_keys[2]
    body = b'{"type":"ingress.paid"}'
    stamp = "1700000000"
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": stamp,
        "webhook-signature": webhooks.signature(secret, "msg_1", stamp, body),
    }

    assert webhooks.verify(secret, headers, body, now=1700000000 + 10)
    assert not webhooks.verify(secret, headers, body, now=1700000000 + 3600)


def test_the_worker_sends_due_deliveries(merchant):
    from django.core.management import call_command

    make_delivery(merchant, url="http://127.0.0.1:9/unreachable")
    call_command("webhook_worker", "--once")

    assert WebhookDelivery.objects.get().attempt_count == 1


@responses.activate
def test_a_receiver_down_for_an_hour_gets_everything_once_back_up(merchant_keys):
    """Simulated time: the worker keeps trying on its schedule; when the receiver returns, every
    delivery lands once with a valid signature."""
    merchant, _, secret = merchant_keys
    down = responses.post(CALLBACK, status=503)
    deliveries = [make_delivery(merchant) for _ in range(20)]
    start = timezone.now()

    for minute in range(0, 61, 1):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            for pk in webhooks.due_deliveries(limit=100):
                webhooks.deliver(pk)
    assert all(d.status == "pending" for d in WebhookDelivery.objects.all())
    assert down.call_count >= 20 * 3  # 5 s, 5 min, 30 min tries all happened

    responses.replace(responses.POST, CALLBACK, status=200, body="ok")
    # The next try after the 30-minute one comes 2 h later (±20 %): by 4 h every one is due.
    with time_machine.travel(start + timedelta(hours=4), tick=False):
        for pk in webhooks.due_deliveries(limit=100):
            webhooks.deliver(pk)

    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
    landed = [call for call in responses.calls if call.response.status_code == 200]
    assert len(landed) == len(deliveries)
    for call in landed:
        headers = {
            name: call.request.headers[name]
            for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
        }
        assert webhooks.verify(
            secret, headers, call.request.body, now=int(headers["webhook-timestamp"])
        )
    assert len({call.request.headers["webhook-id"] for call in landed}) == 20


@responses.activate
def test_an_endpoint_that_times_out_rests_while_others_are_served(merchant):
    slow, healthy = CALLBACK + "/slow", CALLBACK + "/ok"
    responses.post(slow, body=requests.ReadTimeout())
    responses.post(healthy, status=200)
    first = make_delivery(merchant, url=slow)
    webhooks.deliver(first.pk)  # times out: the endpoint rests

    waiting, other = make_delivery(merchant, url=slow), make_delivery(merchant, url=healthy)
    assert webhooks.deliver(waiting.pk) is None  # not even tried
    webhooks.deliver(other.pk)

    waiting.refresh_from_db()
    other.refresh_from_db()
    assert waiting.attempts.count() == 0 and waiting.next_attempt_at > timezone.now() + timedelta(
        seconds=20
    )
    assert other.status == "delivered"
    assert sum(call.request.url == slow for call in responses.calls) == 1
