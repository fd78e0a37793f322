"""
Identity documents: accepted by what they are, not by what they claim to be.

The type is sniffed from the first bytes (JPEG, PNG or PDF). Images are decoded in full and
re-encoded, which drops metadata (EXIF location, camera serials) and anything appended after the
image data — so a PNG with an HTML page glued to its end comes out as a plain PNG. A file that
merely starts with an image signature and is not a decodable image is refused. PDFs cannot be
re-encoded here, so active content (JavaScript, launch actions, embedded files) is refused and
anything after the last ``%%EOF`` is cut off.
"""

import io
import re
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from kyc.errors import DocumentInvalid

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_SIDE = 200

_SIGNATURES = {
    b"\xff\xd8\xff": "jpeg",
    b"\x89PNG\r\n\x1a\n": "png",
    b"%PDF-": "pdf",
}
_PDF_ACTIVE_CONTENT = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|OpenAction|AA|XFA)\b"
)
_MARKUP = re.compile(rb"<\s*(html|script|body|iframe|svg)\b", re.IGNORECASE)

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


@dataclass(frozen=True)
class CleanDocument:
    content: ContentFile
    extension: str

    @property
    def content_type(self):
        return CONTENT_TYPES[self.extension]


def sniff(head: bytes):
    for signature, kind in _SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def clean_document(uploaded, *, label, field) -> CleanDocument:
    """Return a safe copy of ``uploaded`` under a random name, or raise ``DocumentInvalid``."""
    try:
        return _clean(uploaded, label=label)
    except DocumentInvalid as error:
        raise DocumentInvalid(error.message, field=field) from None


def _clean(uploaded, *, label):
    if uploaded is None:
        raise DocumentInvalid(f"{label}: please choose a file.")
    if uploaded.size > MAX_BYTES:
        raise DocumentInvalid(
            f"{label}: the file is {uploaded.size / 1024 / 1024:.1f} MB; the limit is 5 MB."
        )
    uploaded.seek(0)
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DocumentInvalid(f"{label}: the file is larger than 5 MB.")
    kind = sniff(data[:8])
    if kind is None:
        raise DocumentInvalid(f"{label}: only JPEG, PNG or PDF files are accepted.")
    if kind == "pdf":
        return CleanDocument(_clean_pdf(data, label=label), "pdf")
    return _clean_image(data, kind=kind, label=label)


def _random_name(extension):
    return f"{uuid.uuid4().hex}.{extension}"


def _clean_image(data, *, kind, label):
    unreadable = DocumentInvalid(
        f"{label}: this image is damaged or not really a {kind.upper()} file."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format.lower() != kind:
                    raise unreadable
                if probe.width * probe.height > MAX_PIXELS:
                    raise DocumentInvalid(f"{label}: the image is too large in pixels.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
    except DocumentInvalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning) as error:
        raise unreadable from error
    if min(image.size) < MIN_SIDE:
        raise DocumentInvalid(
            f"{label}: the image is too small to read; use at least {MIN_SIDE}x{MIN_SIDE} pixels."
        )

    output = io.BytesIO()
    if kind == "jpeg":
        image.convert("RGB").save(output, format="JPEG", quality=90, optimize=True)
        extension = "jpg"
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(output, format="PNG", optimize=True)
        extension = "png"
    return CleanDocument(ContentFile(output.getvalue(), name=_random_name(extension)), extension)


def _clean_pdf(data, *, label):
    end = data.rfind(b"%%EOF")
    if end == -1:
        raise DocumentInvalid(f"{label}: this PDF is incomplete or damaged.")
    body = data[: end + len(b"%%EOF")] + b"\n"
    if _PDF_ACTIVE_CONTENT.search(body) or _MARKUP.search(body):
        raise DocumentInvalid(
            f"{label}: PDFs with scripts, actions or attachments are not accepted. "
            "Upload a photo or a plain scan instead."
        )
    return ContentFile(body, name=_random_name("pdf"))
