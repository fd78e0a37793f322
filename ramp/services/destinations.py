"""
Linking bank accounts and UPI IDs. A destination is linked only when the verification provider
returns a holder name that matches the person's verified KYC name; otherwise nothing is written.
"""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import NotFound
from kyc.errors import KycRequired
from kyc.selectors import kyc_status_for
from ramp import providers
from ramp.errors import (
    DestinationAlreadyLinked,
    DestinationFieldInvalid,
    DestinationNameMismatch,
    VerificationRefused,
    VerificationUnavailable,
)
from ramp.ifsc import bank_name_for, is_valid_ifsc, normalize_ifsc
from ramp.models import BankAccount, DestinationEvent, DestinationFlag, UpiId
from ramp.names import names_match
from ramp.providers.base import BankAccountCheck, ProviderError, UpiCheck

ACCOUNT_NUMBER = re.compile(r"^[0-9]{9,18}$")
VPA = re.compile(r"^[a-z0-9][a-z0-9._-]{1,255}@[a-z][a-z0-9]{1,63}$")


def _verified_name(user):
    state = kyc_status_for(user=user)
    if not state.is_verified:
        raise KycRequired("Verify your identity before linking a bank account or UPI ID.")
    return state.submission.full_name


def normalize_account_number(value):
    return re.sub(r"[\s-]", "", value or "")


def normalize_vpa(value):
    return (value or "").strip().lower()


def _live(model, user):
    return model.objects.filter(user=user, removed_at=None)


def _refuse_if_taken(*, model, user, lookup, kind, value):
    """Refuse a destination that is already live: the person's own, or someone else's (flagged)."""
    holder = model.objects.filter(removed_at=None, **lookup).only("user_id").first()
    if holder is None:
        return
    if holder.user_id == user.pk:
        raise DestinationAlreadyLinked(f"This {kind} is already linked to your profile.")
    DestinationFlag.objects.create(
        user=user,
        other_user_id=holder.user_id,
        kind=DestinationFlag.Kind.BANK if model is BankAccount else DestinationFlag.Kind.UPI,
        value=value,
        reason=f"Tried to link a {kind} that is verified for another person.",
    )
    raise DestinationAlreadyLinked(
        f"This {kind} is linked to another profile and cannot be added. "
        "If it is yours, please contact support."
    )


def _verify(call, check, *, kind):
    try:
        return call(check)
    except ProviderError as error:
        if error.permanent:
            raise VerificationRefused(
                f"{error.message} Check the details and try again."
            ) from error
        raise VerificationUnavailable(
            f"We could not verify this {kind} right now ({error.message.rstrip('.').lower()}). "
            "Nothing was linked; please try again in a few minutes."
        ) from error


def _require_name_match(holder, kyc_name, *, kind):
    if not names_match(holder.holder_name, kyc_name):
        raise DestinationNameMismatch(
            f"This {kind} is registered to “{holder.holder_name}”, which does not match your "
            f"verified name “{kyc_name}”. You can only link accounts in your own name."
        )


def _create(model, *, user, fields, kind, holder):
    now = timezone.now()
    try:
        with transaction.atomic():
            is_first = not _live(model, user).exists()
            destination = model.objects.create(
                user=user,
                holder_name=holder.holder_name,
                verification_provider=holder.provider,
                verification_reference=holder.reference,
                verified_at=now,
                is_default=is_first,
                **fields,
            )
            DestinationEvent.objects.create(
                user=user,
                action=DestinationEvent.Action.LINKED,
                detail=f"verified by {holder.provider} ({holder.reference})",
                **{"bank_account" if model is BankAccount else "upi_id": destination},
            )
    except IntegrityError as error:
        # Someone linked the same destination between our check and our insert.
        raise DestinationAlreadyLinked(f"This {kind} was just linked; refresh the page.") from error
    return destination


def bank_account_link(*, user, account_number, ifsc) -> BankAccount:
    kyc_name = _verified_name(user)
    account_number = normalize_account_number(account_number)
    ifsc = normalize_ifsc(ifsc)
    if not ACCOUNT_NUMBER.match(account_number):
        raise DestinationFieldInvalid(
            "An account number has 9 to 18 digits.", field="account_number"
        )
    if not is_valid_ifsc(ifsc):
        raise DestinationFieldInvalid(
            "An IFSC has 11 characters: 4 letters, a zero, then 6 letters or digits "
            "(e.g. HDFC0001234).",
            field="ifsc",
        )
    _refuse_if_taken(
        model=BankAccount,
        user=user,
        lookup={"account_number": account_number, "ifsc": ifsc},
        kind="bank account",
        value=f"{account_number} / {ifsc}",
    )
    holder = _verify(
        providers.get_verifier().verify_bank_account,
        BankAccountCheck(account_number=account_number, ifsc=ifsc, name_on_record=kyc_name),
        kind="bank account",
    )
    _require_name_match(holder, kyc_name, kind="bank account")
    return _create(
        BankAccount,
        user=user,
        fields={"account_number": account_number, "ifsc": ifsc, "bank_name": bank_name_for(ifsc)},
        kind="bank account",
        holder=holder,
    )


def upi_id_link(*, user, upi_id) -> UpiId:
    kyc_name = _verified_name(user)
    vpa = normalize_vpa(upi_id)
    if not VPA.match(vpa):
        raise DestinationFieldInvalid(
            "A UPI ID looks like name@bank (e.g. priya.sharma@okaxis).", field="upi_id"
        )
    _refuse_if_taken(model=UpiId, user=user, lookup={"vpa": vpa}, kind="UPI ID", value=vpa)
    holder = _verify(
        providers.get_verifier().verify_upi,
        UpiCheck(vpa=vpa, name_on_record=kyc_name),
        kind="UPI ID",
    )
    _require_name_match(holder, kyc_name, kind="UPI ID")
    return _create(UpiId, user=user, fields={"vpa": vpa}, kind="UPI ID", holder=holder)


def _event_target(destination):
    return {"bank_account" if isinstance(destination, BankAccount) else "upi_id": destination}


def destination_set_default(*, user, destination):
    model = type(destination)
    with transaction.atomic():
        live = _live(model, user).select_for_update()
        if not live.filter(pk=destination.pk).exists():
            raise NotFound()
        live.exclude(pk=destination.pk).filter(is_default=True).update(is_default=False)
        if live.filter(pk=destination.pk, is_default=False).update(is_default=True):
            DestinationEvent.objects.create(
                user=user, action=DestinationEvent.Action.DEFAULT, **_event_target(destination)
            )
    destination.refresh_from_db()
    return destination


def destination_remove(*, user, destination):
    """Soft removal: past orders keep their destination; it no longer appears or pays out."""
    model = type(destination)
    with transaction.atomic():
        live = _live(model, user).select_for_update()
        removed = live.filter(pk=destination.pk).update(removed_at=timezone.now(), is_default=False)
        if not removed:
            raise NotFound()
        DestinationEvent.objects.create(
            user=user, action=DestinationEvent.Action.REMOVED, **_event_target(destination)
        )
        if not live.filter(is_default=True).exists():
            successor = live.order_by("-created_at").first()
            if successor:
                live.filter(pk=successor.pk).update(is_default=True)


def destination_flags_review(*, flags):
    """Staff looked at these refused links; a flag is marked once."""
    return flags.filter(reviewed_at=None).update(reviewed_at=timezone.now())
