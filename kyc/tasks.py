from django.tasks import task

from config.mail import send_templated_mail
from kyc.models import KycStatus, KycSubmission


@task
def send_kyc_decision_email(*, submission_id):
    submission = KycSubmission.objects.select_related("user").get(pk=submission_id)
    template = "kyc_verified" if submission.status == KycStatus.VERIFIED else "kyc_rejected"
    send_templated_mail(
        template=template,
        to=submission.user.email,
        context={"submission": submission},
    )
