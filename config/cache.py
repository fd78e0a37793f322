"""
Cache helpers for copies of database rows: `read_through` reads one (loading and keeping it on a
miss), `remember` keeps one, `forget` drops them now and after commit. A cache outage only ever
costs the cache: each falls back to the database or does nothing.

Django's Redis cache, reusing its client, and able to run a Lua script atomically on the server
(`run_script`: the partner API's token buckets). The stock backend builds a new `redis.Redis` for
every operation, and redis-py fills ~300 response callbacks in each constructor: measured at
~180 µs of a ~570 µs status poll (docs/performance.md). A client over the same connection
pool is safe to keep and share (redis-py clients are thread-safe; pipelines are made per use).
"""

import contextlib

from django.core.cache import cache
from django.core.cache.backends import redis
from django.db import transaction


def remember(key, value, seconds):
    with contextlib.suppress(Exception):
        cache.set(key, value, seconds)


def read_through(key, load, seconds, *, found=None):
    """
    The cached copy at ``key`` — from ``found`` when the caller fetched several keys in one round
    trip — else ``load()``, kept for ``seconds`` unless it is None.
    """
    if found is None:
        found = {}
        with contextlib.suppress(Exception):
            found = {key: cache.get(key)}
    value = found.get(key)
    if value is None and (value := load()) is not None:
        remember(key, value, seconds)
    return value


def forget(keys):
    """
    Drop cached copies of rows being changed: now, and again once the transaction commits (a
    reader between the two may have cached the old row). A cache outage only costs the cache.
    """
    keys = list(keys)

    def drop():
        with contextlib.suppress(Exception):
            cache.delete_many(keys)

    drop()
    transaction.on_commit(drop, robust=True)


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client

    def script(self, source):
        """A Lua script on the server written to, sent by digest (and loaded when missing)."""
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = self.get_client(write=True).register_script(source)
        return script


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def run_script(self, source, keys, args=()):
        """
        Run a Lua script atomically on the cache's server; ``keys`` are cache keys, built by our
        own code (not validated: Django's memcached-style check walks every character).
        """
        keys = [self.make_key(key) for key in keys]
        return self._cache.script(source)(keys=keys, args=list(args))

    def load(self, raw):
        """A value a script read, as ``get`` would return it."""
        return self._cache._serializer.loads(raw)
