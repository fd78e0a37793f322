"""
Django's Redis cache, reusing its client. The stock backend builds a new `redis.Redis` for
every operation, and redis-py fills ~300 response callbacks in each constructor: measured at
~180 µs of a ~570 µs status poll (docs/performance.md). A client over the same connection
pool is safe to keep and share (redis-py clients are thread-safe; pipelines are made per use).
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
