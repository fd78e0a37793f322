import re
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from kyc import services
from kyc.errors import (
    KycAlreadyPending,
    KycAlreadyVerified,
    KycFieldInvalid,
    KycPanTaken,
    KycTransitionRefused,
)
from kyc.models import KycEvent, KycStatus, KycSubmission
from kyc.selectors import kyc_status_for
from tests.kyc.documents import (
    VALID_AADHAAR,
    image_bytes,
    pdf_bytes,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_new_person_has_not_started(alice):
    state = kyc_status_for(user=alice)

    assert (state.status, state.level, state.rejection_reason) == ("NOT_STARTED", None, "")


def test_submitting_queues_the_person_for_review(alice):
    submission = submit(alice)

    assert submission.status == KycStatus.PENDING
    assert kyc_status_for(user=alice).status == "PENDING"
    event = KycEvent.objects.get(submission=submission)
    assert (event.from_status, event.to_status, event.actor) == ("NOT_STARTED", "PENDING", alice)


def test_only_the_last_four_aadhaar_digits_are_stored(alice):
    submission = submit(alice)

    assert submission.aadhaar_last4 == VALID_AADHAAR[-4:]
    row = KycSubmission.objects.filter(pk=submission.pk).values().get()
    assert not any(VALID_AADHAAR in str(value) for value in row.values())
    assert submission.aadhaar_masked == "XXXX XXXX 2346"


def test_documents_get_random_names_in_private_storage(alice, _private_storage):
    submission = submit(alice)

    names = [submission.pan_image.name, submission.aadhaar_image.name, submission.selfie.name]
    # Random (uuid4 hex) names with the sniffed type's extension; nothing of "pan.png"/"me.jpg".
    assert all(re.fullmatch(r"kyc/[0-9a-f]{32}\.(png|jpg)", name) for name in names), names
    assert len(set(names)) == 3
    assert sorted(p.name for p in stored_files(_private_storage)) == sorted(n[4:] for n in names)


def test_image_metadata_is_dropped(alice):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc"  # camera make
    exif[0x8825] = {2: (12.0, 58.0, 0.0)}  # GPS
    submit(alice, selfie=upload("me.jpg", image_bytes("JPEG", exif=exif.tobytes())))

    stored = KycSubmission.objects.get().selfie.open("rb").read()
    assert b"SpyCam" not in stored
    assert not Image.open(default_storage.open(KycSubmission.objects.get().selfie.name)).getexif()


def test_a_pdf_named_jpg_is_accepted_by_its_content(alice):
    submission = submit(alice, pan_image=upload("scan.jpg", pdf_bytes(), "image/jpeg"))

    assert submission.pan_image.name.endswith(".pdf")


def test_a_png_with_html_appended_is_neutralised(alice):
    polyglot = image_bytes("PNG") + b"<html><script>alert(document.cookie)</script></html>"

    submission = submit(alice, pan_image=upload("pan.png", polyglot, "image/png"))

    assert b"<script" not in submission.pan_image.open("rb").read()


@pytest.mark.parametrize(
    ("field", "file", "message"),
    [
        (
            "pan_image",
            upload("pan.png", b"\x89PNG\r\n\x1a\n<html><script>x</script></html>"),
            "damaged",
        ),
        (
            "pan_image",
            upload("pan.html", b"<html><body>hi</body></html>", "text/html"),
            "only JPEG",
        ),
        ("pan_image", upload("pan.png", b"plain text pretending", "image/png"), "only JPEG"),
        ("aadhaar_image", upload("a.jpg", image_bytes("JPEG")[:600], "image/jpeg"), "damaged"),
        (
            "aadhaar_image",
            upload("a.pdf", pdf_bytes(b"<< /S /JavaScript /JS (app.alert(1)) >>\n")),
            "scripts",
        ),
        ("aadhaar_image", upload("a.pdf", b"%PDF-1.4\nno end marker"), "incomplete"),
        ("selfie", upload("me.pdf", pdf_bytes()), "must be a photo"),
        ("selfie", upload("me.png", image_bytes("PNG", size=(50, 50))), "too small"),
        ("pan_image", upload("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024)), "5 MB"),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_kept(
    alice, _private_storage, field, file, message
):
    with pytest.raises(KycFieldInvalid, match=message) as error:
        submit(alice, **{field: file})

    assert error.value.field == field
    assert not KycSubmission.objects.exists()
    assert stored_files(_private_storage) == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"pan_number": "ABCPE1234"}, "pan_number", "10 characters"),
        ({"pan_number": "1BCPE1234F"}, "pan_number", "10 characters"),
        ({"pan_number": "ABCCE1234F"}, "pan_number", "personal PAN"),
        ({"aadhaar_number": "234123412345"}, "aadhaar_number", "not a valid Aadhaar"),
        ({"aadhaar_number": "12345678"}, "aadhaar_number", "not a valid Aadhaar"),
        ({"full_name": "R2-D2"}, "full_name", "full name"),
        ({"full_name": " "}, "full_name", "full name"),
    ],
)
def test_bad_fields_are_refused(alice, overrides, field, message):
    with pytest.raises(KycFieldInvalid, match=message) as error:
        submit(alice, **overrides)

    assert error.value.field == field
    assert not KycSubmission.objects.exists()


def test_pan_is_accepted_in_lower_case_with_spaces(alice):
    assert submit(alice, pan_number=" abcpe 1234f ").pan_number == "ABCPE1234F"


def test_people_under_eighteen_are_refused():
    today = date(2026, 11, 21)
    eighteenth_birthday_tomorrow = date(2008, 11, 22)

    with pytest.raises(KycFieldInvalid, match="at least 18"):
        services.validate_date_of_birth(eighteenth_birthday_tomorrow, today=today)
    assert services.validate_date_of_birth(date(2008, 11, 21), today=today)


def test_a_pending_person_cannot_submit_twice(alice):
    submit(alice)

    with pytest.raises(KycAlreadyPending):
        submit(alice)
    assert KycSubmission.objects.count() == 1


def test_a_verified_person_cannot_silently_replace_documents(alice, reviewer):
    services.kyc_approve(submission=submit(alice), reviewer=reviewer)

    with pytest.raises(KycAlreadyVerified):
        submit(alice)


def test_one_pan_belongs_to_one_account(alice, bob):
    submit(alice)

    with pytest.raises(KycPanTaken):
        submit(bob)


def test_approval_verifies_at_kyc_0_and_emails_the_person(
    alice, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    submission = submit(alice)

    with django_capture_on_commit_callbacks(execute=True):
        services.kyc_approve(submission=submission, reviewer=reviewer)

    state = kyc_status_for(user=alice)
    assert (state.status, state.level) == ("VERIFIED", "KYC_0")
    event = submission.events.last()
    assert (event.from_status, event.to_status, event.actor) == ("PENDING", "VERIFIED", reviewer)
    assert mailoutbox[-1].to == [alice.email]
    assert "verified" in mailoutbox[-1].subject


def test_rejection_needs_a_reason_the_person_then_sees(
    alice, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    submission = submit(alice)
    with pytest.raises(KycFieldInvalid):
        services.kyc_reject(submission=submission, reviewer=reviewer, reason="  ")

    with django_capture_on_commit_callbacks(execute=True):
        services.kyc_reject(
            submission=submission, reviewer=reviewer, reason="The PAN photo is blurred."
        )

    state = kyc_status_for(user=alice)
    assert (state.status, state.rejection_reason) == ("REJECTED", "The PAN photo is blurred.")
    assert "The PAN photo is blurred." in mailoutbox[-1].body


def test_a_rejected_person_may_submit_again(alice, reviewer):
    services.kyc_reject(submission=submit(alice), reviewer=reviewer, reason="Blurred.")

    again = submit(alice)

    assert again.status == KycStatus.PENDING
    assert again.events.get().from_status == "REJECTED"
    assert kyc_status_for(user=alice).rejection_reason == ""


def test_a_decision_is_taken_once(alice, reviewer):
    submission = submit(alice)
    services.kyc_approve(submission=submission, reviewer=reviewer)

    with pytest.raises(KycTransitionRefused):
        services.kyc_reject(submission=submission, reviewer=reviewer, reason="Too late")
    with pytest.raises(KycTransitionRefused):
        services.kyc_approve(submission=submission, reviewer=reviewer)
    assert submission.events.count() == 2


def test_a_submission_older_than_a_day_still_sorts_first_while_pending(alice, bob, reviewer):
    from kyc.selectors import review_queue

    older = submit(alice)
    KycSubmission.objects.filter(pk=older.pk).update(
        created_at=older.created_at - timedelta(days=1)
    )
    services.kyc_approve(submission=older, reviewer=reviewer)
    newer = submit(bob, pan_number="BBBPB2222B")

    assert list(review_queue()) == [newer, older]
