from datetime import timedelta

import jwt
import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.merchants import api_key_create, merchant_create
from accounts.models import User
from invoices.models import WebhookDelivery
from kyc.models import KycSubmission
from kyc.services import kyc_approve
from ramp.models import Order
from ramp.services import orders
from tests.kyc.documents import VALID_AADHAAR, good_documents
from tests.ramp.conftest import TRON_WALLET

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(market):
    merchant, key, _ = merchant_create(
        name="Wallet App", owner_email="dev@wallet.test", scopes=("partner",)
    )
    return merchant, key


def client_with(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def login(partner_key, email="priya@example.com"):
    response = client_with(partner_key).post("/api/user-login", {"email": email}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def person(partner):
    return client_with(login(partner[1])["access_token"])


def verified_person(person, reviewer):
    uploaded = person.post(
        "/api/upload-kyc",
        {
            "full_name": "Priya Sharma",
            "date_of_birth": "1992-03-14",
            "pan_number": "ABCPS1234K",
            "aadhaar_number": VALID_AADHAAR,
            **good_documents(),
        },
        format="multipart",
    )
    assert uploaded.status_code == 201 and uploaded.json()["status"] == "PENDING"
    kyc_approve(submission=KycSubmission.objects.get(), reviewer=reviewer)


def buy_quote(person, payment_method, fiat_amount="2500"):
    """A quote for buying USDT on TRC20 with rupees, as the partner's app asks for one."""
    body = {
        "fiat_amount": fiat_amount,
        "fiat_currency": "INR",
        "crypto": "USDT",
        "network": "TRC20",
        "payment_method": payment_method,
    }
    return person.post("/api/fetch-buy-quotation", body, format="json").json()


def test_an_upload_with_several_mistakes_names_every_one(person):
    documents = good_documents()
    documents["selfie"] = documents["selfie"].__class__("me.png", b"not an image", "image/png")
    response = person.post(
        "/api/upload-kyc",
        {
            "full_name": "Priya Sharma",
            "date_of_birth": "1992-03-14",
            "pan_number": "ABCCS1234K",  # a company's PAN
            "aadhaar_number": "2341 2341 2345",  # wrong check digit
            **documents,
        },
        format="multipart",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["details"]) == {"pan_number", "aadhaar_number", "selfie"}
    assert "only JPEG, PNG or PDF" in error["details"]["selfie"][0]
    assert not KycSubmission.objects.exists()


def test_login_returns_a_one_hour_token_for_the_person(partner):
    body = login(partner[1])

    assert body["expires_in"] == 3600
    user = User.objects.get(email="priya@example.com")
    assert user.partner == partner[0]
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["sub"] == str(user.pk) and claims["exp"] - claims["iat"] == 3600


def test_the_whole_buy_flow_over_the_api(person, staff, mailoutbox):
    assert person.post("/api/fetch-kyc-status").json() == {
        "status": "NOT_STARTED",
        "level": None,
        "rejection_reason": None,
    }
    verified_person(person, staff)
    assert person.post("/api/fetch-kyc-status").json()["level"] == "KYC_0"

    upi = person.post("/api/link-upi-id", {"upi_id": "priya@okaxis"}, format="json")
    assert upi.status_code == 201 and upi.json()["holder_name"] == "PRIYA SHARMA"
    assert [u["upi_id"] for u in person.get("/api/fetch-upi-ids").json()["upi_ids"]] == [
        "priya@okaxis"
    ]

    quote = buy_quote(person, "INR_UPI")
    assert set(quote) >= {"quote_id", "rate", "fiat_amount", "crypto_amount", "fees", "expires_at"}
    assert quote["fiat_amount"] == "2500.00" and quote["crypto_amount"] == "26.829054"

    created = person.post(
        "/api/create-onramp-order",
        {"quote_id": quote["quote_id"], "wallet_address": TRON_WALLET},
        format="json",
    )
    assert created.status_code == 201
    order = created.json()
    assert order["status"] == "fiatPending" and order["payment_instructions"][
        "upi_link"
    ].startswith("upi://pay?")

    paid = person.post(
        "/api/update-utr", {"order_id": order["order_id"], "utr": "123456789012"}, format="json"
    ).json()
    assert (paid["status"], paid["utr"]) == ("orderReceived", "123456789012")

    db_order = Order.objects.get()
    orders.order_confirm_fiat(order=db_order, staff=staff)
    orders.order_record_crypto_sent(order=db_order, staff=staff, tx_hash="ab" * 32)
    orders.order_mark_completed(order=db_order, staff=staff)
    final = person.post(
        "/api/fetch-order-status", {"order_id": order["order_id"]}, format="json"
    ).json()
    assert (final["status"], final["payout_tx_hash"]) == ("completed", "ab" * 32)


def test_a_card_order_sends_the_person_to_our_checkout_page_by_its_full_address(
    person, staff, settings
):
    verified_person(person, staff)
    quote = buy_quote(person, "CARD")

    order = person.post(
        "/api/create-onramp-order",
        {"quote_id": quote["quote_id"], "wallet_address": TRON_WALLET},
        format="json",
    ).json()

    # The partner's app opens it in a browser: a path alone would resolve on the partner's site.
    assert order["status"] == "checkoutPending"
    assert order["payment_instructions"] == {
        "method": "CARD",
        "checkout_url": f"{settings.SITE_URL}/orders/{order['order_id']}/checkout/",
    }


def test_the_whole_sell_flow_over_the_api(person, staff):
    verified_person(person, staff)
    account = person.post(
        "/api/link-bank-account",
        {"account_number": "123456789012", "ifsc": "HDFC0001234"},
        format="json",
    ).json()
    assert account["account_number"] == "•••• 9012"
    assert (
        person.get("/api/fetch-bank-accounts").json()["bank_accounts"][0]["bank_account_id"]
        == account["bank_account_id"]
    )

    quote = person.post(
        "/api/fetch-sell-quotation",
        {"crypto_amount": "50", "crypto": "USDT", "network": "TRC20", "fiat_currency": "INR"},
        format="json",
    ).json()
    assert quote["fees"]["tds"] == "43.81"
    order = person.post(
        "/api/create-offramp-order",
        {"quote_id": quote["quote_id"], "bank_account_id": account["bank_account_id"]},
        format="json",
    ).json()
    assert (order["status"], order["deposit_address"]) == (
        "cryptoInit",
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    )

    sent = person.post(
        "/api/update-transaction-hash",
        {"order_id": order["order_id"], "tx_hash": "cd" * 32},
        format="json",
    ).json()
    assert sent["status"] == "orderReceived"
    db_order = Order.objects.get()
    orders.order_confirm_crypto(order=db_order, staff=staff)
    orders.order_record_payout(order=db_order, staff=staff, reference="IMPS/1")
    final = person.post(
        "/api/fetch-offramp-order-status", {"order_id": order["order_id"]}, format="json"
    ).json()
    assert (final["status"], final["payout_reference"]) == ("completed", "IMPS/1")


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        (
            "/api/fetch-buy-quotation",
            {"fiat_amount": "2500", "crypto": "USDT", "network": "TRC20"},
            403,
            "kyc_required",
        ),
        ("/api/link-upi-id", {}, 400, "validation_error"),
        (
            "/api/update-utr",
            {"order_id": "00000000-0000-0000-0000-000000000000", "utr": "123456789012"},
            404,
            "not_found",
        ),
        ("/api/update-utr", {"order_id": "junk", "utr": "1"}, 404, "not_found"),
        (
            "/api/create-onramp-order",
            {"quote_id": "00000000-0000-0000-0000-000000000000", "wallet_address": TRON_WALLET},
            403,
            "kyc_required",
        ),
        ("/api/upload-kyc", {"full_name": "X"}, 415, "unsupported_media_type"),
    ],
)
def test_errors_before_verification_have_the_error_shape(person, path, body, status, code):
    response = person.post(path, body, format="json")

    assert response.status_code == status
    assert response.json()["error"]["code"] == code and response.json()["error"]["message"]


def test_errors_after_verification(person, staff):
    verified_person(person, staff)
    person.post("/api/link-upi-id", {"upi_id": "priya@okaxis"}, format="json")

    def quote():
        return person.post(
            "/api/fetch-buy-quotation",
            {"fiat_amount": "2500", "crypto": "USDT", "network": "TRC20"},
            format="json",
        ).json()

    bad_wallet = person.post(
        "/api/create-onramp-order",
        {"quote_id": quote()["quote_id"], "wallet_address": "0xnope"},
        format="json",
    )
    assert (
        bad_wallet.status_code == 400 and "wallet_address" in bad_wallet.json()["error"]["details"]
    )
    assert (
        person.post(
            "/api/fetch-buy-quotation",
            {"fiat_amount": "10", "crypto": "USDT", "network": "TRC20"},
            format="json",
        ).json()["error"]["code"]
        == "limit_exceeded"
    )
    assert (
        person.post(
            "/api/fetch-buy-quotation",
            {"fiat_amount": "100", "crypto": "DOGE", "network": "TRC20"},
            format="json",
        ).status_code
        == 400
    )

    stale = quote()
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        expired = person.post(
            "/api/create-onramp-order",
            {"quote_id": stale["quote_id"], "wallet_address": TRON_WALLET},
            format="json",
        )
    assert (expired.status_code, expired.json()["error"]["code"]) == (409, "quote_expired")

    first = person.post(
        "/api/create-onramp-order",
        {"quote_id": quote()["quote_id"], "wallet_address": TRON_WALLET},
        format="json",
    ).json()
    second = person.post(
        "/api/create-onramp-order",
        {"quote_id": quote()["quote_id"], "wallet_address": TRON_WALLET},
        format="json",
    ).json()
    assert (
        person.post(
            "/api/update-utr", {"order_id": first["order_id"], "utr": "12345"}, format="json"
        ).status_code
        == 400
    )
    person.post(
        "/api/update-utr", {"order_id": first["order_id"], "utr": "123456789012"}, format="json"
    )
    dup = person.post(
        "/api/update-utr", {"order_id": second["order_id"], "utr": "123456789012"}, format="json"
    )
    assert (dup.status_code, dup.json()["error"]["code"]) == (409, "utr_already_used")


def test_another_persons_order_is_a_404(partner, staff, buyer, usdt):
    from ramp.services.quotes import quote_create

    quote = quote_create(
        user=buyer, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="2500"
    )
    alices = orders.order_create_onramp(user=buyer, quote_id=quote.pk, wallet_address=TRON_WALLET)
    person = client_with(login(partner[1], "other@example.com")["access_token"])

    response = person.post("/api/fetch-order-status", {"order_id": str(alices.pk)}, format="json")

    assert response.status_code == 404


def test_tokens_expire_after_an_hour(partner):
    token = login(partner[1])["access_token"]

    assert client_with(token).post("/api/fetch-kyc-status").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        response = client_with(token).post("/api/fetch-kyc-status")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_forged_tokens_and_other_partners_are_refused(partner, settings):
    token = login(partner[1])["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = jwt.encode(claims, "not-our-signing-key-but-long-enough-32b", algorithm="HS256")
    assert client_with(forged).post("/api/fetch-kyc-status").status_code == 401
    assert client_with("garbage").post("/api/fetch-kyc-status").status_code == 401
    assert APIClient().post("/api/fetch-kyc-status").status_code == 401

    other, other_key, _ = merchant_create(
        name="Rival", owner_email="x@rival.test", scopes=("partner",)
    )
    refused = client_with(other_key).post(
        "/api/user-login", {"email": "priya@example.com"}, format="json"
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    rival_claims = {**claims, "partner": str(other.pk)}
    from accounts.tokens import _key

    assert (
        client_with(jwt.encode(rival_claims, _key(), algorithm="HS256"))
        .post("/api/fetch-kyc-status")
        .status_code
        == 401
    )


def test_login_needs_a_partner_key(partner, db):
    merchant = partner[0]
    _, invoices_only = api_key_create(merchant=merchant, name="inv", scopes=["invoices"])

    assert (
        client_with(invoices_only)
        .post("/api/user-login", {"email": "a@b.test"}, format="json")
        .status_code
        == 403
    )
    assert (
        APIClient().post("/api/user-login", {"email": "a@b.test"}, format="json").status_code == 401
    )
    assert (
        client_with(partner[1])
        .post("/api/user-login", {"email": "nope"}, format="json")
        .status_code
        == 400
    )


def test_a_person_who_signed_up_directly_is_not_a_partners(partner, alice):
    response = client_with(partner[1]).post(
        "/api/user-login", {"email": alice.email}, format="json"
    )

    assert response.status_code == 403


def test_status_polling_is_throttled_with_retry_after(person, buy_order_of):
    order_id = buy_order_of(person)

    def poll():
        return person.post("/api/fetch-order-status", {"order_id": order_id}, format="json")

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert [poll().status_code for _ in range(3)] == [200, 200, 200]
        limited = poll()
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"
    with time_machine.travel(start + timedelta(seconds=11), tick=False):
        assert poll().status_code == 200


def test_partners_hear_about_their_peoples_orders(partner, person, buy_order_of):
    merchant = partner[0]
    merchant.partner_callback_url = "https://wallet.example.com/hooks"
    merchant.save()
    order_id = buy_order_of(person)

    person.post("/api/update-utr", {"order_id": order_id, "utr": "123456789012"}, format="json")

    delivery = WebhookDelivery.objects.get(merchant=merchant)
    assert delivery.event_type == "order.orderReceived"
    assert (
        delivery.payload["data"]["order_id"] == order_id
        and delivery.payload["data"]["utr"] == "123456789012"
    )


def test_a_person_gets_120_calls_a_minute_then_429_until_tokens_come_back(person):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        statuses = [person.post("/api/fetch-kyc-status").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429

    with time_machine.travel(start + timedelta(seconds=1), tick=False):
        assert person.post("/api/fetch-kyc-status").status_code == 200  # one token per 0.5 s


def test_a_token_stops_working_at_once_when_its_person_or_partner_is_switched_off(
    partner, django_assert_max_num_queries
):
    from accounts.models import User

    person = client_with(login(partner[1])["access_token"])
    assert person.post("/api/fetch-kyc-status").status_code == 200  # now cached
    with django_assert_max_num_queries(1):  # the KYC status itself, not the person or partner
        assert person.post("/api/fetch-kyc-status").status_code == 200

    merchant = partner[0]
    merchant.is_active = False
    merchant.save()  # as the admin does
    assert person.post("/api/fetch-kyc-status").status_code == 401

    merchant.is_active = True
    merchant.save()
    assert person.post("/api/fetch-kyc-status").status_code == 200
    someone = User.objects.get(email="priya@example.com")
    someone.is_active = False
    someone.save()
    assert person.post("/api/fetch-kyc-status").status_code == 401


@pytest.fixture
def buy_order_of(staff):
    def make(person_client):
        verified_person(person_client, staff)
        person_client.post("/api/link-upi-id", {"upi_id": "priya@okaxis"}, format="json")
        quote = person_client.post(
            "/api/fetch-buy-quotation",
            {"fiat_amount": "2500", "crypto": "USDT", "network": "TRC20"},
            format="json",
        ).json()
        return person_client.post(
            "/api/create-onramp-order",
            {"quote_id": quote["quote_id"], "wallet_address": TRON_WALLET},
            format="json",
        ).json()["order_id"]

    return make


def test_an_order_status_reaches_nobody_else_and_no_switched_off_partner(
    partner, person, buy_order_of
):
    order_id = buy_order_of(person)
    body = {"order_id": order_id}
    assert person.post("/api/fetch-order-status", body, format="json").status_code == 200
    stranger = client_with(login(partner[1], email="ravi@example.com")["access_token"])

    for _ in range(2):  # the second time, the stranger is a cached person too
        assert stranger.post("/api/fetch-order-status", body, format="json").status_code == 404
    assert person.post("/api/fetch-offramp-order-status", body, format="json").status_code == 404
    partner[0].is_active = False
    partner[0].save()
    assert person.post("/api/fetch-order-status", body, format="json").status_code == 401


# --- the gate in front of the views (ramp/api_gate.py) -------------------------------------------


@pytest.fixture
def gate_answers(monkeypatch):
    """How many calls the gate refused itself, before the rest of the stack."""
    from ramp import api_gate

    refused = []
    real = api_gate.rate_limited
    monkeypatch.setattr(api_gate, "rate_limited", lambda wait: refused.append(wait) or real(wait))
    return refused


def without_gate(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("ApiGateMiddleware")]


def test_a_refusal_at_the_gate_is_the_views_own_429(
    shared_cache, person, buy_order_of, gate_answers, settings, django_assert_num_queries, caplog
):
    body = {"order_id": buy_order_of(person)}
    assert [
        person.post("/api/fetch-order-status", body, format="json").status_code for _ in range(3)
    ] == [200] * 3

    with django_assert_num_queries(0):
        at_gate = person.post("/api/fetch-order-status", body, format="json")
    without_gate(settings)
    same_person = APIClient()  # a new client: the old one keeps the middleware it loaded
    same_person.credentials(**person._credentials)
    in_view = same_person.post("/api/fetch-order-status", body, format="json")

    assert len(gate_answers) == 1
    assert at_gate.status_code == in_view.status_code == 429
    assert at_gate.json() == in_view.json()
    assert at_gate.json()["error"]["message"].startswith("Request was throttled. Expected")
    assert at_gate["Retry-After"] == in_view["Retry-After"] == "10"
    assert at_gate["Content-Type"] == in_view["Content-Type"] == "application/json"
    # The limits working as meant are not an application warning (the access log has each call).
    assert not [r for r in caplog.records if r.name == "django.request" and r.status_code == 429]


def test_a_call_let_through_by_the_gate_takes_one_token_from_each_bucket(
    shared_cache, person, gate_answers, monkeypatch
):
    from ramp.throttles import PartnerRateThrottle

    monkeypatch.setattr(PartnerRateThrottle, "capacity", 5)
    monkeypatch.setattr(PartnerRateThrottle, "refill_seconds", 3600)

    statuses = [person.post("/api/fetch-kyc-status").status_code for _ in range(6)]

    # The first call caches the person (the view takes its token); the gate takes the next four.
    assert statuses == [200] * 5 + [429]
    assert len(gate_answers) == 1


def test_the_gate_leaves_to_the_view_what_it_cannot_vouch_for(
    shared_cache, partner, person, buy_order_of, gate_answers, monkeypatch
):
    from ramp.throttles import PartnerRateThrottle

    body = {"order_id": buy_order_of(person)}
    # A form body: the view parses it, and the limits hold the same.
    polls = [person.post("/api/fetch-order-status", body).status_code for _ in range(4)]
    assert polls == [200, 200, 200, 429]
    # An Accept the API does not answer: the view's 406 comes before any limit.
    for accept in ("text/html", "application/jsonp"):
        refused = person.post("/api/fetch-order-status", body, format="json", HTTP_ACCEPT=accept)
        assert refused.status_code == 406
    answered = person.post(
        "/api/fetch-order-status", body, format="json", HTTP_ACCEPT="text/html, application/*"
    )
    assert answered.status_code == 429
    assert len(gate_answers) == 1  # that last one only: the form body and the 406s were the view's

    # A switched-off person is not cached: the view's 401, and no token taken from the partner.
    monkeypatch.setattr(PartnerRateThrottle, "capacity", 1)
    monkeypatch.setattr(PartnerRateThrottle, "refill_seconds", 3600)
    someone = User.objects.get(email="priya@example.com")
    someone.is_active = False
    someone.save()
    assert [person.post("/api/fetch-kyc-status").status_code for _ in range(3)] == [401] * 3
    someone.is_active = True
    someone.save()
    assert person.post("/api/fetch-kyc-status").status_code == 200


def test_a_remembered_token_still_expires_and_needs_the_key_that_signed_it(partner, settings):
    from accounts import tokens

    token = login(partner[1])["access_token"]
    assert tokens.read(token) is not None  # verified once: remembered

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert tokens.read(token) is None
    settings.JWT_SIGNING_KEY = "a-new-signing-key-after-a-rotation-0123456789"
    assert tokens.read(token) is None


def test_the_memory_of_verified_tokens_is_bounded(partner, monkeypatch):
    from accounts import tokens
    from config.memory import Memory

    monkeypatch.setattr(tokens, "_verified", Memory(size=3))
    issued = [login(partner[1], f"p{i}@example.com")["access_token"] for i in range(5)]

    assert all(tokens.read(token) for token in issued)
    assert [token for token, _ in tokens._verified] == issued[2:]
    assert tokens.read(issued[0]) is not None  # forgotten, so verified again, and kept again
    assert [token for token, _ in tokens._verified] == [*issued[3:], issued[0]]
