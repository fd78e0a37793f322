"""
The partner user API's gate: a call carrying a person's access token is authenticated and
charged against its view's limits in one cache round trip, right after SecurityMiddleware.

- Over a limit: refused here, with the view's own 429 and ``Retry-After`` — a runaway poller
  costs a token check, not a trip through sessions, CSRF, DRF and the view.
- Within the limits: the person, the claims and the taken tokens go on with the request, and
  the view neither reads the token nor asks the cache again.
- Anything the gate cannot vouch for goes on untouched and the view does it all itself: no
  valid token, the person or partner not in the cache (they are cached only while active, and
  dropped when saved), a body it cannot read, an ``Accept`` it does not answer.

The limits are the view's own throttle classes and their keys, and the cached rows are the
authentication class's own (``accounts.authentication.principal``), so the two paths cannot
disagree on who may call or how often.
"""

import functools
import json
from types import SimpleNamespace

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.urls import Resolver404, resolve

from accounts import tokens
from accounts.authentication import access_token_in, principal, principal_keys
from config.errors import error_body, rate_limited_message, retry_after
from ramp.throttles import take_if_cached

PREFIX = "/api/"
ANSWERABLE = ("application/json", "application/*", "*/*")


class _Unreadable(Exception):
    pass


class _Caller:
    """What the throttles' keys read of a request: the person named by the token, and the body."""

    def __init__(self, request, claims):
        self.user = SimpleNamespace(pk=claims["sub"], partner_id=claims["partner"])
        self._request = request

    @functools.cached_property
    def data(self):
        if self._request.content_type != "application/json":
            raise _Unreadable
        try:
            return json.loads(self._request.body)
        except (ValueError, RequestDataTooBig) as error:
            raise _Unreadable from error


@functools.lru_cache(maxsize=64)
def _person_view(path):
    """The partner user API view serving ``path``, or None."""
    from ramp.api import PersonApiView

    try:
        view = getattr(resolve(path).func, "view_class", None)
    except Resolver404:
        return None
    return view if isinstance(view, type) and issubclass(view, PersonApiView) else None


def _answerable(accept):
    """Whether the API's JSON answers ``accept``; if not, the view gives its 406."""
    if not accept:
        return True
    kinds = (kind.split(";")[0].strip().lower() for kind in accept.split(","))
    return any(kind in ANSWERABLE for kind in kinds)


def rate_limited(wait):
    """The 429 the API's exception handler gives for ``Throttled(wait)``."""
    body = error_body("rate_limited", rate_limited_message(wait))
    response = JsonResponse(body, status=429, headers={"Retry-After": retry_after(wait)})
    # Not one log line per refusal (settings.LOGGING drops the view's too); the access log has it.
    response._has_been_logged = True
    return response


class PartnerApiGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(PREFIX):
            refused = self.gate(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def gate(self, request):
        token = access_token_in(request.META.get("HTTP_AUTHORIZATION", ""))
        if token is None or not _answerable(request.META.get("HTTP_ACCEPT")):
            return None
        view = _person_view(request.path_info)
        if view is None or (claims := tokens.read(token)) is None:
            return None
        throttles = [throttle() for throttle in view.throttle_classes]
        try:
            copies, waits = take_if_cached(
                principal_keys(claims), throttles, _Caller(request, claims)
            )
        except _Unreadable:
            return None
        if copies is None:
            return None
        if waits:
            return rate_limited(max(waits))
        copies = {key: load() for key, load in copies.items()}  # only now: a 429 needs none
        if (user := principal(claims, copies)) is not None:
            request.partner_gate = (user, claims)
        return None
