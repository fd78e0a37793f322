from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When

from config.admin_site import is_staff_session
from kyc.models import KycStatus, KycSubmission


@dataclass(frozen=True)
class KycState:
    """Where a person stands: the fields SPEC §3 ``fetch-kyc-status`` returns, and more."""

    status: str
    level: str | None
    rejection_reason: str
    submission: KycSubmission | None

    @property
    def is_verified(self):
        return self.status == KycStatus.VERIFIED

    @property
    def can_submit(self):
        return self.status in (KycStatus.NOT_STARTED, KycStatus.REJECTED)

    @property
    def status_label(self):
        return KycStatus(self.status).label


def latest_submission(*, user):
    return (
        KycSubmission.objects.filter(user=user)
        .select_related("level")
        .order_by("-created_at")
        .first()
    )


def kyc_status_for(*, user) -> KycState:
    submission = latest_submission(user=user)
    if submission is None:
        return KycState(KycStatus.NOT_STARTED, None, "", None)
    return KycState(
        status=submission.status,
        level=submission.level.code if submission.level else None,
        rejection_reason=submission.rejection_reason,
        submission=submission,
    )


def review_queue():
    """Pending first, oldest first: the order staff work through submissions."""
    return (
        KycSubmission.objects.select_related("user", "level", "reviewed_by")
        .annotate(
            queue_rank=Case(
                When(status=KycStatus.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("queue_rank", "created_at")
    )


DOCUMENT_FIELDS = {"pan": "pan_image", "aadhaar": "aadhaar_image", "selfie": "selfie"}


def can_review(request):
    return is_staff_session(request) and request.user.has_perm("kyc.review_kycsubmission")


def document_for_viewer(*, request, submission_id, kind):
    """The document file if the viewer may see it (owner, or a KYC reviewer), else None."""
    field = DOCUMENT_FIELDS.get(kind)
    if field is None:
        return None
    submission = KycSubmission.objects.filter(pk=submission_id).only("user_id", field).first()
    if submission is None:
        return None
    viewer = request.user
    is_owner = viewer.is_authenticated and submission.user_id == viewer.pk
    if not is_owner and not (viewer.is_authenticated and can_review(request)):
        return None
    return getattr(submission, field)
