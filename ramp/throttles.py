"""
Request limits for the partner user API, kept in the shared cache as token buckets: each key
holds (tokens, when), a constant-size entry, read and written once per request. (DRF's
SimpleRateThrottle keeps a list of every request's time in the window — 1,200 floats pickled
and unpickled on every call of a busy partner.) Two requests racing on one key may both take
the last token: a limit can be exceeded by the number of simultaneous requests, never more.

Status polling follows what seed 002 asks of clients (every 10–15 s): per person and order, a
bucket of 3 requests refilled one every 10 s. Other calls: 120 a minute per person and 1,200 a
minute per partner. Over the limit: 429 with ``Retry-After``.
"""

import contextlib
import hashlib
import math
import time

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle


class TokenBucketThrottle(BaseThrottle):
    capacity = 1
    refill_seconds = 1.0  # one token back every this many seconds

    def key(self, request):
        raise NotImplementedError

    def cache_key(self, request):
        return f"throttle:{self.key(request)}"

    def ttl(self):
        return math.ceil(self.capacity * self.refill_seconds)

    def take(self, state, now):
        """Take a token from ``state`` (None: a full bucket); return the bucket's new state."""
        tokens, stamp = state or (self.capacity, now)
        tokens = min(self.capacity, tokens + (now - stamp) / self.refill_seconds)
        self.allowed = tokens >= 1
        self._wait = 0 if self.allowed else (1 - tokens) * self.refill_seconds
        return (tokens - 1 if self.allowed else tokens, now)

    def allow_request(self, request, view):
        return check_buckets([self], request) == []

    def wait(self):
        return math.ceil(self._wait)


def check_buckets(throttles, request):
    """
    Take a token from every bucket at once — one cache read and one write for all of them —
    and return the waits of those that are empty (an empty list: allowed).
    """
    keys = [throttle.cache_key(request) for throttle in throttles]
    now = time.time()  # wall clock: comparable across processes and machines
    try:
        states = cache.get_many(keys)
    except Exception:
        return []  # a cache outage lifts the limits rather than failing the call
    updated = {key: t.take(states.get(key), now) for key, t in zip(keys, throttles, strict=True)}
    with contextlib.suppress(Exception):
        cache.set_many(updated, max(throttle.ttl() for throttle in throttles))
    return [throttle.wait() for throttle in throttles if not throttle.allowed]


class StatusPollThrottle(TokenBucketThrottle):
    capacity = 3
    refill_seconds = 10

    def key(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        # Hashed: the order id is the caller's input and must not shape the cache key.
        order = hashlib.sha256(str(data.get("order_id", "")).encode()).hexdigest()[:32]
        return f"status:{request.user.pk}:{order}"


class PersonRateThrottle(TokenBucketThrottle):
    capacity = 120
    refill_seconds = 60 / 120

    def key(self, request):
        return f"person:{request.user.pk}"


class PartnerRateThrottle(TokenBucketThrottle):
    capacity = 1200
    refill_seconds = 60 / 1200

    def key(self, request):
        return f"partner:{request.user.partner_id}"
