import pytest
from django.urls import reverse

from ramp.models import BankAccount, UpiId
from ramp.services.destinations import bank_account_link, upi_id_link

pytestmark = pytest.mark.django_db

PAGE = reverse("ramp:payment_methods")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def alice_client(client, verified_alice):
    client.force_login(verified_alice, backend="accounts.backends.EmailCodeBackend")
    return client


def test_the_page_needs_sign_in(client):
    assert client.get(PAGE)["Location"].startswith(reverse("accounts:sign_in"))


def test_an_unverified_person_is_sent_to_verification_first(client, alice):
    client.force_login(alice, backend="accounts.backends.EmailCodeBackend")

    body = client.get(PAGE).content.decode()

    assert "Verify your identity first" in body
    assert 'name="account_number"' not in body


def test_linking_a_bank_account_through_the_page(alice_client):
    response = alice_client.post(
        PAGE, {"account_number": "123456789012", "ifsc": "HDFC0001234"}, headers=HTMX
    )

    assert response["HX-Redirect"] == PAGE
    body = alice_client.get(PAGE).content.decode()
    assert "is verified and linked" in body
    assert "•••• 9012" in body
    assert "123456789012" not in body


def test_linking_a_upi_id_without_javascript(alice_client):
    response = alice_client.post(PAGE, {"upi_id": "alice@okaxis"})

    assert response.status_code == 302
    assert UpiId.objects.get().vpa == "alice@okaxis"


def test_a_mismatch_is_shown_in_the_form_with_what_was_typed(alice_client):
    response = alice_client.post(
        PAGE, {"account_number": "999999990001", "ifsc": "SBIN0000001"}, headers=HTMX
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith("<form")
    assert "does not match your verified name" in body
    assert 'value="999999990001"' in body and 'value="SBIN0000001"' in body
    assert not BankAccount.objects.exists()


def test_a_bad_upi_id_is_explained_beside_the_field(alice_client):
    response = alice_client.post(PAGE, {"upi_id": "not-a-vpa"}, headers=HTMX)

    assert response.status_code == 400
    assert "A UPI ID looks like name@bank" in response.content.decode()


def test_a_provider_outage_asks_to_try_again(alice_client):
    response = alice_client.post(PAGE, {"upi_id": "timeout@sandbox"})

    assert response.status_code == 400
    assert "please try again in a few minutes" in response.content.decode()


@pytest.mark.parametrize(
    ("ifsc", "says"),
    [
        ("HDFC0001234", "HDFC Bank"),
        ("hdfc0", "5 of 11 characters"),
        ("HDFC1001234", "not an IFSC"),
        ("ZZZZ0001234", "Format looks right"),
    ],
)
def test_the_ifsc_hint_follows_what_is_typed(alice_client, ifsc, says):
    response = alice_client.get(reverse("ramp:ifsc_lookup"), {"ifsc": ifsc}, headers=HTMX)

    assert says in response.content.decode()


def test_making_default_and_removing_from_the_page(alice_client, verified_alice):
    first = bank_account_link(
        user=verified_alice, account_number="123456789012", ifsc="HDFC0001234"
    )
    second = bank_account_link(
        user=verified_alice, account_number="223456789012", ifsc="SBIN0001234"
    )

    alice_client.post(reverse("ramp:make_default", args=["bank", second.pk]))
    second.refresh_from_db()
    assert second.is_default

    response = alice_client.post(reverse("ramp:remove", args=["bank", first.pk]), headers=HTMX)
    assert response["HX-Redirect"] == PAGE
    body = alice_client.get(PAGE).content.decode()
    assert "•••• 9012 was removed." in body
    assert body.count('<li class="destination">') == 1


@pytest.mark.parametrize("action", ["ramp:make_default", "ramp:remove"])
def test_another_persons_destination_is_a_404(client, verified_alice, verified_bob, action):
    account = bank_account_link(
        user=verified_alice, account_number="123456789012", ifsc="HDFC0001234"
    )
    upi = upi_id_link(user=verified_alice, upi_id="alice@okaxis")
    client.force_login(verified_bob, backend="accounts.backends.EmailCodeBackend")

    assert client.post(reverse(action, args=["bank", account.pk])).status_code == 404
    assert client.post(reverse(action, args=["upi", upi.pk])).status_code == 404
    assert client.post(reverse(action, args=["card", upi.pk])).status_code == 404
    account.refresh_from_db()
    assert account.removed_at is None


def test_changes_need_a_post(alice_client, verified_alice):
    account = bank_account_link(
        user=verified_alice, account_number="123456789012", ifsc="HDFC0001234"
    )

    assert alice_client.get(reverse("ramp:remove", args=["bank", account.pk])).status_code == 405


def test_the_page_costs_the_same_queries_with_many_destinations(
    alice_client, verified_alice, django_assert_max_num_queries
):
    for n in range(6):
        bank_account_link(user=verified_alice, account_number=f"12345678901{n}", ifsc="HDFC0001234")
        upi_id_link(user=verified_alice, upi_id=f"alice{n}@okaxis")

    with django_assert_max_num_queries(8):
        response = alice_client.get(PAGE)
    assert response.content.decode().count("Make default") == 10
