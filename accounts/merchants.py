"""
Merchants, their API keys and their webhook signing secrets.

API keys look like ``rk_<10 chars>_<43 chars>``: the first part is a public prefix (shown in
the dashboard, indexed), the whole key is only ever shown once and stored as its SHA-256. High
entropy makes a fast hash the right one here (a slow KDF protects guessable passwords, not
256-bit random keys). Webhook secrets follow Standard Webhooks (``whsec_`` + base64) and are
stored encrypted, since signing needs them back.

A key in use is kept in the shared cache for KEY_CACHE_SECONDS, so an API call does not query
for it; revoking a key or saving its merchant (deactivation included) drops it after commit.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import ApiKey, Merchant, User
from config.cache import forget, read_through, remember
from config.crypto import decrypt, encrypt

SECRET_GRACE = timedelta(hours=24)
PREFIX_LENGTH = 13  # "rk_" + 10 characters
LAST_USED_PRECISION = timedelta(minutes=1)
KEY_CACHE_SECONDS = 30


def _hash(raw_key):
    return hashlib.sha256(raw_key.encode()).hexdigest()


def new_webhook_secret():
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


@transaction.atomic
def merchant_create(*, name, owner_email, scopes=("invoices", "partner")):
    """A merchant with one owner, one API key and a webhook secret: returns the plain values."""
    owner = User.objects.get_or_create_for_email(owner_email)
    secret = new_webhook_secret()
    merchant = Merchant.objects.create(name=name.strip(), webhook_secret_encrypted=encrypt(secret))
    merchant.owners.add(owner)
    _, raw_key = api_key_create(merchant=merchant, name="Default", scopes=scopes)
    return merchant, raw_key, secret


def api_key_create(*, merchant, name, scopes):
    unknown = set(scopes) - set(ApiKey.Scope.values)
    if unknown or not scopes:
        raise ValueError(f"Scopes must be among {ApiKey.Scope.values}.")
    prefix = "rk_" + secrets.token_urlsafe(8)[:10].replace("-", "x").replace("_", "y")
    raw_key = f"{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        merchant=merchant,
        name=name[:80],
        prefix=prefix,
        key_hash=_hash(raw_key),
        scopes=list(scopes),
    )
    return key, raw_key


def api_key_revoke(*, key):
    ApiKey.objects.filter(pk=key.pk, revoked_at=None).update(revoked_at=timezone.now())
    forget_api_keys([key.prefix])


def _cache_key(prefix):
    return f"api-key:{prefix}"


def forget_api_keys(prefixes):
    forget(_cache_key(prefix) for prefix in prefixes)


def forget_merchant(merchant):
    """Drop the cached copies that carry ``merchant``: its keys' and its partner principal."""
    from accounts.authentication import forget_principals

    forget_api_keys(merchant.api_keys.values_list("prefix", flat=True))
    forget_principals(partners=[merchant.pk])


def _key_for(prefix):
    def load():  # only on a cache miss: building the query costs more than the cache read
        return ApiKey.objects.select_related("merchant").filter(prefix=prefix).first()

    return read_through(_cache_key(prefix), load, KEY_CACHE_SECONDS)


def api_key_authenticate(raw_key):
    """The active key for ``raw_key`` (with its merchant), or None. Constant-time comparison."""
    raw_key = raw_key or ""
    prefix, separator = raw_key[:PREFIX_LENGTH], raw_key[PREFIX_LENGTH : PREFIX_LENGTH + 1]
    if not prefix.startswith("rk_") or separator != "_" or len(raw_key) < PREFIX_LENGTH + 20:
        return None
    key = _key_for(prefix)
    if key is None or not hmac.compare_digest(key.key_hash, _hash(raw_key)):
        return None
    if key.revoked_at is not None or not key.merchant.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)  # at most once a minute
        key.last_used_at = now
        remember(_cache_key(prefix), key, KEY_CACHE_SECONDS)
    return key


def webhook_secret_rotate(*, merchant, grace=SECRET_GRACE):
    """A new signing secret; the old one keeps signing alongside it for ``grace``."""
    secret = new_webhook_secret()
    Merchant.objects.filter(pk=merchant.pk).update(
        previous_webhook_secret_encrypted=merchant.webhook_secret_encrypted,
        previous_secret_valid_until=timezone.now() + grace,
        webhook_secret_encrypted=encrypt(secret),
    )
    forget_merchant(merchant)  # the cached keys carry the merchant, and its old secret
    merchant.refresh_from_db()
    return secret


def webhook_secret(merchant):
    return decrypt(merchant.webhook_secret_encrypted)


def signing_secrets(merchant):
    """Secrets to sign with now: the current one, and the previous one during its grace."""
    found = [webhook_secret(merchant)]
    if (
        merchant.previous_webhook_secret_encrypted
        and merchant.previous_secret_valid_until
        and merchant.previous_secret_valid_until > timezone.now()
    ):
        found.append(decrypt(merchant.previous_webhook_secret_encrypted))
    return found
