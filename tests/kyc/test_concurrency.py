"""Races that real people and real staff produce: double submits, two reviewers at once."""

import pytest

from accounts import services as sign_in
from accounts.errors import SignInCodeRecentlySent
from accounts.models import SignInCode, User
from kyc import services
from kyc.errors import KycAlreadyPending, KycTransitionRefused
from kyc.models import KycEvent, KycSubmission
from tests.concurrency import postgres_only, race
from tests.kyc.documents import submit

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_parallel_submissions_by_one_person_create_one(alice):
    outcomes = race(lambda i: submit(alice), threads=8)

    assert [kind for kind, _ in outcomes].count("ok") == 1
    errors = [value for kind, value in outcomes if kind == "error"]
    assert all(isinstance(error, KycAlreadyPending) for error in errors)
    assert KycSubmission.objects.count() == 1


def test_two_reviewers_deciding_at_once_make_one_decision(alice):
    submission = submit(alice)
    reviewers = [
        User.objects.create_user(f"reviewer{i}@example.com", is_staff=True) for i in range(6)
    ]

    def decide(i):
        if i % 2:
            return services.kyc_approve(submission=submission, reviewer=reviewers[i])
        return services.kyc_reject(submission=submission, reviewer=reviewers[i], reason="No")

    outcomes = race(decide, threads=6)

    assert [kind for kind, _ in outcomes].count("ok") == 1
    assert all(
        isinstance(value, KycTransitionRefused) for kind, value in outcomes if kind == "error"
    )
    assert KycEvent.objects.filter(submission=submission, from_status="PENDING").count() == 1


def test_a_code_guessed_right_by_many_tabs_signs_in_once(mailoutbox):
    import re

    sign_in.sign_in_code_request(email="dana@example.com")
    code = re.search(r"\b(\d{6})\b", mailoutbox[0].body).group(1)

    outcomes = race(
        lambda i: sign_in.sign_in_code_verify(email="dana@example.com", code=code), threads=8
    )

    assert [kind for kind, _ in outcomes].count("ok") == 1
    assert User.objects.filter(email="dana@example.com").count() == 1


def test_parallel_code_requests_for_one_address_send_one_code(mailoutbox):
    # Each request checked the limits before any had written its code: eight tabs (or a script
    # mail-bombing someone) each sent one, past the per-address limits. Now one code is in play
    # per address (a constraint) and the others are told it was just sent.
    outcomes = race(lambda i: sign_in.sign_in_code_request(email="dana@example.com"), threads=8)

    assert [kind for kind, _ in outcomes].count("ok") == 1
    errors = [value for kind, value in outcomes if kind == "error"]
    assert all(isinstance(error, SignInCodeRecentlySent) for error in errors)
    assert len(mailoutbox) == 1
    assert SignInCode.objects.filter(email="dana@example.com").count() == 1
