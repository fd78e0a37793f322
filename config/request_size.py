"""
A cap on the size of any request body, applied before a byte of it is read. Django spools an
upload to a temporary file as it arrives and only then can a view refuse it: without a cap a
multi-gigabyte POST to a form or the API fills the disk first. The largest legitimate body is a
KYC submission (three documents of at most 5 MB); ``MAX_REQUEST_BYTES`` (20 MB) leaves room.
Django reads a body only up to its declared Content-Length, so checking that is enough. The
proxy in front should cap bodies too (docs/production.md).
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.html import format_html

from config.errors import error_body, wants_json


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads such a body as empty
        if declared > settings.MAX_REQUEST_BYTES:
            return _too_large(request)
        return self.get_response(request)


def _too_large(request):
    limit = f"{settings.MAX_REQUEST_BYTES // (1024 * 1024)} MB"
    message = f"What you sent is larger than {limit}: each document may be at most 5 MB."
    if wants_json(request):
        return JsonResponse(error_body("request_too_large", message), status=413)
    if request.headers.get("HX-Request") == "true":
        # htmx swaps a 4xx into the form: put the message where messages go instead, so the
        # form keeps everything typed in it.
        alert = format_html('<div class="alert alert--error" role="alert">{}</div>', message)
        return HttpResponse(
            alert, status=413, headers={"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"}
        )
    page = loader.get_template("413.html").render({"limit": limit})
    return HttpResponse(page, status=413)
