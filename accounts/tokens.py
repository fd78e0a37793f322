"""
Partner user tokens: a JWT (HS256) for one person, issued to the partner that brought them,
valid one hour. Claims: ``sub`` (user id), ``partner`` (merchant id), ``iat``, ``exp``,
``typ: "access"``. Signed with ``JWT_SIGNING_KEY`` (default: derived from SECRET_KEY).
"""

import hashlib
from datetime import timedelta

import jwt
from django.conf import settings
from django.utils import timezone

LIFETIME = timedelta(hours=1)
ALGORITHM = "HS256"


def _key():
    return (
        settings.JWT_SIGNING_KEY
        or hashlib.sha256(f"rampart-jwt:{settings.SECRET_KEY}".encode()).hexdigest()
    )


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
    try:
        claims = jwt.decode(
            token,
            _key(),
            algorithms=[ALGORITHM],
            options={"require": ["sub", "partner", "exp", "iat"]},
            leeway=0,
        )
    except jwt.PyJWTError:
        return None
    return claims if claims.get("typ") == "access" else None
