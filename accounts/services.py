"""
Sign-in with an e-mailed one-time code.

A code is 6 digits, valid 10 minutes, good for one sign-in and at most 5 guesses. Asking for a
new code retires the previous one. Requests are limited per e-mail (a cooldown between codes and
a cap per hour) and per IP address; the limits are counted from the code rows themselves, so they
hold across every process without a shared cache.
"""

import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.errors import (
    AccountDisabled,
    SignInCodeExpired,
    SignInCodeInvalid,
    SignInCodeRecentlySent,
    SignInRateLimited,
)
from accounts.models import SignInCode, User, normalize_email
from config.errors import DomainError
from config.mail import send_templated_mail

CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_COOLDOWN = timedelta(seconds=60)
MAX_CODES_PER_EMAIL_PER_HOUR = 5
MAX_CODES_PER_IP_PER_HOUR = 20


def _code_hash(email, code):
    return salted_hmac("accounts.sign_in_code", f"{email}:{code}", algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class SignInCodeSent:
    email: str
    expires_at: object
    resend_after: object


def _new_code(*, email, code, ip, now):
    """The limits, then the code's row (retiring the one in play). Raises IntegrityError if a
    parallel request got there first."""
    hour_ago = now - timedelta(hours=1)
    with transaction.atomic():
        recent = SignInCode.objects.filter(email=email, created_at__gte=hour_ago)
        latest = recent.order_by("-created_at").first()
        if (
            latest
            and latest.created_at > now - RESEND_COOLDOWN
            and latest.used_at is None
            and latest.attempts < MAX_ATTEMPTS
        ):
            # The code just sent still works: enter that one. (One used or burnt by wrong
            # tries leaves nothing to enter, so a new one goes at once; the hourly caps hold.)
            wait = math.ceil((latest.created_at + RESEND_COOLDOWN - now).total_seconds())
            raise SignInCodeRecentlySent(
                f"We just sent a code to {email}. You can ask for another in {wait} seconds.",
                details={"retry_after": wait},
            )
        if recent.count() >= MAX_CODES_PER_EMAIL_PER_HOUR:
            raise SignInRateLimited(
                "Too many codes were requested for this e-mail. Please try again in an hour.",
                details={"retry_after": 3600},
            )
        if ip and (
            SignInCode.objects.filter(requested_ip=ip, created_at__gte=hour_ago).count()
            >= MAX_CODES_PER_IP_PER_HOUR
        ):
            raise SignInRateLimited(
                "Too many sign-in attempts from your network. Please try again in an hour.",
                details={"retry_after": 3600},
            )

        # Retire the code in play - unless it is one the checks above saw as just sent and
        # still working, which a parallel request may have written since: then the insert
        # below meets the one-live-code constraint instead of replacing it.
        SignInCode.objects.filter(email=email, used_at=None, superseded_at=None).filter(
            Q(created_at__lte=now - RESEND_COOLDOWN) | Q(attempts__gte=MAX_ATTEMPTS)
        ).update(superseded_at=now)
        return SignInCode.objects.create(
            email=email,
            code_hash=_code_hash(email, code),
            requested_ip=ip,
            created_at=now,
            expires_at=now + CODE_TTL,
        )


def sign_in_code_request(*, email, ip=None) -> SignInCodeSent:
    """Make a new code for ``email``, retire any earlier one and e-mail it."""
    email = normalize_email(email)
    code = f"{secrets.randbelow(10**6):06d}"
    try:
        sign_in_code = _new_code(email=email, code=code, ip=ip, now=timezone.now())
    except IntegrityError:
        # A parallel request for this address made its code at this very moment (the one live
        # code per address constraint): that one is being sent.
        wait = int(RESEND_COOLDOWN.total_seconds())
        raise SignInCodeRecentlySent(
            f"We just sent a code to {email}. You can ask for another in {wait} seconds.",
            details={"retry_after": wait},
        ) from None
    # Sent outside the transaction, and never through the task queue: the plain code must not be
    # written anywhere, including a queued task's arguments.
    send_templated_mail(
        template="sign_in_code",
        to=email,
        context={"code": code, "minutes": int(CODE_TTL.total_seconds() // 60)},
    )
    return SignInCodeSent(
        email=email,
        expires_at=sign_in_code.expires_at,
        resend_after=sign_in_code.created_at + RESEND_COOLDOWN,
    )


def sign_in_code_verify(*, email, code) -> User:
    """Check ``code`` for ``email``; return the (possibly new) user it signs in."""
    email = normalize_email(email)
    code = (code or "").strip().replace(" ", "")
    now = timezone.now()
    outcome, tries_left = _consume_code(email=email, code=code, now=now)
    if outcome == "expired":
        raise SignInCodeExpired(
            "This code has expired or has already been used. Ask for a new code."
        )
    if outcome == "locked":
        raise SignInCodeExpired("Too many wrong tries for this code. Ask for a new code.")
    if outcome == "wrong":
        left = (
            f"{tries_left} {'try' if tries_left == 1 else 'tries'} left."
            if tries_left
            else "Ask for a new code."
        )
        raise SignInCodeInvalid(
            f"That code is not right. {left}", details={"tries_left": tries_left}
        )

    user = User.objects.get_or_create_for_email(email)
    if not user.is_active:
        raise AccountDisabled("This account is disabled. Please contact support.")
    return user


def _consume_code(*, email, code, now):
    """Count a guess against the live code, or spend the code if it matches."""
    with transaction.atomic():
        live = (
            SignInCode.objects.select_for_update()
            .filter(email=email, used_at=None, superseded_at=None, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if live is None:
            return "expired", 0
        if live.attempts >= MAX_ATTEMPTS:
            return "locked", 0
        live_codes = SignInCode.objects.filter(
            pk=live.pk, used_at=None, superseded_at=None, attempts__lt=MAX_ATTEMPTS
        )
        if not (code.isdigit() and hmac.compare_digest(live.code_hash, _code_hash(email, code))):
            counted = live_codes.update(attempts=F("attempts") + 1)
            return ("wrong", MAX_ATTEMPTS - live.attempts - 1) if counted else ("locked", 0)
        spent = live_codes.update(used_at=now)
        return ("ok", 0) if spent else ("expired", 0)


class NotYourCustomer(DomainError):
    code = "forbidden"
    status_code = 403


def partner_user_login(*, partner, email):
    """A 1-hour token for ``email``, created on first sight and owned by the partner who brought
    them. A person who signed up elsewhere, or through another partner, is not theirs."""
    from accounts import tokens

    email = normalize_email(email)
    user = User.objects.filter(email=email).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email, partner=partner)
        except IntegrityError:
            user = User.objects.get(email=email)
    if user.partner_id != partner.pk:
        raise NotYourCustomer("This person did not sign up through you.")
    if not user.is_active:
        raise AccountDisabled("This account is disabled.")
    return tokens.issue(user=user, partner=partner)
