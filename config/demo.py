"""A verified demo customer for the embedded default, so a newcomer can buy at once."""

import hashlib
import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.models import User
from kyc.selectors import kyc_status_for
from kyc.services import kyc_approve, kyc_submit
from ramp.models import BankAccount, UpiId
from ramp.services.destinations import bank_account_link, upi_id_link

DEMO_EMAIL = "demo@example.com"
DEMO_NAME = "Asha Demo"


def _document(label):
    image = Image.new("RGB", (640, 400), (235, 240, 255))
    ImageDraw.Draw(image).text((40, 180), f"DEMO {label} — not a real document", fill=(20, 30, 80))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{label}.png", buffer.getvalue(), content_type="image/png")


def ensure_demo_customer(*, reviewer, email=DEMO_EMAIL, pan="DEMPA1234D", upi=None, account=None):
    customer = User.objects.get_or_create_for_email(email)
    state = kyc_status_for(user=customer)
    if state.status in ("NOT_STARTED", "REJECTED"):
        submission = kyc_submit(
            user=customer,
            full_name=DEMO_NAME,
            date_of_birth=date(1990, 1, 1),
            pan_number=pan,
            aadhaar_number="234123412346",
            pan_image=_document("PAN"),
            aadhaar_image=_document("AADHAAR"),
            selfie=_document("SELFIE"),
        )
        kyc_approve(submission=submission, reviewer=reviewer)
    elif state.status == "PENDING":
        kyc_approve(submission=state.submission, reviewer=reviewer)
    if not UpiId.objects.filter(user=customer, removed_at=None).exists():
        upi_id_link(user=customer, upi_id=upi or f"{email.split('@')[0].replace('.', '')}@okaxis")
    if not BankAccount.objects.filter(user=customer, removed_at=None).exists():
        number = account or f"{int(hashlib.sha256(email.encode()).hexdigest(), 16) % 10**12:012d}"
        bank_account_link(user=customer, account_number=number, ifsc="SBIN0000691")
    return customer
