"""
One error shape for every API (SPEC §3) and the HTML/JSON error pages.

Services raise ``DomainError`` subclasses; the API exception handler and the HTMX views turn the
same exception into ``{"error": {"code", "message", "details"}}`` or a form message.
"""

import math
import sys

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from rest_framework import exceptions, status
from rest_framework.response import Response

API_PATH_PREFIXES = ("/api/", "/v1/")
DATABASE_RETRY_AFTER = 5  # seconds: a restart or fail-over


class DomainError(Exception):
    """A rule of the product said no. Carries what the user or integrator needs to know."""

    code = "invalid_request"
    status_code = 400
    default_message = "The request could not be processed."

    def __init__(self, message=None, *, code=None, details=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.details = details or {}
        super().__init__(self.message)


class FieldInvalid(DomainError):
    """
    Input fields are wrong: one (``message`` and ``field``) or several (``errors``, each field's
    message), so a form can show each message beside its field and an API list them all.
    """

    code = "validation_error"

    def __init__(self, message=None, *, field=None, errors=None):
        self.errors = errors or {field: message}
        self.field = next(iter(self.errors))  # the first, for callers that show one
        details = {name: [text] for name, text in self.errors.items()}
        super().__init__(" ".join(self.errors.values()), details=details)


class NotFound(DomainError):
    code = "not_found"
    status_code = 404
    default_message = "Not found."


class Conflict(DomainError):
    code = "conflict"
    status_code = 409
    default_message = "The request conflicts with the current state."


class SelfDealing(DomainError):
    """Four eyes on money: staff never confirm, pay out or refund what is their own."""

    code = "self_dealing"
    status_code = 403
    default_message = "This is your own order or withdrawal: ask a colleague to act on it."


def require_colleague(staff, owner_id, *, refusal=SelfDealing):
    """Four eyes: raise ``refusal`` when ``staff`` would act on what is their own (an order, a
    withdrawal paid to them, their own identity check). ``None`` is the system, not a person."""
    if staff is not None and staff.pk == owner_id:
        raise refusal()


def error_body(code, message, details=None):
    return {"error": {"code": code, "message": message, "details": details or {}}}


_DRF_CODES = {
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "unauthenticated",
    exceptions.NotAuthenticated: "unauthenticated",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
}


def retry_after(wait):
    """``Retry-After`` for a wait in seconds: whole seconds, at least one."""
    return str(max(1, math.ceil(wait)))


def rate_limited_message(wait):
    """DRF's words for a refused call, without its translation machinery (~30 µs a call)."""
    seconds = math.ceil(wait)
    return f"Request was throttled. Expected available in {seconds} second{'s' * (seconds != 1)}."


def _validation_details(detail):
    if isinstance(detail, dict):
        return {key: _validation_details(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_validation_details(item) for item in detail]
    return str(detail)


def api_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every API error leaves in the SPEC §3 shape."""
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )

    if isinstance(exc, exceptions.ValidationError):
        details = _validation_details(exc.detail)
        if not isinstance(details, dict):
            details = {"non_field_errors": details}
        return Response(
            error_body("validation_error", "Some fields are missing or invalid.", details),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, exceptions.APIException):
        headers, message = {}, str(exc.detail)
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            headers["Retry-After"] = retry_after(exc.wait)
            message = rate_limited_message(exc.wait)  # the words ramp.api_gate's 429 uses
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            headers["WWW-Authenticate"] = 'Bearer realm="api"'
        code = next(
            (code for cls, code in _DRF_CODES.items() if isinstance(exc, cls)), "invalid_request"
        )
        return Response(error_body(code, message), status=exc.status_code, headers=headers)
    return None


def wants_json(request):
    """An API path: errors answer in the SPEC §3 JSON shape, not as a page."""
    return request.path.startswith(API_PATH_PREFIXES)


def page_not_found(request, exception=None):
    if wants_json(request):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    if wants_json(request):
        return JsonResponse(error_body("forbidden", "Not allowed."), status=403)
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    if wants_json(request):
        return JsonResponse(error_body("bad_request", "The request was malformed."), status=400)
    return render(request, "400.html", status=400)


def server_error(request):
    # Still inside the handler's `except`: the exception is at hand. A database that is down or
    # restarting is not a bug: say so with 503 and when to retry (health checks reconnect).
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        return _database_unavailable(request)
    if wants_json(request):
        return JsonResponse(
            error_body("server_error", "Something went wrong on our side; please retry."),
            status=500,
        )
    # No request context: the failure may be the database the context processors would read.
    return HttpResponseServerError(loader.get_template("500.html").render())


def _database_unavailable(request):
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER)}
    if wants_json(request):
        body = error_body(
            "service_unavailable", "We are briefly unable to reach our records; please retry."
        )
        return JsonResponse(body, status=503, headers=headers)
    page = loader.get_template("503.html").render()
    return HttpResponse(page, status=503, headers=headers)
