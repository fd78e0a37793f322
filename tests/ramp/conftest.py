"""Addresses valid on their networks, and the caches the rate limits run on, shared by the tests."""

import pytest
from django.core.cache import cache

TRON_WALLET = "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7"
EVM_WALLET = "0x52908400098527886E0F7030069857D2E4169EE7"
BTC_WALLET = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": redis_url}}
    yield
    cache.clear()


@pytest.fixture(params=["redis", "per-process"])
def shared_cache(request):
    """Production's Redis (one Lua script) and the embedded default's per-process cache."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param
