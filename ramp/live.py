"""
The status poll's fast path. Each order's owner and version are kept in the shared cache; a
poll that presents the current version from the owner's session is answered 204 without
loading the user or the order. The answer carries nothing, so a stale entry can only delay an
update, never leak one: entries are dropped inside every transition, rewritten after it
commits, and live two minutes at most.
"""

import contextlib
import time

from django.contrib.auth import SESSION_KEY
from django.core.cache import cache

TTL = 120


def _key(order_id):
    return f"order-live:{order_id}"


def remember(order):
    with contextlib.suppress(Exception):  # a cache outage only costs the fast path
        cache.set(
            _key(order.pk),
            (str(order.user_id), order.version, order.expires_at.timestamp(), order.awaits_payment),
            TTL,
        )


def forget(order_id):
    with contextlib.suppress(Exception):
        cache.delete(_key(order_id))


def unchanged(request, order_id, version):
    if not version:
        return False
    with contextlib.suppress(Exception):
        entry = cache.get(_key(order_id))
        if entry is None:
            return False
        owner, known, expires_at, awaiting = entry
        if awaiting and expires_at <= time.time():
            return False  # due to expire: the full path expires it
        return known == version and str(request.session.get(SESSION_KEY)) == owner
    return False
