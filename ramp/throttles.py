"""
Request limits for the partner user API, kept in the shared cache.

Status polling follows what seed 002 asks of clients (every 10–15 s): per person and order, a
bucket of 3 requests refilled one every 10 s. Other calls: 120 a minute per person and 1,200 a
minute per partner. Over the limit: 429 with ``Retry-After``.
"""

import hashlib
import math
import time

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle


class StatusPollThrottle(BaseThrottle):
    capacity = 3
    refill_seconds = 10

    def allow_request(self, request, view):
        data = request.data if isinstance(request.data, dict) else {}
        # Hashed: the order id is the caller's input and must not shape the cache key.
        order = hashlib.sha256(str(data.get("order_id", "")).encode()).hexdigest()[:32]
        key = f"throttle:status:{request.user.pk}:{order}"
        now = time.time()  # wall clock: comparable across processes and machines
        tokens, stamp = cache.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - stamp) / self.refill_seconds)
        if tokens < 1:
            self._wait = (1 - tokens) * self.refill_seconds
            cache.set(key, (tokens, now), self.capacity * self.refill_seconds)
            return False
        cache.set(key, (tokens - 1, now), self.capacity * self.refill_seconds)
        return True

    def wait(self):
        return math.ceil(self._wait)


class PersonRateThrottle(SimpleRateThrottle):
    scope = "partner_person"
    rate = "120/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class PartnerRateThrottle(SimpleRateThrottle):
    scope = "partner"
    rate = "1200/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.user.partner_id}
