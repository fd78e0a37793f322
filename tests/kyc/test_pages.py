import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from kyc.models import KycSubmission
from tests.kyc.documents import VALID_AADHAAR, good_documents, submit

pytestmark = pytest.mark.django_db

CODE_BACKEND = "accounts.backends.EmailCodeBackend"
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def form_data(**overrides):
    return {
        "full_name": "Alice Kumar",
        "date_of_birth": "1990-05-17",
        "pan_number": "ABCPE1234F",
        "aadhaar_number": VALID_AADHAAR,
        **good_documents(),
        **overrides,
    }


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice, backend=CODE_BACKEND)
    return client


def test_the_kyc_page_needs_sign_in(client):
    response = client.get(reverse("kyc:status"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_a_new_person_sees_what_to_prepare_and_the_form(alice_client):
    body = alice_client.get(reverse("kyc:status")).content.decode()

    assert "Not started" in body
    assert "masked" in body
    assert 'name="aadhaar_number"' in body
    assert 'enctype="multipart/form-data"' in body


def test_submitting_the_form_shows_pending(alice_client):
    response = alice_client.post(reverse("kyc:status"), form_data())

    assert response.status_code == 302
    body = alice_client.get(reverse("kyc:status")).content.decode()
    assert "Pending review" in body
    assert "XXXX XXXX 2346" in body
    assert VALID_AADHAAR not in body
    assert 'hx-trigger="every 15s"' in body
    assert 'name="aadhaar_number"' not in body


def test_submitting_with_htmx_redirects_the_browser(alice_client):
    response = alice_client.post(reverse("kyc:status"), form_data(), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("kyc:status")


def test_a_bad_field_is_explained_and_what_was_typed_is_kept(alice_client):
    response = alice_client.post(
        reverse("kyc:status"), form_data(pan_number="ABCPE12345", full_name="Alice Kumar")
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "A PAN has 10 characters" in body
    assert 'value="Alice Kumar"' in body
    assert "files have to be chosen again" in body
    assert not KycSubmission.objects.exists()


def test_every_typed_mistake_is_explained_at_once(alice_client):
    response = alice_client.post(
        reverse("kyc:status"),
        form_data(
            full_name="Alice 4",
            date_of_birth="2020-01-01",
            pan_number="ABCCE1234F",
            aadhaar_number="2341 2341 2345",
        ),
    )

    assert response.status_code == 400
    body = response.content.decode()
    for message in (
        "Enter your full name as printed on your PAN card",
        "You must be at least 18 years old",
        "This PAN belongs to a company or other entity",
        "This is not a valid Aadhaar number",
    ):
        assert message in body
    assert not KycSubmission.objects.exists()


def test_a_bad_document_is_explained_beside_its_field_with_htmx(alice_client):
    response = alice_client.post(
        reverse("kyc:status"),
        form_data(selfie=good_documents()["selfie"].__class__("x.png", b"nope", "image/png")),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="kyc-form">')
    assert "Selfie: only JPEG, PNG or PDF files are accepted." in body


def test_a_second_submission_while_pending_is_refused_with_a_message(alice_client, alice):
    submit(alice)

    response = alice_client.post(reverse("kyc:status"), form_data())

    assert response.status_code == 400
    assert "already being reviewed" in response.content.decode()
    assert KycSubmission.objects.count() == 1


def test_the_status_fragment_polls_while_pending(alice_client, alice):
    submit(alice)

    response = alice_client.get(reverse("kyc:status"), headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="kyc-status"')
    assert "<html" not in body


def test_a_rejected_person_sees_the_reason_and_a_prefilled_form(alice_client, alice, reviewer):
    from kyc.services import kyc_reject

    kyc_reject(submission=submit(alice), reviewer=reviewer, reason="Selfie is too dark.")

    body = alice_client.get(reverse("kyc:status")).content.decode()

    assert "Selfie is too dark." in body
    assert 'value="Alice Kumar"' in body
    assert VALID_AADHAAR not in body


# --- documents: who may see them -----------------------------------------------------------


def document_url(submission, kind="pan"):
    return reverse("kyc:document", args=[submission.pk, kind])


def test_the_owner_sees_their_document_safely(alice_client, alice):
    submission = submit(alice)

    response = alice_client.get(document_url(submission))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize("kind", ["pan", "aadhaar", "selfie"])
def test_another_user_gets_a_404_for_every_document(client, alice, bob, kind):
    submission = submit(alice)
    client.force_login(bob, backend=CODE_BACKEND)

    assert client.get(document_url(submission, kind)).status_code == 404


def test_an_anonymous_visitor_gets_a_404(client, alice):
    submission = submit(alice)

    assert client.get(document_url(submission)).status_code == 404


def test_staff_without_the_review_permission_get_a_404(client, alice):
    submission = submit(alice)
    clerk = User.objects.create_user("clerk@example.com", "clerk password 2026!", is_staff=True)
    client.force_login(clerk, backend=PASSWORD_BACKEND)

    assert client.get(document_url(submission)).status_code == 404


def test_a_kyc_reviewer_sees_documents(reviewer_client, alice):
    submission = submit(alice)

    assert reviewer_client.get(document_url(submission, "selfie")).status_code == 200


def test_a_reviewer_signed_in_by_emailed_code_gets_a_404(client, alice, reviewer):
    submission = submit(alice)
    client.force_login(reviewer, backend=CODE_BACKEND)

    assert client.get(document_url(submission)).status_code == 404


def test_a_non_staff_user_holding_the_permission_gets_a_404(client, alice, bob):
    submission = submit(alice)
    bob.user_permissions.add(Permission.objects.get(codename="review_kycsubmission"))
    client.force_login(bob, backend=PASSWORD_BACKEND)

    assert client.get(document_url(submission)).status_code == 404


def test_unknown_document_kinds_and_submissions_are_404(alice_client, alice):
    submission = submit(alice)

    assert alice_client.get(document_url(submission, "passport")).status_code == 404
    assert alice_client.get(f"/kyc/documents/{submission.pk}/../pan/").status_code == 404
    assert (
        alice_client.get(
            reverse("kyc:document", args=["00000000-0000-0000-0000-000000000000", "pan"])
        ).status_code
        == 404
    )


def test_documents_are_not_under_any_public_url(alice_client, alice):
    name = submit(alice).pan_image.name

    for url in (f"/media/{name}", f"/static/{name}", f"/{name}", f"/no-public-media/{name}"):
        assert alice_client.get(url).status_code == 404
