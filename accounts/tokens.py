"""
Partner user tokens: a JWT (HS256) for one person, issued to the partner that brought them,
valid one hour. Claims: ``sub`` (user id), ``partner`` (merchant id), ``iat``, ``exp``,
``typ: "access"``. Signed with ``JWT_SIGNING_KEY`` (default: derived from SECRET_KEY).
"""

import functools
import hashlib
import time
from datetime import timedelta

import jwt
from django.conf import settings
from django.utils import timezone

from config.memory import Memory

LIFETIME = timedelta(hours=1)
ALGORITHM = "HS256"


def _key():
    return settings.JWT_SIGNING_KEY or _derived_key(settings.SECRET_KEY)


@functools.cache
def _derived_key(secret_key):
    return hashlib.sha256(f"rampart-jwt:{secret_key}".encode()).hexdigest()


def issue(*, user, partner):
    now = timezone.now()
    claims = {
        "sub": str(user.pk),
        "partner": str(partner.pk),
        "iat": int(now.timestamp()),
        "exp": int((now + LIFETIME).timestamp()),
        "typ": "access",
    }
    return jwt.encode(claims, _key(), algorithm=ALGORITHM), int(LIFETIME.total_seconds())


def read(token):
    """The claims of a valid, unexpired access token, or None."""
    key = _key()
    claims = _verified.get((token, key))
    if claims is None:
        claims = _verify(token, key)
        if claims is None:
            return None
        _verified.keep((token, key), claims)
    if claims["exp"] <= time.time():  # PyJWT's own rule (no leeway), for a remembered token
        return None
    return dict(claims)


# Tokens already found valid with the current key, and their claims: a partner polls with the
# same token for up to an hour, and verifying it again (decode, key checks, HMAC) is ~60 µs of
# each call. Only what the signature vouches for is kept, so a token never verified with this
# key is never accepted; the expiry is still checked on every call.
_verified = Memory(size=4096)


def _verify(token, key):
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "partner", "exp", "iat"]},
            leeway=0,
        )
    except jwt.PyJWTError:
        return None
    return claims if claims.get("typ") == "access" else None
