"""
Callbacks to merchants, Standard Webhooks style.

Headers ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature: v1,<base64 HMAC-SHA256>``
over ``"<id>.<timestamp>.<body>"`` with the merchant's ``whsec_`` secret (during a rotation's
grace period the header carries a signature per secret, space-separated). Body:
``{"type", "timestamp", "data"}``.

A delivery row is written in the transaction that causes it (outbox). ``deliver`` claims it
with a lease (a conditional update), sends it once, logs the attempt, and schedules the next
try on anything but a 2xx: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h … with ±20 % jitter, up to
``WEBHOOK_MAX_ATTEMPTS``; a ``Retry-After`` answer is honoured and a 410 disables the URL.
"""

import base64
import hashlib
import hmac
import json
import random
import threading
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from accounts.merchants import signing_secrets
from invoices.models import DisabledEndpoint, WebhookAttempt, WebhookDelivery
from invoices.ssrf import UnsafeDestination, check_outbound, outbound_session

SCHEDULE = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
]
LEASE = timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
# An endpoint that timed out or refused the connection is left alone for a while, so its other
# deliveries wait instead of tying up workers that healthy endpoints need.
BREAKER_FIRST = 30
BREAKER_MAX = 600
D = WebhookDelivery.Status


def signature(secret, message_id, timestamp, body):
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def verify(secret, headers, body, *, tolerance=300, now=None):
    """What a merchant runs (documented in docs/merchant-api.md): True if the call is ours."""
    message_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs((now or time.time()) - int(timestamp)) > tolerance:
        return False
    expected = signature(secret, message_id, timestamp, body)
    return any(
        hmac.compare_digest(expected, given) for given in headers["webhook-signature"].split()
    )


def encode(payload):
    return json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def enqueue(*, merchant, event_type, url, data, invoice=None):
    """Write the delivery in the current transaction; try it right after the commit."""
    from invoices import tasks

    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        merchant=merchant,
        invoice=invoice,
        event_type=event_type,
        url=url,
        payload={"type": event_type, "timestamp": now.isoformat(), "data": data},
        next_attempt_at=now,
    )
    # A nudge only: the delivery row is the outbox, and webhook_worker finds it without one.
    transaction.on_commit(
        lambda: tasks.deliver_webhook.enqueue(delivery_id=str(delivery.pk)), robust=True
    )
    return delivery


def next_delay(attempt_count, retry_after=None):
    base = SCHEDULE[min(attempt_count - 1, len(SCHEDULE) - 1)]
    delay = base * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not security
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def claim(delivery_id, *, now=None):
    """
    Take the delivery for LEASE if it is due and nobody holds it. Returns the lease (its end),
    which only its holder may record an answer under; None when it is not ours to send now.
    """
    now = now or timezone.now()
    lease = now + LEASE
    taken = (
        WebhookDelivery.objects.filter(pk=delivery_id, status=D.PENDING, next_attempt_at__lte=now)
        .exclude(lease_until__gt=now)
        .update(lease_until=lease)
    )
    return lease if taken else None


def due_deliveries(*, limit=50, now=None):
    """Ids of due deliveries nobody holds; SKIP LOCKED keeps several workers apart."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(status=D.PENDING, next_attempt_at__lte=now)
            .exclude(lease_until__gt=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        return list(rows)


def deliver(delivery_id):
    """Send one due delivery once. Returns the attempt, or None when not ours to send now."""
    lease = claim(delivery_id)
    if lease is None:
        return None
    delivery = WebhookDelivery.objects.select_related("merchant").get(pk=delivery_id)
    resting_until = _endpoint_resting_until(delivery)
    if resting_until:
        WebhookDelivery.objects.filter(pk=delivery.pk, lease_until=lease).update(
            next_attempt_at=resting_until + timedelta(seconds=random.uniform(0, 5)),  # noqa: S311
            lease_until=None,
        )
        return None
    if DisabledEndpoint.objects.filter(merchant=delivery.merchant, url=delivery.url).exists():
        return _record(
            delivery,
            lease=lease,
            status_code=None,
            latency_ms=0,
            excerpt="",
            error="endpoint disabled (410)",
            final=True,
        )
    body = encode(delivery.payload)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Rampart-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": " ".join(
            signature(secret, delivery.message_id, timestamp, body)
            for secret in signing_secrets(delivery.merchant)
        ),
    }
    started = time.monotonic()
    try:
        # Production resolves the name now (DNS may have changed since creation); the embedded
        # default, which allows loopback anyway, does not depend on DNS.
        check_outbound(delivery.url, resolve=not settings.WEBHOOKS_ALLOW_PRIVATE)
        response = _session().post(
            delivery.url,
            data=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except UnsafeDestination as error:
        return _record(
            delivery,
            lease=lease,
            status_code=None,
            latency_ms=0,
            excerpt="",
            error=str(error),
            final=True,
        )
    except requests.RequestException as error:
        latency = int((time.monotonic() - started) * 1000)
        _rest_endpoint(delivery)
        return _record(
            delivery,
            lease=lease,
            status_code=None,
            latency_ms=latency,
            excerpt="",
            error=type(error).__name__,
        )
    _endpoint_recovered(delivery)
    latency = int((time.monotonic() - started) * 1000)
    text = response.text[:65536]
    return _record(
        delivery,
        lease=lease,
        status_code=response.status_code,
        latency_ms=latency,
        excerpt=text[:500],
        body=text,
        retry_after=_retry_after(response),
    )


_local = threading.local()


def _session():
    """One keep-alive session per worker thread: repeated callbacks reuse their connection.
    Every connection it opens is checked where it landed (invoices.ssrf.outbound_session)."""
    if not hasattr(_local, "session"):
        _local.session = outbound_session()
    return _local.session


def _endpoint_key(delivery):
    url_hash = hashlib.sha256(delivery.url.encode()).hexdigest()[:24]
    return f"webhook-endpoint:{delivery.merchant_id}:{url_hash}"


def _endpoint_resting_until(delivery):
    state = cache.get(_endpoint_key(delivery))
    if state and state["until"] > time.time():
        return timezone.now() + timedelta(seconds=state["until"] - time.time())
    return None


def _rest_endpoint(delivery):
    key = _endpoint_key(delivery)
    previous = cache.get(key) or {"seconds": BREAKER_FIRST // 2}
    seconds = min(previous["seconds"] * 2, BREAKER_MAX)
    cache.set(key, {"until": time.time() + seconds, "seconds": seconds}, BREAKER_MAX * 2)


def _endpoint_recovered(delivery):
    cache.delete(_endpoint_key(delivery))


def _retry_after(response):
    value = response.headers.get("Retry-After", "")
    return int(value) if value.isdigit() else None


def _record(
    delivery,
    *,
    lease,
    status_code,
    latency_ms,
    excerpt,
    body="",
    error="",
    retry_after=None,
    final=False,
):
    """
    Log the attempt; then, if we still hold the lease, move the delivery on and act on the
    answer. A worker whose lease ran out mid-call (a slow receiver), or whose delivery was
    re-sent meanwhile, only logs: whoever holds it now records and acts, so an answer moves
    nothing twice.
    """
    from invoices import services

    now = timezone.now()
    with transaction.atomic():
        attempt = WebhookAttempt.objects.create(
            delivery=delivery,
            started_at=now,
            status_code=status_code,
            latency_ms=latency_ms,
            response_excerpt=excerpt,
            error=error[:300],
        )
        attempts = delivery.attempt_count + 1
        fields = {"attempt_count": attempts, "lease_until": None}
        if status_code is not None and 200 <= status_code < 300:
            fields |= {"status": D.DELIVERED, "delivered_at": now, "response_body": body}
        elif status_code == 410:
            DisabledEndpoint.objects.get_or_create(merchant=delivery.merchant, url=delivery.url)
            fields |= {"status": D.FAILED}
        elif final or attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            fields |= {"status": D.FAILED}
        else:
            fields |= {"next_attempt_at": now + next_delay(attempts, retry_after)}
        held = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=D.PENDING, lease_until=lease
        ).update(**fields)
        if held:
            delivery.refresh_from_db()
            services.delivery_answered(delivery=delivery, status_code=status_code, body=body)
    return attempt


def resend(*, delivery):
    """Staff or the merchant ask for another try now (also after it failed for good)."""
    from invoices import tasks

    now = timezone.now()
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).exclude(status=D.DELIVERED).update(
            status=D.PENDING, next_attempt_at=now, lease_until=None
        )
        transaction.on_commit(
            lambda: tasks.deliver_webhook.enqueue(delivery_id=str(delivery.pk)), robust=True
        )
