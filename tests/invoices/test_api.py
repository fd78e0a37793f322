from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.merchants import api_key_create, api_key_revoke
from accounts.models import ApiKey
from invoices.models import Invoice
from tests.invoices.conftest import CALLBACK, invoice_body

pytestmark = pytest.mark.django_db

INVOICE_FIELDS = {
    "id",
    "kind",
    "status",
    "amount",
    "currency",
    "reference",
    "description",
    "metadata",
    "url",
    "qr_url",
    "expires_at",
    "created_at",
    "paid_at",
    "redirect_url",
    "callback_url",
    "refresh_invoice_url",
    "invoice_display_key",
    "customer_email",
}


@pytest.mark.parametrize("kind", ["ingress"])
def test_creating_an_ingress_invoice_returns_the_invoice_object(api, kind):
    response = api.post(f"/v1/{kind}/invoice", invoice_body(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == INVOICE_FIELDS
    assert (body["kind"], body["status"], body["amount"], body["currency"]) == (
        kind,
        "open",
        "1500.00",
        "INR",
    )
    assert body["metadata"] == {"player": 7} and body["reference"] == "order-42"
    token = Invoice.objects.get().token
    assert body["url"] == f"http://localhost:8000/i/{token}/"
    assert body["qr_url"] == f"http://localhost:8000/i/{token}/qr.png"
    assert api.get(f"/v1/{kind}/invoice/{body['id']}").json() == body


def test_another_merchants_invoice_is_a_404(api, other_api):
    invoice_id = api.post("/v1/ingress/invoice", invoice_body(), format="json").json()["id"]

    for response in (
        other_api.get(f"/v1/ingress/invoice/{invoice_id}"),
        other_api.post(f"/v1/ingress/invoice/{invoice_id}/cancel"),
        api.get(f"/v1/egress/invoice/{invoice_id}"),  # right merchant, wrong kind
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer rk_nonsense",
        "Bearer rk_AAAAAAAAAA_" + "x" * 40,
        "Basic dXNlcjpwYXNz",
        "Token abc",
    ],
)
def test_without_a_valid_key_it_is_a_401(db, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)

    response = client.post("/v1/ingress/invoice", invoice_body(), format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_stops_working(api, merchant):
    assert api.get("/v1/ingress/invoice").status_code == 200  # the key is now cached
    api_key_revoke(key=ApiKey.objects.get(merchant=merchant))

    assert api.get("/v1/ingress/invoice").status_code == 401


def test_a_key_in_use_costs_no_query_until_its_merchant_is_switched_off(
    api, merchant, django_assert_max_num_queries
):
    api.get("/v1/ingress/invoice")
    with django_assert_max_num_queries(1):  # the page of invoices, not the key
        assert api.get("/v1/ingress/invoice").status_code == 200

    merchant.is_active = False
    merchant.save()  # as the admin does

    assert api.get("/v1/ingress/invoice").status_code == 401


def test_a_key_without_the_invoices_scope_is_refused(merchant):
    _, raw = api_key_create(merchant=merchant, name="partner only", scopes=["partner"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")

    response = client.get("/v1/ingress/invoice")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_keys_are_stored_hashed_and_last_use_is_recorded(merchant_keys, api):
    merchant, raw, _ = merchant_keys
    api.get("/v1/ingress/invoice")

    key = ApiKey.objects.get(merchant=merchant)
    assert raw not in key.key_hash and key.key_hash != raw
    assert raw.startswith(key.prefix) and key.last_used_at is not None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "-1"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "10.001"}, "amount"),
        ({"amount": "ten"}, "amount"),
        ({"amount": "1e20"}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"callback_url": "not a url"}, "callback_url"),
        ({"callback_url": "ftp://merchant.example.com/x"}, "callback_url"),
        ({"expires_at": "yesterday"}, "expires_at"),
        ({"metadata": [1, 2]}, "metadata"),
        ({"metadata": {"blob": "x" * 5000}}, "metadata"),
        ({"reference": ""}, "reference"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, overrides, field):
    response = api.post("/v1/ingress/invoice", invoice_body(**overrides), format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and field in error["details"]
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("when", [timedelta(minutes=-5), timedelta(days=31)])
def test_expiry_must_be_in_the_future_and_within_the_maximum(api, when):
    response = api.post(
        "/v1/ingress/invoice",
        invoice_body(expires_at=(timezone.now() + when).isoformat()),
        format="json",
    )

    assert response.status_code == 400
    assert "expires_at" in response.json()["error"]["details"]


def test_malformed_json_and_huge_bodies_are_refused_cleanly(api):
    assert (
        api.post("/v1/ingress/invoice", "{not json", content_type="application/json").status_code
        == 400
    )
    response = api.post("/v1/ingress/invoice", invoice_body(description="x" * 40000), format="json")
    assert response.status_code == 400
    assert api.post("/v1/ingress/invoice", "amount=1", content_type="text/plain").status_code == 415


def test_the_same_idempotency_key_and_body_replays_the_first_answer(api):
    body = invoice_body()
    first = api.post("/v1/ingress/invoice", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/v1/ingress/invoice", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Invoice.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_a_409(api):
    api.post("/v1/ingress/invoice", invoice_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-2")

    response = api.post(
        "/v1/ingress/invoice",
        invoice_body(amount="99.00"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-2",
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Invoice.objects.count() == 1


def test_idempotency_keys_are_per_merchant(api, other_api):
    api.post("/v1/ingress/invoice", invoice_body(), format="json", HTTP_IDEMPOTENCY_KEY="shared")
    other = other_api.post(
        "/v1/ingress/invoice", invoice_body(), format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )

    assert other.status_code == 201 and Invoice.objects.count() == 2


def test_listing_is_paginated_and_filtered(api):
    for n in range(3):
        api.post("/v1/ingress/invoice", invoice_body(reference=f"r{n}"), format="json")
    first_id = Invoice.objects.order_by("created_at").first().pk
    api.post(f"/v1/ingress/invoice/{first_id}/cancel")

    page = api.get("/v1/ingress/invoice", {"limit": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    assert len(api.get(page["next"]).json()["results"]) == 1
    assert [
        i["reference"]
        for i in api.get("/v1/ingress/invoice", {"status": "cancelled"}).json()["results"]
    ] == ["r0"]


def test_cancelling_an_open_invoice_once(api):
    invoice_id = api.post("/v1/ingress/invoice", invoice_body(), format="json").json()["id"]

    assert api.post(f"/v1/ingress/invoice/{invoice_id}/cancel").json()["status"] == "cancelled"
    again = api.post(f"/v1/ingress/invoice/{invoice_id}/cancel")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invoice_not_open"


def test_a_withdrawal_cannot_exceed_the_balance(api):
    response = api.post("/v1/egress/invoice", invoice_body(), format="json")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "insufficient_balance"


def test_a_newer_invoice_with_the_same_display_key_replaces_the_older(api):
    first = api.post(
        "/v1/ingress/invoice", invoice_body(invoice_display_key="vip-topup"), format="json"
    ).json()
    second = api.post(
        "/v1/ingress/invoice",
        invoice_body(invoice_display_key="vip-topup", description="New"),
        format="json",
    ).json()

    assert api.get(f"/v1/ingress/invoice/{first['id']}").json()["status"] == "cancelled"
    assert api.get(f"/v1/ingress/invoice/{second['id']}").json()["status"] == "open"
    assert Invoice.objects.get(pk=first["id"]).replaced_by_id is not None


def test_production_refuses_private_callback_targets(api, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    for url in (
        "http://127.0.0.1:9000/cb",
        "http://10.0.0.5/cb",
        "http://169.254.169.254/latest",
        "http://[::1]/cb",
    ):
        response = api.post("/v1/ingress/invoice", invoice_body(callback_url=url), format="json")
        assert response.status_code == 400, url


def test_the_embedded_default_allows_loopback_callbacks(api):
    assert (
        api.post(
            "/v1/ingress/invoice",
            invoice_body(callback_url="http://127.0.0.1:9000/cb"),
            format="json",
        ).status_code
        == 201
    )


def test_production_redirects_must_be_https_on_allowed_hosts(api, settings, merchant):
    settings.PRODUCTION = True
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    bad = api.post(
        "/v1/ingress/invoice",
        invoice_body(callback_url=CALLBACK.replace("merchant.example.com", "93.184.216.34")),
        format="json",
    )
    assert bad.status_code == 400  # not https-only for callbacks? redirect host not allowed
    merchant.allowed_redirect_hosts = ["merchant.example.com"]
    merchant.save()
    ok = api.post(
        "/v1/ingress/invoice", invoice_body(callback_url="https://93.184.216.34/cb"), format="json"
    )
    assert ok.status_code == 201


def test_the_openapi_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/v1/schema/")
    assert schema.status_code == 200 and b"/v1/ingress/invoice" in schema.content
    docs = client.get("/v1/docs/").content.decode()
    assert "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs


def test_production_resolves_callback_hosts_and_remembers_the_public_ones(
    api, settings, monkeypatch
):
    import socket

    from config.memory import Memory
    from invoices import ssrf

    settings.PRODUCTION = True
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    monkeypatch.setattr(ssrf, "_public_hosts", Memory(size=1024))  # this process's, fresh
    lookups = []

    def resolver(host, port, *args, **kwargs):  # the DNS boundary, faked
        lookups.append(host)
        address = "10.1.2.3" if host.startswith("internal.") else "93.184.216.34"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)

    def create(url):
        body = invoice_body(callback_url=url, redirect_url="")  # only the callback in play
        return api.post("/v1/ingress/invoice", body, format="json")

    assert create("https://internal.acme.test/cb").status_code == 400  # resolves privately
    assert create("https://internal.acme.test/cb").status_code == 400  # and is asked again
    assert create("https://hooks.acme.test/cb").status_code == 201
    assert create("https://hooks.acme.test/other").status_code == 201
    assert lookups.count("internal.acme.test") == 2  # a refusal is never remembered
    assert lookups.count("hooks.acme.test") == 1  # a public host is, for five minutes
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        assert create("https://hooks.acme.test/cb").status_code == 201
    assert lookups.count("hooks.acme.test") == 2  # then looked up again
