"""
The sandbox provider: the documented Vault PayIn and Paysecure endpoints, and their hosted
pages where a tester chooses to approve, decline or abandon. Mounted under /sandbox/ only when
SANDBOX_PROVIDERS is on; production settings refuse it.
"""

import hmac
import json
import uuid
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ramp.cards import card_brand, clean_card_number
from ramp.sandbox import tasks
from ramp.sandbox.models import SandboxPayment

MIN_AMOUNT, MAX_AMOUNT = Decimal("500"), Decimal("150000")


def _error(status, message):
    return JsonResponse({"error": message, "message": message}, status=status)


def _json(request):
    try:
        return json.loads(request.body or b"{}")
    except ValueError:
        return None


def _authorised(request, provider):
    if provider == "vault":
        given, expected = request.headers.get("X-Api-Key", ""), settings.VAULT_API_KEY
    else:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        expected = settings.PAYSECURE_API_KEY
    return hmac.compare_digest(given, expected)


def api(provider):
    def decorate(view):
        @csrf_exempt
        def wrapped(request, *args, **kwargs):
            if not _authorised(request, provider):
                return _error(401, "invalid API key")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _amount(value):
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError):
        return None
    return amount if amount.is_finite() and amount > 0 else None


# --- Vault PayIn ------------------------------------------------------------------------------


@api("vault")
@require_http_methods(["PATCH"])
def vault_profile(request):
    body = _json(request) or {}
    if not body.get("customerId") or body.get("kycLevel") != "KYC_0":
        return _error(400, "customerId and kycLevel KYC_0 are required")
    return JsonResponse({"customerId": body["customerId"], "kycLevel": "KYC_0", "status": "ACTIVE"})


@api("vault")
@require_http_methods(["POST"])
def vault_card(request):
    body = _json(request)
    number = clean_card_number((body or {}).get("cardNumber", ""))
    if number is None or not body.get("billingAddress"):
        return _error(400, "invalid card or billing address")
    # The card number is checked and forgotten: only brand and last 4 are answered.
    return JsonResponse(
        {
            "cardId": f"card_{uuid.uuid4().hex[:16]}",
            "brand": card_brand(number),
            "last4": number[-4:],
        }
    )


@api("vault")
@require_http_methods(["GET"])
def vault_data(request):
    currency = request.GET.get("currency", "INR")
    return JsonResponse(
        {
            "currency": currency,
            "rates": [{"pair": f"USDT/{currency}", "rate": "89.10"}],
            "minAmount": str(MIN_AMOUNT),
            "maxAmount": str(MAX_AMOUNT),
        }
    )


@api("vault")
@require_http_methods(["POST"])
def vault_offer(request):
    body = _json(request) or {}
    amount = _amount(body.get("amount"))
    if amount is None or not body.get("cardId"):
        return _error(400, "amount and cardId are required")
    payment = SandboxPayment.objects.create(
        provider="vault",
        reference=SandboxPayment.new_reference("offer"),
        amount=amount,
        currency=body.get("currency", "INR"),
        external_id=str(body.get("externalId", ""))[:40],
    )
    return JsonResponse(_offer(payment))


@api("vault")
@require_http_methods(["PUT"])
def vault_offer_update(request, offer_id):
    payment = get_object_or_404(SandboxPayment, provider="vault", reference=offer_id)
    amount = _amount((_json(request) or {}).get("amount"))
    if amount is None or payment.status != "CREATED":
        return _error(409, "the offer cannot be changed")
    payment.amount = amount
    payment.save(update_fields=["amount"])
    return JsonResponse(_offer(payment))


def _offer(payment):
    return {
        "offerId": payment.reference,
        "amount": str(payment.amount),
        "currency": payment.currency,
        "expiresAt": (payment.created_at + timedelta(minutes=15)).isoformat(),
        "rate": "89.10",
        "fee": "0.00",
    }


@api("vault")
@require_http_methods(["POST"])
def vault_pay(request, offer_id):
    payment = get_object_or_404(SandboxPayment, provider="vault", reference=offer_id)
    body = _json(request) or {}
    payment.success_url = body.get("successUrl", "")
    payment.failure_url = body.get("failureUrl", "")
    payment.callback_url = body.get("callbackUrl", "")
    payment.status = "PENDING"
    payment.save()
    page = request.build_absolute_uri(f"/sandbox/vault/3ds/{payment.reference}/")
    return JsonResponse({"offerId": payment.reference, "status": "PENDING", "redirectUrl": page})


@api("vault")
@require_http_methods(["GET"])
def vault_status(request):
    payment = get_object_or_404(
        SandboxPayment, provider="vault", reference=request.GET.get("offerId")
    )
    return JsonResponse(
        {
            "offerId": payment.reference,
            "status": payment.status,
            "amount": str(payment.amount),
            "currency": payment.currency,
            "reason": "Declined by the card issuer (sandbox)" if payment.status == "FAILED" else "",
        }
    )


# --- Paysecure / Quickbit -----------------------------------------------------------------------


@api("paysecure")
@require_http_methods(["POST"])
def paysecure_purchase(request):
    body = _json(request) or {}
    amount = _amount(body.get("amount"))
    if amount is None:
        return _error(400, "amount is required")
    payment = SandboxPayment.objects.create(
        provider="paysecure",
        reference=SandboxPayment.new_reference("pur"),
        amount=amount,
        currency=body.get("currency", "INR"),
        external_id=str(body.get("reference", ""))[:40],
        success_url=body.get("success_redirect", ""),
        failure_url=body.get("failure_redirect", ""),
        callback_url=body.get("success_callback", ""),
        status="created",
    )
    # Without paymentMethod=QBPAYFTOPUP the customer would land on the Paysecure cashier.
    page = "checkout" if body.get("paymentMethod") == "QBPAYFTOPUP" else "cashier"
    url = request.build_absolute_uri(f"/sandbox/paysecure/{page}/{payment.reference}/")
    return JsonResponse(
        {"id": payment.reference, "checkout_url": url, "status": "created"}, status=201
    )


@api("paysecure")
@require_http_methods(["GET"])
def paysecure_status(request, purchase_id):
    payment = get_object_or_404(SandboxPayment, provider="paysecure", reference=purchase_id)
    return JsonResponse(
        {
            "id": payment.reference,
            "status": payment.status,
            "amount": str(payment.amount),
            "currency": payment.currency,
        }
    )


# --- hosted pages -------------------------------------------------------------------------------

OUTCOMES = {
    "vault": {"approve": "SUCCESS", "decline": "FAILED"},
    "paysecure": {"approve": "paid", "decline": "error"},
}


@require_http_methods(["GET", "POST"])
def hosted_page(request, provider, reference):
    payment = get_object_or_404(SandboxPayment, provider=provider, reference=reference)
    if request.method == "POST":
        choice = request.POST.get("choice")
        if choice == "abandon":
            return redirect(payment.failure_url)  # as if the customer closed the page
        status = OUTCOMES[provider].get(choice)
        if status is None:
            return _error(400, "choose approve, decline or abandon")
        with transaction.atomic():
            SandboxPayment.objects.filter(pk=payment.pk).update(status=status)
            transaction.on_commit(
                lambda: tasks.send_provider_callback.enqueue(payment_id=payment.pk),
                robust=True,
            )
        return redirect(payment.success_url if choice == "approve" else payment.failure_url)
    template = "sandbox/vault_3ds.html" if provider == "vault" else "sandbox/quickbit.html"
    return render(request, template, {"payment": payment, "now": timezone.now()})


def cashier(request, reference):
    return render(request, "sandbox/cashier.html", {"reference": reference})
