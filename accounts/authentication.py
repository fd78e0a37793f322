"""
DRF authentication for merchants and partners: ``Authorization: Bearer <API key>`` or a
partner user's access token. The people and partners behind tokens are kept in the shared cache
for PRINCIPAL_CACHE_SECONDS (one round trip for both), dropped when either is saved.
"""

import contextlib

from django.core.cache import cache
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from accounts.merchants import api_key_authenticate
from config.cache import forget, read_through

PRINCIPAL_CACHE_SECONDS = 30


def _user_key(pk):
    return f"principal-user:{pk}"


def _partner_key(pk):
    return f"principal-partner:{pk}"


def forget_principals(*, users=(), partners=()):
    forget([_user_key(pk) for pk in users] + [_partner_key(pk) for pk in partners])


def access_token_in(header):
    """A person's access token in an ``Authorization`` value; None for an API key or else."""
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token or token.startswith("rk_"):
        return None
    return token.strip()


def principal_keys(claims):
    """The cache keys of the person and partner behind a token's claims."""
    return [_user_key(claims["sub"]), _partner_key(claims["partner"])]


def principal(claims, found):
    """
    The person acting on ``claims`` (with their partner), from ``found`` (cached copies by key,
    fetched by the caller in one round trip) or the database; None unless both are active and
    the partner is the person's own. Only active rows are cached, so a cached pair is one that
    may act (until a save drops it).
    """
    from accounts.models import Merchant, User

    user_key, partner_key = principal_keys(claims)

    def row(key, model, pk):
        def load():  # only on a cache miss: building the query costs more than the cache read
            return model.objects.filter(pk=pk, is_active=True).first()

        return read_through(key, load, PRINCIPAL_CACHE_SECONDS, found=found)

    user = row(user_key, User, claims["sub"])
    if user is None or not user.is_active or str(user.partner_id) != claims["partner"]:
        return None
    partner = row(partner_key, Merchant, claims["partner"])
    if partner is None or not partner.is_active:
        return None
    user.partner = partner
    return user


class MerchantPrincipal:
    """Who is calling: a merchant, through one of its API keys."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, api_key):
        self.api_key = api_key
        self.merchant = api_key.merchant

    @property
    def pk(self):
        return self.merchant.pk


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        scheme, _, token = header.partition(" ")
        if scheme != self.keyword or not token.startswith("rk_"):
            return None  # not ours: another scheme (or nothing) — the permission answers 401
        key = api_key_authenticate(token.strip())
        if key is None:
            raise exceptions.AuthenticationFailed("The API key is not valid or has been revoked.")
        return MerchantPrincipal(key), key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def scope_required(scope):
    class HasScope(permissions.BasePermission):
        message = f"This API key does not have the {scope!r} scope."

        def has_permission(self, request, view):
            principal = request.user
            if not isinstance(principal, MerchantPrincipal):
                return False
            return scope in principal.api_key.scopes

    HasScope.__name__ = f"Has{scope.capitalize()}Scope"
    return HasScope


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Tells the OpenAPI schema how API keys are sent."""

    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer rk_…"}


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <access_token>`` from /api/user-login: acts as that person."""

    def authenticate(self, request):
        from accounts import tokens

        header = authentication.get_authorization_header(request).decode(errors="replace")
        if (token := access_token_in(header)) is None:
            return None
        if passed := getattr(request._request, "partner_gate", None):
            return passed  # ramp.api_gate already read this token: (person, claims)
        claims = tokens.read(token)
        failed = exceptions.AuthenticationFailed("The access token is invalid or has expired.")
        if claims is None:
            raise failed
        found = {}
        with contextlib.suppress(Exception):  # the person and partner in one round trip
            found = cache.get_many(principal_keys(claims))
        user = principal(claims, found)
        if user is None:
            raise failed
        return user, claims

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.PartnerTokenAuthentication"
    name = "userToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
