"""
The status poll's fast path. Each order's owner and version are kept in the shared cache; a
poll that presents the current version from the owner's session is answered 204 before the
rest of the middleware runs, without loading the user or the order. The answer carries
nothing, so a stale entry can only delay an update, never leak one: entries are dropped inside
every transition, rewritten after it commits, and live two minutes at most. Anything the fast
path cannot vouch for (no entry, another version, not the owner, due to expire, a session
not in the cache) goes on to the view.
"""

import contextlib
import re
import time
import uuid
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.http import HttpResponse
from django.urls import reverse

TTL = 120
# What never_cache and the session's Vary give the view's own 204, written out once.
UNCHANGED_HEADERS = {
    "Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private",
    "Expires": "Thu, 01 Jan 1970 00:00:00 GMT",
    "Vary": "Cookie",
}


def _key(order_id):
    return f"order-live:{order_id}"


def remember(order):
    with contextlib.suppress(Exception):  # a cache outage only costs the fast path
        cache.set(
            _key(order.pk),
            (str(order.user_id), order.version, order.expires_at.timestamp(), order.awaits_payment),
            TTL,
        )


def forget(order_id):
    with contextlib.suppress(Exception):
        cache.delete(_key(order_id))


def _session_and_entry(session_key, order_id):
    """The session's data and the order's entry: one cache round trip when sessions are cached."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if store.session_key is None:  # not a well-formed key
        return None, None
    prefix = getattr(store, "cache_key_prefix", None)
    if prefix and settings.SESSION_CACHE_ALIAS == DEFAULT_CACHE_ALIAS:
        session_cache_key = prefix + store.session_key
        found = cache.get_many([session_cache_key, _key(order_id)])
        return found.get(session_cache_key), found.get(_key(order_id))
    return {SESSION_KEY: store.get(SESSION_KEY)}, cache.get(_key(order_id))


def unchanged(session_key, order_id, version):
    if not (version and session_key):
        return False
    with contextlib.suppress(Exception):
        session, entry = _session_and_entry(session_key, order_id)
        if not session or entry is None:
            return False
        owner, known, expires_at, awaiting = entry
        if awaiting and expires_at <= time.time():
            return False  # due to expire: the full path expires it
        return known == version and str(session.get(SESSION_KEY)) == owner
    return False


class StatusPollMiddleware:
    """
    Answers an unchanged status poll. Placed right after SecurityMiddleware, so the answer
    still carries the HTTPS redirect and security headers; the rest of the stack (CSRF, auth,
    messages, CSP) has nothing to do for an empty 204 to a GET.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        sample = reverse("ramp:order_status", args=[uuid.UUID(int=0)])
        head, tail = sample.split(str(uuid.UUID(int=0)))
        self.path = re.compile(rf"^{re.escape(head)}(?P<id>[0-9a-f-]{{36}}){re.escape(tail)}$")

    def __call__(self, request):
        if request.method == "GET" and (match := self.path.match(request.path_info)):
            try:
                order_id = uuid.UUID(match["id"])
            except ValueError:
                return self.get_response(request)
            session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            if unchanged(session_key, order_id, request.GET.get("v")):
                return HttpResponse(status=204, headers=UNCHANGED_HEADERS)
        return self.get_response(request)
