"""
The partner API's token buckets, on both caches they run on: Redis (production: one Lua script,
atomic on the server) and the embedded default's per-process cache. The API-level behaviour
(429 with Retry-After, seed 002's polling pace) is in test_partner_api.py.
"""

import threading
import time

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from ramp import throttles
from ramp.throttles import TokenBucketThrottle, check_buckets, take_if_cached


def bucket(name, capacity, refill_seconds):
    class Bucket(TokenBucketThrottle):
        def key(self, request):
            return name

    Bucket.capacity, Bucket.refill_seconds = capacity, refill_seconds
    return Bucket()


def take(*buckets):
    return check_buckets(list(buckets), request=None)


def test_a_bucket_gives_its_capacity_then_refuses_with_the_wait(shared_cache):
    polls = bucket("status:1:order", capacity=3, refill_seconds=10)

    assert [take(polls) for _ in range(3)] == [[], [], []]
    assert take(polls) == [10]


def test_a_refused_call_costs_no_token_of_the_bucket_shared_with_others(shared_cache):
    mine = bucket("status:1:order", capacity=1, refill_seconds=3600)
    partner = bucket("partner:7", capacity=5, refill_seconds=3600)

    assert take(mine, partner) == []
    for _ in range(20):  # a runaway poller, refused every time
        assert take(mine, partner) == [3600]

    # The partner's other people still have the four tokens left.
    assert [take(partner) for _ in range(5)] == [[], [], [], [], [3600]]


def test_simultaneous_calls_never_take_more_tokens_than_the_bucket_holds(shared_cache, monkeypatch):
    if shared_cache == "per-process":  # a slow write: unguarded callers would read the same level
        set_many = LocMemCache.set_many
        slow = lambda self, *args: time.sleep(0.002) or set_many(self, *args)  # noqa: E731
        monkeypatch.setattr(LocMemCache, "set_many", slow)
    shared = bucket("partner:7", capacity=10, refill_seconds=3600)
    allowed = []
    start = threading.Barrier(16)

    def caller():
        start.wait()
        allowed.extend(1 for _ in range(5) if take(shared) == [])

    threads = [threading.Thread(target=caller) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(allowed) == 10


def test_no_token_is_taken_until_every_copy_the_caller_needs_is_cached(shared_cache):
    polls = bucket("person:1", capacity=1, refill_seconds=3600)
    needs = ["principal-user:1", "principal-partner:7"]
    cache.set(needs[0], {"name": "Priya"})

    assert take_if_cached(needs, [polls], request=None) == (None, [])

    cache.set(needs[1], {"name": "Wallet App"})
    copies, waits = take_if_cached(needs, [polls], request=None)
    assert waits == [] and copies[needs[0]]() == {"name": "Priya"}
    assert take_if_cached(needs, [polls], request=None)[1] == [3600]  # the one token went then


def test_tokens_come_back_on_the_redis_servers_clock(redis_cache):
    fast = bucket("person:1", capacity=1, refill_seconds=0.2)
    assert take(fast) == []
    assert take(fast) == [1]  # whole seconds, as Retry-After says it

    time.sleep(0.25)

    assert take(fast) == []


def test_a_bucket_left_in_another_format_counts_as_full(redis_cache):
    cache.set("bucket:person:1", (0.0, time.time()))  # e.g. written by an older release

    polls = bucket("person:1", capacity=2, refill_seconds=60)
    assert [take(polls) for _ in range(3)] == [[], [], [60]]


def test_a_cache_outage_lifts_the_limits_rather_than_failing_calls(
    settings, tmp_path, caplog, monkeypatch
):
    monkeypatch.setattr(throttles, "_outage_logged_at", None)
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": f"unix://{tmp_path}/nothing-listens.sock",
        }
    }
    polls = bucket("status:1:order", capacity=1, refill_seconds=10)

    assert [take(polls) for _ in range(3)] == [[], [], []]
    # Operators hear of it, once, not once per call.
    lifted = [r for r in caplog.records if "rate limits are lifted" in r.getMessage()]
    assert len(lifted) == 1 and lifted[0].levelname == "ERROR"
