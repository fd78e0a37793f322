"""
KYC: submit, approve, reject. Every status change is a conditional update plus a ``KycEvent``.
"""

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.in_ import aadhaar, pan

from config.errors import require_colleague
from kyc import tasks
from kyc.documents import clean_document
from kyc.errors import (
    KycAlreadyPending,
    KycAlreadyVerified,
    KycFieldInvalid,
    KycPanTaken,
    KycSelfReview,
    KycTransitionRefused,
)
from kyc.levels import VERIFIED_LEVEL, ensure_level
from kyc.models import KycEvent, KycLevel, KycStatus, KycSubmission

MINIMUM_AGE = 18
_NAME = re.compile(r"^[^\W\d_]+(?:[ .'\-][^\W\d_]*)*$")


def validate_full_name(value):
    name = " ".join((value or "").split())
    if not 2 <= len(name) <= 120 or not _NAME.match(name):
        raise KycFieldInvalid(
            "Enter your full name as printed on your PAN card (letters, spaces, . ' - only).",
            field="full_name",
        )
    return name


def validate_date_of_birth(value, *, today=None):
    today = today or timezone.localdate()
    if not isinstance(value, date):
        raise KycFieldInvalid("Enter your date of birth as YYYY-MM-DD.", field="date_of_birth")
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < MINIMUM_AGE:
        raise KycFieldInvalid(
            f"You must be at least {MINIMUM_AGE} years old to use this service.",
            field="date_of_birth",
        )
    if age > 120:
        raise KycFieldInvalid("Check the year of your date of birth.", field="date_of_birth")
    return value


def validate_pan(value):
    try:
        number = pan.validate(value or "")
    except StdnumError as error:
        raise KycFieldInvalid(
            "A PAN has 10 characters: 5 letters, 4 digits, 1 letter (e.g. ABCPE1234F).",
            field="pan_number",
        ) from error
    if number[3] != "P":
        raise KycFieldInvalid(
            "This PAN belongs to a company or other entity; enter your personal PAN "
            "(its 4th letter is P).",
            field="pan_number",
        )
    return number


def validate_aadhaar(value):
    """Return only the last 4 digits: the full number never leaves this function."""
    try:
        number = aadhaar.validate(value or "")
    except StdnumError as error:
        raise KycFieldInvalid(
            "This is not a valid Aadhaar number: check the 12 digits.", field="aadhaar_number"
        ) from error
    return number[-4:]


def _record(submission, *, from_status, to_status, actor=None, reason=""):
    KycEvent.objects.create(
        submission=submission,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
    )


def kyc_submit(
    *,
    user,
    full_name,
    date_of_birth,
    pan_number,
    aadhaar_number,
    pan_image,
    aadhaar_image,
    selfie,
) -> KycSubmission:
    """Check everything, store the documents privately and queue the submission for review."""
    checks = {
        "full_name": lambda: validate_full_name(full_name),
        "date_of_birth": lambda: validate_date_of_birth(date_of_birth),
        "pan_number": lambda: validate_pan(pan_number),
        "aadhaar_last4": lambda: validate_aadhaar(aadhaar_number),
        "pan_image": lambda: clean_document(pan_image, label="PAN card image", field="pan_image"),
        "aadhaar_image": lambda: clean_document(
            aadhaar_image, label="Masked Aadhaar image", field="aadhaar_image"
        ),
        "selfie": lambda: _clean_selfie(selfie),
    }
    cleaned, failed = {}, []
    for name, check in checks.items():  # every field is checked: all mistakes are told at once
        try:
            cleaned[name] = check()
        except KycFieldInvalid as error:
            failed.append(error)
    if len(failed) == 1:
        raise failed[0]
    if failed:
        raise KycFieldInvalid(errors={error.field: error.message for error in failed})
    documents = {name: cleaned.pop(name) for name in ("pan_image", "aadhaar_image", "selfie")}
    fields = cleaned

    previous = (
        KycSubmission.objects.filter(user=user).order_by("-created_at").values("status").first()
    )
    previous_status = previous["status"] if previous else KycStatus.NOT_STARTED
    _refuse_if_live(previous_status)

    submission = KycSubmission(user=user, status=KycStatus.PENDING, **fields)
    try:
        with transaction.atomic():
            for name, document in documents.items():
                getattr(submission, name).save(document.content.name, document.content, save=False)
            submission.save(force_insert=True)
            _record(
                submission, from_status=previous_status, to_status=KycStatus.PENDING, actor=user
            )
    except IntegrityError as error:
        _delete_files(submission)
        current = KycSubmission.objects.filter(
            user=user, status__in=[KycStatus.PENDING, KycStatus.VERIFIED]
        ).first()
        if current:
            _refuse_if_live(current.status)
        raise KycPanTaken() from error
    except BaseException:
        _delete_files(submission)
        raise
    return submission


def _clean_selfie(selfie):
    document = clean_document(selfie, label="Selfie", field="selfie")
    if document.extension == "pdf":
        raise KycFieldInvalid("The selfie must be a photo (JPEG or PNG).", field="selfie")
    return document


def _refuse_if_live(status):
    if status == KycStatus.PENDING:
        raise KycAlreadyPending()
    if status == KycStatus.VERIFIED:
        raise KycAlreadyVerified()


def _delete_files(submission):
    for name in ("pan_image", "aadhaar_image", "selfie"):
        document = getattr(submission, name)
        if document.name:
            document.storage.delete(document.name)


def _decide(*, submission, reviewer, to_status, reason="", **changes):
    require_colleague(reviewer, submission.user_id, refusal=KycSelfReview)
    now = timezone.now()
    with transaction.atomic():
        changed = KycSubmission.objects.filter(pk=submission.pk, status=KycStatus.PENDING).update(
            status=to_status, reviewed_at=now, reviewed_by=reviewer, **changes
        )
        if not changed:
            raise KycTransitionRefused()
        _record(
            submission,
            from_status=KycStatus.PENDING,
            to_status=to_status,
            actor=reviewer,
            reason=reason,
        )
        transaction.on_commit(
            lambda: tasks.send_kyc_decision_email.enqueue(submission_id=str(submission.pk)),
            robust=True,  # the decision stands if the queue is down; the mail is what is lost
        )
    submission.refresh_from_db()
    return submission


def kyc_approve(*, submission, reviewer) -> KycSubmission:
    level = ensure_level(KycLevel, VERIFIED_LEVEL)
    return _decide(
        submission=submission,
        reviewer=reviewer,
        to_status=KycStatus.VERIFIED,
        level=level,
        rejection_reason="",
    )


def kyc_reject(*, submission, reviewer, reason) -> KycSubmission:
    reason = (reason or "").strip()
    if not reason:
        raise KycFieldInvalid("Give the person a reason they can act on.", field="reason")
    return _decide(
        submission=submission,
        reviewer=reviewer,
        to_status=KycStatus.REJECTED,
        reason=reason,
        rejection_reason=reason,
    )
