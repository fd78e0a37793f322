"""
The security pass as tests: another person's or merchant's objects are 404 on every URL,
every state-changing form needs the CSRF token (HTMX ones too), redirects stay on the site,
and pages carry the security headers.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.merchants import merchant_create
from invoices.models import MerchantBalance
from invoices.services import egress_claim, invoice_create
from ramp.services import orders
from ramp.services.quotes import quote_create
from tests.kyc.documents import submit
from tests.ramp.conftest import TRON_WALLET

pytestmark = pytest.mark.django_db
CODE = "accounts.backends.EmailCodeBackend"


@pytest.fixture
def alices_things(buyer, usdt, alice_bank, alice_upi):
    quote = quote_create(
        user=buyer, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="2500"
    )
    order = orders.order_create_onramp(user=buyer, quote_id=quote.pk, wallet_address=TRON_WALLET)
    merchant, key, _ = merchant_create(name="Alice's shop", owner_email=buyer.email)
    MerchantBalance.objects.create(merchant=merchant, available=Decimal("5000"))
    egress = invoice_create(
        merchant=merchant,
        kind="egress",
        amount=Decimal("100"),
        currency="INR",
        reference="w",
        callback_url="https://m.example.com/cb",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    egress_claim(invoice=egress, user=buyer, bank_account_id=alice_bank.pk)
    delivery = egress.deliveries.get()
    submission = buyer.kyc_submissions.get()
    return {
        "order": order,
        "bank": alice_bank,
        "upi": alice_upi,
        "merchant": merchant,
        "key": key,
        "egress": egress,
        "delivery": delivery,
        "submission": submission,
    }


def object_urls(t):
    order, merchant = t["order"].pk, t["merchant"].pk
    return [
        ("get", reverse("ramp:order", args=[order])),
        ("get", reverse("ramp:order_status", args=[order])),
        ("post", reverse("ramp:submit_utr", args=[order])),
        ("post", reverse("ramp:submit_tx_hash", args=[order])),
        ("post", reverse("ramp:cancel_order", args=[order])),
        ("get", reverse("ramp:checkout", args=[order])),
        ("get", reverse("ramp:checkout_return", args=[order])),
        ("post", reverse("ramp:make_default", args=["bank", t["bank"].pk])),
        ("post", reverse("ramp:remove", args=["upi", t["upi"].pk])),
        ("get", reverse("kyc:document", args=[t["submission"].pk, "pan"])),
        ("get", reverse("invoices:egress_status", args=[t["egress"].token])),
        ("get", reverse("invoices:merchant", args=[merchant])),
        ("post", reverse("invoices:create_key", args=[merchant])),
        ("post", reverse("invoices:revoke_key", args=[merchant, t["merchant"].api_keys.get().pk])),
        ("post", reverse("invoices:rotate_secret", args=[merchant])),
        ("post", reverse("invoices:resend", args=[merchant, t["delivery"].pk])),
    ]


def test_every_object_url_is_a_404_for_someone_else(client, alices_things, verified_bob):
    client.force_login(verified_bob, backend=CODE)

    for method, url in object_urls(alices_things):
        response = getattr(client, method)(url, {"utr": "123456789012", "tx_hash": "ab" * 32})
        assert response.status_code == 404, (method, url, response.status_code)
    alices_things["order"].refresh_from_db()
    assert alices_things["order"].status == "fiatPending"


def test_every_api_object_is_a_404_for_another_merchant(alices_things):
    _, other_key, _ = merchant_create(name="Rival", owner_email="rival@example.com")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {other_key}")
    egress = alices_things["egress"].pk

    assert api.get(f"/v1/egress/invoice/{egress}").status_code == 404
    assert api.post(f"/v1/egress/invoice/{egress}/cancel").status_code == 404
    assert all(i["id"] != str(egress) for i in api.get("/v1/egress/invoice").json()["results"])


def test_every_form_needs_the_csrf_token(alices_things, buyer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(buyer, backend=CODE)
    forms = [url for method, url in object_urls(alices_things) if method == "post"] + [
        reverse("accounts:sign_out"),
        reverse("kyc:status"),
        reverse("ramp:payment_methods"),
        reverse("ramp:buy"),
        reverse("ramp:sell"),
        reverse("invoices:hosted", args=[alices_things["egress"].token]),
    ]

    for url in forms:
        for headers in ({}, {"HX-Request": "true"}):
            assert strict.post(url, {"upi_id": "x@okaxis"}, headers=headers).status_code == 403, url


def test_the_csrf_token_reaches_htmx_through_the_body_tag(client, buyer):
    client.force_login(buyer, backend=CODE)

    body = client.get(reverse("ramp:payment_methods")).content.decode()

    assert 'hx-headers=\'{"X-CSRFToken": "' in body


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "https:evil.example.com",
        "/\\evil.example.com",
    ],
)
def test_sign_in_never_redirects_off_the_site(client, mailoutbox, target):
    import re

    client.post(reverse("accounts:sign_in"), {"email": "dana@example.com", "next": target})
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)

    response = client.post(reverse("accounts:sign_in_code"), {"code": code})

    assert response["Location"] == reverse("accounts:account")


def test_signing_in_gets_a_new_session(client, mailoutbox):
    import re

    client.get(reverse("accounts:sign_in"))
    client.post(reverse("accounts:sign_in"), {"email": "dana@example.com"})
    planted = client.session.session_key
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)

    client.post(reverse("accounts:sign_in_code"), {"code": code})

    assert client.session.session_key != planted


@pytest.mark.parametrize("url", ["/", "/sign-in/", "/kyc/", "/buy/"])
def test_pages_send_the_security_headers(client, url):
    response = client.get(url, follow=True)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_documents_are_never_served_as_html_even_if_crafted(client, alice):
    from tests.kyc.documents import image_bytes, upload

    submission = submit(
        alice, pan_image=upload("x.png", image_bytes("PNG") + b"<script>alert(1)</script>")
    )
    client.force_login(alice, backend=CODE)

    response = client.get(reverse("kyc:document", args=[submission.pk, "pan"]))

    assert response["Content-Type"] == "image/png"
    assert b"<script>" not in b"".join(response.streaming_content)
    assert "sandbox" in response["Content-Security-Policy"]
