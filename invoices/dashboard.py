"""The merchant dashboard: keys, webhook secret, invoices, deliveries, balance and ledger."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import merchants
from accounts.models import ApiKey, Merchant
from invoices import webhooks
from invoices.models import Invoice, LedgerEntry, MerchantBalance, WebhookDelivery


def _own_merchant(request, merchant_id):
    merchant = Merchant.objects.filter(pk=merchant_id, owners=request.user).first()
    if merchant is None:
        raise Http404
    return merchant


@login_required
@require_GET
def home(request):
    owned = list(Merchant.objects.filter(owners=request.user))
    if len(owned) == 1:
        return redirect("invoices:merchant", owned[0].pk)
    return render(request, "invoices/dashboard_home.html", {"merchants": owned})


@never_cache
@login_required
@require_GET
def overview(request, merchant_id):
    merchant = _own_merchant(request, merchant_id)
    invoices = Invoice.objects.filter(merchant=merchant)
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    if kind in Invoice.Kind.values:
        invoices = invoices.filter(kind=kind)
    if status in Invoice.Status.values:
        invoices = invoices.filter(status=status)
    balance = MerchantBalance.objects.filter(merchant=merchant).first()
    return render(
        request,
        "invoices/dashboard.html",
        {
            "merchant": merchant,
            "balance": balance.available if balance else 0,
            "keys": ApiKey.objects.filter(merchant=merchant),
            "invoices": invoices[:50],
            "deliveries": WebhookDelivery.objects.filter(merchant=merchant)
            .select_related("invoice")
            .prefetch_related("attempts")[:30],
            "ledger": LedgerEntry.objects.filter(merchant=merchant, account="merchant_available")[
                :30
            ],
            "webhook_secret": merchants.webhook_secret(merchant),
            "new_key": request.session.pop("new_api_key", None),
            "kind": kind,
            "status": status,
            "statuses": Invoice.Status.choices,
        },
    )


@login_required
@require_POST
def create_key(request, merchant_id):
    merchant = _own_merchant(request, merchant_id)
    scopes = [
        scope for scope in request.POST.getlist("scopes") if scope in ApiKey.Scope.values
    ] or ["invoices"]
    _, raw_key = merchants.api_key_create(
        merchant=merchant, name=request.POST.get("name", "").strip() or "Key", scopes=scopes
    )
    # Shown once, on the next page, then gone from the session.
    request.session["new_api_key"] = raw_key
    return redirect("invoices:merchant", merchant.pk)


@login_required
@require_POST
def revoke_key(request, merchant_id, key_id):
    merchant = _own_merchant(request, merchant_id)
    key = ApiKey.objects.filter(pk=key_id, merchant=merchant).first()
    if key is None:
        raise Http404
    merchants.api_key_revoke(key=key)
    messages.success(request, f"Key {key.prefix}… is revoked.")
    return redirect("invoices:merchant", merchant.pk)


@login_required
@require_POST
def rotate_secret(request, merchant_id):
    merchant = _own_merchant(request, merchant_id)
    merchants.webhook_secret_rotate(merchant=merchant)
    messages.success(request, "New webhook secret. The old one keeps signing for 24 hours.")
    return redirect("invoices:merchant", merchant.pk)


@login_required
@require_POST
def resend(request, merchant_id, delivery_id):
    merchant = _own_merchant(request, merchant_id)
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, merchant=merchant).first()
    if delivery is None:
        raise Http404
    webhooks.resend(delivery=delivery)
    messages.success(request, f"{delivery.event_type} is queued to be sent again.")
    return redirect("invoices:merchant", merchant.pk)
