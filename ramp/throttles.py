"""
Request limits for the partner user API: token buckets in the shared cache.

A call takes one token from each of its view's buckets — all of them or, when any is empty,
none: a refused call costs nothing, so one person's runaway polling never drains the bucket
their partner shares with everyone else. On Redis (production) the buckets are read and written
by one Lua script, atomically, on the server's clock: simultaneous calls cannot both take the
last token, and app machines' clocks do not matter. Elsewhere (the embedded default's
per-process cache) a lock makes the same steps atomic within the process.

Status polling follows what seed 002 asks of clients (every 10–15 s): per person and order, a
bucket of 3 requests refilled one every 10 s. Other calls: 120 a minute per person and 1,200 a
minute per partner. Over the limit: 429 with ``Retry-After``.
"""

import functools
import hashlib
import logging
import math
import threading
import time

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

# KEYS: first ARGV[1] cached copies that must all be present before any token is taken (the
# person and partner behind an access token), then the buckets; ARGV[2..]: each bucket's capacity
# and seconds per token, in pairs. A bucket is "<tokens> <when>", kept until it would be full
# again. Returns {0} when a copy is missing (nothing taken); {1, waits, {}} when a bucket is empty
# (nothing taken; the whole seconds until each empty one has a token); else {1, {}, copies}: the
# tokens were taken, and the copies as found.
TAKE_SCRIPT = """
local held = tonumber(ARGV[1])
local copies = {}
for i = 1, held do
  copies[i] = redis.call('GET', KEYS[i])
  if not copies[i] then return {0} end
end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local levels, waits = {}, {}
for i = 1, #KEYS - held do
  local key, capacity, refill = KEYS[held + i], tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local level = capacity
  local tokens, stamp = string.match(redis.call('GET', key) or '', '^(%S+) (%S+)$')
  if tokens and tonumber(tokens) and tonumber(stamp) then
    local elapsed = math.max(0, now - tonumber(stamp))
    level = math.min(capacity, tonumber(tokens) + elapsed / refill)
  end
  levels[i] = level
  if level < 1 then waits[#waits + 1] = math.ceil((1 - level) * refill) end
end
if #waits > 0 then return {1, waits, {}} end  -- refused: the caller needs no copies
for i = 1, #KEYS - held do
  local capacity, refill = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local state = string.format('%.6f %.6f', levels[i] - 1, now)
  redis.call('SET', KEYS[held + i], state, 'PX', math.ceil(capacity * refill * 1000))
end
return {1, waits, copies}
"""

_local_lock = threading.Lock()
logger = logging.getLogger(__name__)
OUTAGE_LOG_SECONDS = 60
_outage_logged_at = None


class TokenBucketThrottle(BaseThrottle):
    capacity = 1
    refill_seconds = 1.0  # one token back every this many seconds

    def key(self, request):
        raise NotImplementedError

    def cache_key(self, request):
        return f"bucket:{self.key(request)}"

    def allow_request(self, request, view):
        self._waits = check_buckets([self], request)
        return not self._waits

    def wait(self):
        return max(self._waits)


def check_buckets(throttles, request):
    """
    Take a token from every bucket, or from none if any is empty: one cache round trip. Returns
    the waits in whole seconds of the empty ones (an empty list: allowed). A cache outage lifts
    the limits rather than failing the call.
    """
    return take_if_cached([], throttles, request)[1]


def take_if_cached(copy_keys, throttles, request):
    """
    ``check_buckets``, but only once every cache key in ``copy_keys`` is found — in the same
    round trip. Returns ``(copies, [])`` when the tokens were taken, with a function giving each
    copy by key (unpickling costs; only a call let through needs them); ``({}, waits)`` when a
    bucket is empty; ``(None, [])`` when a copy is missing. Only the first takes any token.
    """
    keys = [throttle.cache_key(request) for throttle in throttles]
    run_script = getattr(cache, "run_script", None)  # config.cache.RedisCache
    try:
        if run_script is not None:
            args = [len(copy_keys)] + [n for t in throttles for n in (t.capacity, t.refill_seconds)]
            found, *rest = run_script(TAKE_SCRIPT, [*copy_keys, *keys], args)
            if not found:
                return None, []
            waits, copies = rest
            if waits:
                return {}, [int(w) for w in waits]
            loaders = [functools.partial(cache.load, raw) for raw in copies]
            return dict(zip(copy_keys, loaders, strict=True)), []
        return _take_locally(copy_keys, keys, throttles)
    except Exception:
        _log_outage()
        return (None if copy_keys else {}), []


def _log_outage():
    """Say that the limits are lifted — once a minute per process, not once per call."""
    global _outage_logged_at
    now = time.monotonic()
    if _outage_logged_at is None or now - _outage_logged_at >= OUTAGE_LOG_SECONDS:
        _outage_logged_at = now
        message = "Partner-API rate limits are lifted: the cache does not answer."
        logger.error(message, exc_info=True)


def _take_locally(copy_keys, keys, throttles):
    """The script's steps on any other cache, atomic within this process."""
    with _local_lock:
        found = cache.get_many(copy_keys) if copy_keys else {}
        if len(found) < len(copy_keys):
            return None, []
        copies = {key: functools.partial(found.get, key) for key in found}
        now = time.time()
        states = cache.get_many(keys)
        levels, waits = {}, []
        for key, throttle in zip(keys, throttles, strict=True):
            tokens, stamp = states.get(key, (throttle.capacity, now))
            elapsed = max(0.0, now - stamp)
            levels[key] = min(throttle.capacity, tokens + elapsed / throttle.refill_seconds)
            if levels[key] < 1:
                waits.append(math.ceil((1 - levels[key]) * throttle.refill_seconds))
        if waits:
            return {}, waits
        ttl = max(math.ceil(t.capacity * t.refill_seconds) for t in throttles)
        cache.set_many({key: (level - 1, now) for key, level in levels.items()}, ttl)
        return copies, []


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
