"""Shared HTTP plumbing for provider adapters: timeouts, JSON, and error classification."""

import json
from decimal import Decimal

import requests

from ramp.providers.base import ProviderError

TIMEOUT = (3.05, 20)


class JsonClient:
    def __init__(self, *, base_url, headers, provider, session=None):
        self.base_url = base_url.rstrip("/")
        self.headers = headers
        self.provider = provider
        self.session = session or requests.Session()

    def call(self, method, path, *, json_body=None, params=None):
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                json=json_body,
                params=params,
                headers={"Accept": "application/json", **self.headers},
                timeout=TIMEOUT,
                allow_redirects=False,
            )
        except requests.Timeout as error:
            raise ProviderError(
                f"{self.provider} did not answer in time.", permanent=False
            ) from error
        except requests.RequestException as error:
            raise ProviderError(f"{self.provider} cannot be reached.", permanent=False) from error
        if response.status_code >= 500 or response.status_code == 429:
            raise ProviderError(
                f"{self.provider} is having trouble; please try again.", permanent=False
            )
        try:
            body = json.loads(response.text, parse_float=Decimal)
        except ValueError as error:
            raise ProviderError(
                f"{self.provider} sent an unreadable answer.", permanent=False
            ) from error
        if response.status_code >= 400:
            # Never echo what we sent: it may hold card details. The provider's message is safe.
            message = (
                str(body.get("message") or body.get("error") or "the request was refused")[:200]
                if isinstance(body, dict)
                else "the request was refused"
            )
            raise ProviderError(f"{self.provider}: {message}", permanent=True)
        if not isinstance(body, dict):
            raise ProviderError(f"{self.provider} sent an unexpected answer.", permanent=False)
        return body


def required(body, *keys, provider):
    try:
        return [body[key] for key in keys]
    except KeyError as error:
        raise ProviderError(f"{provider} sent an incomplete answer.", permanent=False) from error
