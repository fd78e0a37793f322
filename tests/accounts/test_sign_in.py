import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.errors import SignInCodeExpired, SignInCodeInvalid, SignInRateLimited
from accounts.models import SignInCode, User

pytestmark = pytest.mark.django_db


def code_from(mail):
    return re.search(r"\b(\d{6})\b", mail.body).group(1)


def request_code(client, email="dana@example.com"):
    return client.post(reverse("accounts:sign_in"), {"email": email})


# --- service -------------------------------------------------------------------------------


def test_it_emails_a_six_digit_code_and_stores_only_its_hash(mailoutbox):
    services.sign_in_code_request(email="Dana@Example.com ", ip="10.0.0.1")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["dana@example.com"]
    code = code_from(mail)
    assert code in mail.subject
    assert mail.alternatives[0].mimetype == "text/html"
    stored = SignInCode.objects.get()
    assert code not in stored.code_hash
    assert stored.expires_at - stored.created_at == timedelta(minutes=10)


def test_a_new_email_becomes_a_user_on_first_successful_sign_in(mailoutbox):
    services.sign_in_code_request(email="new@example.com")
    assert not User.objects.filter(email="new@example.com").exists()

    user = services.sign_in_code_verify(email="NEW@example.com", code=code_from(mailoutbox[0]))

    assert user.email == "new@example.com"
    assert not user.has_usable_password()


def test_a_code_works_once(mailoutbox):
    services.sign_in_code_request(email="dana@example.com")
    code = code_from(mailoutbox[0])
    services.sign_in_code_verify(email="dana@example.com", code=code)

    with pytest.raises(SignInCodeExpired):
        services.sign_in_code_verify(email="dana@example.com", code=code)


def test_a_code_expires_after_ten_minutes(mailoutbox):
    services.sign_in_code_request(email="dana@example.com")
    code = code_from(mailoutbox[0])

    with (
        time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)),
        pytest.raises(SignInCodeExpired, match="expired"),
    ):
        services.sign_in_code_verify(email="dana@example.com", code=code)


def test_five_wrong_tries_burn_the_code(mailoutbox):
    services.sign_in_code_request(email="dana@example.com")
    code = code_from(mailoutbox[0])
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    for tries_left in (4, 3, 2, 1):
        with pytest.raises(SignInCodeInvalid) as error:
            services.sign_in_code_verify(email="dana@example.com", code=wrong)
        assert error.value.details["tries_left"] == tries_left
    with pytest.raises(SignInCodeInvalid, match="Ask for a new code"):
        services.sign_in_code_verify(email="dana@example.com", code=wrong)

    with pytest.raises(SignInCodeExpired, match="Too many wrong tries"):
        services.sign_in_code_verify(email="dana@example.com", code=code)
    assert SignInCode.objects.get().attempts == 5


def test_a_code_for_one_email_does_not_sign_in_another(mailoutbox):
    services.sign_in_code_request(email="dana@example.com")
    services.sign_in_code_request(email="eve@example.com")
    dana_code = code_from(mailoutbox[0])

    with pytest.raises(SignInCodeInvalid):
        services.sign_in_code_verify(email="eve@example.com", code=dana_code)


def test_resend_waits_for_the_cooldown_and_retires_the_old_code(mailoutbox):
    services.sign_in_code_request(email="dana@example.com")
    first = code_from(mailoutbox[0])

    with pytest.raises(SignInRateLimited, match="seconds"):
        services.sign_in_code_request(email="dana@example.com")

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        services.sign_in_code_request(email="dana@example.com")
        second = code_from(mailoutbox[1])
        if first != second:
            with pytest.raises(SignInCodeInvalid):
                services.sign_in_code_verify(email="dana@example.com", code=first)
        assert services.sign_in_code_verify(email="dana@example.com", code=second)


def test_a_new_code_goes_at_once_when_the_last_was_used_or_burnt(mailoutbox):
    services.sign_in_code_request(email="dana@example.com")
    services.sign_in_code_verify(email="dana@example.com", code=code_from(mailoutbox[0]))

    services.sign_in_code_request(email="dana@example.com")  # now on a second device
    code = code_from(mailoutbox[1])
    for _ in range(services.MAX_ATTEMPTS):
        with pytest.raises(SignInCodeInvalid):
            services.sign_in_code_verify(
                email="dana@example.com", code=f"{(int(code) + 1) % 10**6:06d}"
            )

    services.sign_in_code_request(email="dana@example.com")  # "Ask for a new code" works
    assert len(mailoutbox) == 3
    assert services.sign_in_code_verify(email="dana@example.com", code=code_from(mailoutbox[2]))


def test_codes_per_email_are_capped_per_hour(mailoutbox):
    start = timezone.now()
    for minute in range(5):
        with time_machine.travel(start + timedelta(minutes=2 * minute)):
            services.sign_in_code_request(email="dana@example.com")

    with (
        time_machine.travel(start + timedelta(minutes=12)),
        pytest.raises(SignInRateLimited, match="an hour"),
    ):
        services.sign_in_code_request(email="dana@example.com")
    with time_machine.travel(start + timedelta(minutes=70)):
        services.sign_in_code_request(email="dana@example.com")


def test_codes_per_ip_are_capped_per_hour(mailoutbox):
    for n in range(services.MAX_CODES_PER_IP_PER_HOUR):
        services.sign_in_code_request(email=f"user{n}@example.com", ip="203.0.113.9")

    with pytest.raises(SignInRateLimited, match="your network"):
        services.sign_in_code_request(email="another@example.com", ip="203.0.113.9")
    services.sign_in_code_request(email="another@example.com", ip="203.0.113.10")


# --- pages ---------------------------------------------------------------------------------


def test_signing_in_through_the_pages(client, mailoutbox):
    response = request_code(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in_code")
    page = client.get(response["Location"])
    assert b"dana@example.com" in page.content

    before = client.session.session_key
    response = client.post(reverse("accounts:sign_in_code"), {"code": code_from(mailoutbox[0])})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account")
    assert client.session.session_key != before  # a planted session id is worthless
    assert client.get(reverse("accounts:account")).context["user"].email == "dana@example.com"


def test_a_wrong_code_is_explained_on_the_same_form(client, mailoutbox):
    request_code(client)
    code = code_from(mailoutbox[0])

    response = client.post(
        reverse("accounts:sign_in_code"), {"code": f"{(int(code) + 1) % 10**6:06d}"}
    )

    assert response.status_code == 200
    assert "That code is not right. 4 tries left." in response.content.decode()
    assert b"dana@example.com" in response.content
    assert "_auth_user_id" not in client.session


def test_a_malformed_code_is_refused_by_the_form(client, mailoutbox):
    request_code(client)

    response = client.post(reverse("accounts:sign_in_code"), {"code": "12ab"})

    assert "Enter the 6 digits from the e-mail." in response.content.decode()
    assert SignInCode.objects.get().attempts == 0


def test_asking_again_within_a_minute_goes_to_the_code_already_sent(client, mailoutbox):
    from django.test import Client

    request_code(Client())  # a tab since closed, or another device
    code = code_from(mailoutbox[0])

    response = request_code(client, "Dana@Example.com ")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in_code")
    page = client.get(response["Location"]).content.decode()
    assert "We sent a code to dana@example.com under a minute ago: enter it here." in page
    wait = int(re.search(r'data-enabled-in="(\d+)"', page).group(1))
    assert 0 < wait <= 60  # "Send a new code" waits out what is left of the minute
    assert len(mailoutbox) == 1  # no second code: the first is still the one
    client.post(reverse("accounts:sign_in_code"), {"code": code})
    assert client.get(reverse("accounts:account")).context["user"].email == "dana@example.com"


def test_the_hourly_cap_is_shown_on_the_email_form_with_the_email_kept(client, mailoutbox):
    start = timezone.now()
    for minute in range(services.MAX_CODES_PER_EMAIL_PER_HOUR):
        with time_machine.travel(start + timedelta(minutes=2 * minute)):
            request_code(client)

    with time_machine.travel(start + timedelta(minutes=12)):
        response = request_code(client)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Too many codes were requested for this e-mail." in body
    assert 'value="dana@example.com"' in body


def test_send_a_new_code_counts_down_the_minute(client, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        request_code(client)
        page = client.get(reverse("accounts:sign_in_code")).content.decode()
        assert 'data-enabled-in="60"' in page
        response = client.post(reverse("accounts:sign_in_code_resend"), follow=True)
        assert "You can ask for another in 60 seconds." in response.content.decode()
        assert len(mailoutbox) == 1
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        response = client.post(reverse("accounts:sign_in_code_resend"), follow=True)
        page = response.content.decode()
        assert "A new code is on its way to dana@example.com." in page
        assert 'data-enabled-in="60"' in page  # and the next one waits a minute again
        assert len(mailoutbox) == 2
    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        assert (
            "data-enabled-in" not in client.get(reverse("accounts:sign_in_code")).content.decode()
        )


def test_an_invalid_email_is_refused(client, mailoutbox):
    response = client.post(reverse("accounts:sign_in"), {"email": "not-an-email"})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert mailoutbox == []


def test_next_is_followed_only_within_the_site(client, mailoutbox):
    client.post(reverse("accounts:sign_in"), {"email": "dana@example.com", "next": "/kyc/"})
    response = client.post(reverse("accounts:sign_in_code"), {"code": code_from(mailoutbox[0])})
    assert response["Location"] == "/kyc/"

    client.post(reverse("accounts:sign_out"))
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        client.post(
            reverse("accounts:sign_in"),
            {"email": "dana@example.com", "next": "https://evil.example.com/"},
        )
        response = client.post(reverse("accounts:sign_in_code"), {"code": code_from(mailoutbox[1])})
    assert response["Location"] == reverse("accounts:account")


def test_code_page_without_an_email_goes_back_to_step_one(client):
    response = client.get(reverse("accounts:sign_in_code"))

    assert response["Location"] == reverse("accounts:sign_in")


def test_sign_out_needs_a_post(client, alice):
    client.force_login(alice, backend="accounts.backends.EmailCodeBackend")

    assert client.get(reverse("accounts:sign_out")).status_code == 405
    client.post(reverse("accounts:sign_out"))
    assert "_auth_user_id" not in client.session


def test_account_page_needs_sign_in(client):
    response = client.get(reverse("accounts:account"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_forms_are_csrf_protected(alice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    assert strict.post(reverse("accounts:sign_in"), {"email": "x@example.com"}).status_code == 403
