"""Real files for upload tests, made on the fly."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

VALID_PAN = "ABCPE1234F"
VALID_AADHAAR = "234123412346"  # Verhoeff-valid test number


def image_bytes(kind="PNG", size=(400, 300), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (30, 120, 200))
    options = {"exif": exif} if exif else {}
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def pdf_bytes(extra=b""):
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        + extra
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def good_documents():
    return {
        "pan_image": upload("pan.png", image_bytes("PNG"), "image/png"),
        "aadhaar_image": upload("aadhaar.jpg", image_bytes("JPEG"), "image/jpeg"),
        "selfie": upload("me.jpg", image_bytes("JPEG"), "image/jpeg"),
    }


def good_fields(**overrides):
    return {
        "full_name": "Alice Kumar",
        "date_of_birth": date(1990, 5, 17),
        "pan_number": VALID_PAN,
        "aadhaar_number": VALID_AADHAAR,
        **good_documents(),
        **overrides,
    }


def submit(user, **overrides):
    from kyc.services import kyc_submit

    return kyc_submit(user=user, **good_fields(**overrides))
