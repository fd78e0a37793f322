"""
Where mid prices come from.

- ``static``: the mid rate staff set on each asset (the embedded default).
- ``http``: a public market-price API in the CoinGecko "simple price" shape,
  ``GET {RATES_HTTP_URL}?ids=tether,bitcoin&vs_currencies=inr&include_last_updated_at=true``
  → ``{"tether": {"inr": 88.41, "last_updated_at": 1763700000}, …}``. Answers are cached for
  ``RATES_CACHE_SECONDS``; a price older than ``RATES_MAX_AGE_SECONDS`` (by the source's own
  timestamp) is refused, so nobody is quoted on a stale market.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ramp.providers.base import ProviderError


@dataclass(frozen=True)
class MidRate:
    rate: Decimal
    as_of: datetime
    source: str


class StaticRateSource:
    name = "static"

    def mid_rate(self, asset) -> MidRate:
        return MidRate(rate=asset.mid_rate_inr, as_of=asset.rate_updated_at, source=self.name)


class HttpRateSource:
    name = "http"

    def __init__(self, *, url, cache_seconds, max_age_seconds, session=None):
        self.url = url
        self.cache_seconds = cache_seconds
        self.max_age = timedelta(seconds=max_age_seconds)
        self.session = session or requests.Session()

    def mid_rate(self, asset) -> MidRate:
        if not asset.price_source_id:
            raise ProviderError(f"No market price is configured for {asset}.", permanent=True)
        cache_key = f"rates:http:{asset.price_source_id}"
        cached = cache.get(cache_key)
        if cached is None:
            cached = self._fetch(asset.price_source_id)
            cache.set(cache_key, cached, self.cache_seconds)
        rate, as_of = Decimal(cached["rate"]), datetime.fromisoformat(cached["as_of"])
        if timezone.now() - as_of > self.max_age:
            raise ProviderError(
                "Market prices are out of date, so quoting is paused for a moment.", permanent=False
            )
        return MidRate(rate=rate, as_of=as_of, source=self.name)

    def _fetch(self, price_id):
        unavailable = ProviderError(
            "Market prices are unavailable right now, so quoting is paused for a moment.",
            permanent=False,
        )
        try:
            response = self.session.get(
                self.url,
                params={"ids": price_id, "vs_currencies": "inr", "include_last_updated_at": "true"},
                timeout=(3.05, 5),
            )
            response.raise_for_status()
            body = json.loads(response.text, parse_float=Decimal)
            entry = body[price_id]
            rate = Decimal(entry["inr"])
            as_of = datetime.fromtimestamp(int(entry["last_updated_at"]), tz=UTC)
        except (
            requests.RequestException,
            ValueError,
            KeyError,
            TypeError,
            InvalidOperation,
        ) as error:
            raise unavailable from error
        if rate <= 0:
            raise unavailable
        return {"rate": str(rate), "as_of": as_of.isoformat()}


def get_rate_source():
    if settings.RATE_SOURCE == "http":
        return HttpRateSource(
            url=settings.RATES_HTTP_URL,
            cache_seconds=settings.RATES_CACHE_SECONDS,
            max_age_seconds=settings.RATES_MAX_AGE_SECONDS,
        )
    return StaticRateSource()
