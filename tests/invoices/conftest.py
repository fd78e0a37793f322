from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.merchants import merchant_create

CALLBACK = "https://merchant.example.com/hooks/rampart"


@pytest.fixture
def merchant_keys(db):
    merchant, api_key, secret = merchant_create(name="Acme Games", owner_email="owner@acme.test")
    return merchant, api_key, secret


@pytest.fixture
def merchant(merchant_keys):
    return merchant_keys[0]


@pytest.fixture
def api(merchant_keys):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {merchant_keys[1]}")
    return client


@pytest.fixture
def other_api(db):
    _, api_key, _ = merchant_create(name="Other Shop", owner_email="boss@other.test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    return client


def invoice_body(**overrides):
    return {
        "amount": "1500.00",
        "currency": "INR",
        "reference": "order-42",
        "callback_url": CALLBACK,
        "expires_at": (timezone.now() + timedelta(hours=2)).isoformat(),
        "description": "Gold coins pack",
        "metadata": {"player": 7},
        "redirect_url": "https://merchant.example.com/thanks",
        **overrides,
    }
