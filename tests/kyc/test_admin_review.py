import pytest
from django.urls import reverse

from accounts.models import User
from kyc.models import KycStatus
from kyc.selectors import kyc_status_for
from tests.kyc.documents import submit

pytestmark = pytest.mark.django_db


def change_url(submission):
    return reverse("admin:kyc_kycsubmission_change", args=[submission.pk])


def test_the_queue_lists_pending_submissions_first(reviewer_client, alice, bob, reviewer):
    from kyc.services import kyc_approve

    kyc_approve(submission=submit(alice), reviewer=reviewer)
    pending = submit(bob, pan_number="BBBPB2222B")

    response = reviewer_client.get(reverse("admin:kyc_kycsubmission_changelist"))

    assert response.status_code == 200
    assert next(iter(response.context["cl"].result_list)) == pending


@pytest.mark.parametrize("term", ["alice@example.com", "ABCPE1234F", "Kumar"])
def test_the_queue_is_searchable_by_email_pan_and_name(reviewer_client, alice, term):
    submission = submit(alice)

    response = reviewer_client.get(reverse("admin:kyc_kycsubmission_changelist"), {"q": term})

    assert list(response.context["cl"].result_list) == [submission]


def test_the_review_page_shows_documents_through_the_protected_view(reviewer_client, alice):
    submission = submit(alice)

    body = reviewer_client.get(change_url(submission)).content.decode()

    for kind in ("pan", "aadhaar", "selfie"):
        assert reverse("kyc:document", args=[submission.pk, kind]) in body
    assert "XXXX XXXX 2346" in body
    assert "Approve" in body and "Reject" in body


def test_a_reviewer_approves_from_the_review_page(
    reviewer_client, alice, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    submission = submit(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            reverse("admin:kyc_kycsubmission_approve", args=[submission.pk])
        )

    assert response.status_code == 302
    assert kyc_status_for(user=alice).status == KycStatus.VERIFIED
    assert submission.events.last().actor == reviewer
    assert mailoutbox[-1].to == [alice.email]


def test_rejecting_asks_for_a_reason(
    reviewer_client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    submission = submit(alice)
    url = reverse("admin:kyc_kycsubmission_reject", args=[submission.pk])

    assert reviewer_client.get(url).status_code == 200
    response = reviewer_client.post(url, {"reason": ""})
    assert "Give the person a reason" in response.content.decode()
    assert kyc_status_for(user=alice).status == KycStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(url, {"reason": "PAN photo is cut off."})

    assert kyc_status_for(user=alice).rejection_reason == "PAN photo is cut off."
    assert "PAN photo is cut off." in mailoutbox[-1].body


def test_approving_twice_says_the_state_changed(reviewer_client, alice):
    submission = submit(alice)
    url = reverse("admin:kyc_kycsubmission_approve", args=[submission.pk])
    reviewer_client.post(url)

    response = reviewer_client.post(url, follow=True)

    assert "no longer pending review" in response.content.decode()
    assert submission.events.count() == 2


def test_bulk_approval_calls_the_same_service(reviewer_client, alice, bob):
    first, second = submit(alice), submit(bob, pan_number="BBBPB2222B")

    reviewer_client.post(
        reverse("admin:kyc_kycsubmission_changelist"),
        {"action": "approve_selected", "_selected_action": [first.pk, second.pk]},
    )

    assert kyc_status_for(user=alice).status == KycStatus.VERIFIED
    assert kyc_status_for(user=bob).level == "KYC_0"


def test_nobody_reviews_their_own_verification(reviewer_client, reviewer, alice):
    own = submit(reviewer, full_name="Rita Reviewer", pan_number="RITPR1234R")
    other = submit(alice)

    response = reviewer_client.post(
        reverse("admin:kyc_kycsubmission_approve", args=[own.pk]), follow=True
    )
    assert "another reviewer" in response.content.decode()
    response = reviewer_client.post(
        reverse("admin:kyc_kycsubmission_changelist"),
        {"action": "approve_selected", "_selected_action": [own.pk, other.pk]},
        follow=True,
    )

    assert "Approved 1 submission(s); 1 could not be" in response.content.decode()
    assert kyc_status_for(user=reviewer).status == KycStatus.PENDING
    assert kyc_status_for(user=alice).status == KycStatus.VERIFIED
    reject = reverse("admin:kyc_kycsubmission_reject", args=[own.pk])
    assert "another reviewer" in reviewer_client.post(reject, {"reason": "x"}).content.decode()
    assert own.events.count() == 1  # submitted, nothing decided


def test_staff_without_the_review_permission_cannot_decide(client, alice):
    from django.contrib.auth.models import Permission

    submission = submit(alice)
    clerk = User.objects.create_user("clerk@example.com", "clerk password 2026!", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_kycsubmission"))
    client.force_login(clerk, backend="django.contrib.auth.backends.ModelBackend")

    assert "Approve" not in client.get(change_url(submission)).content.decode()
    response = client.post(reverse("admin:kyc_kycsubmission_approve", args=[submission.pk]))
    assert response.status_code == 403
    assert kyc_status_for(user=alice).status == KycStatus.PENDING


def test_the_reviewers_group_has_only_what_reviewing_needs():
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="KYC reviewers").permissions.values_list("codename", flat=True)
    )

    assert codenames == {
        "view_kycsubmission",
        "review_kycsubmission",
        "view_kycevent",
        "view_kyclevel",
    }
