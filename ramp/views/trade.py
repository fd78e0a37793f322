"""The buy and sell pages: a live 30-second quote as the amount is typed, then the order."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from config.errors import DomainError
from kyc.selectors import kyc_status_for
from ramp import selectors
from ramp.errors import AmountInvalid, OrderFieldInvalid, QuoteExpired, QuoteNotFound, QuoteUsed
from ramp.forms import TradeForm
from ramp.models import Asset, OrderStatus, PaymentMethod, Side
from ramp.services import orders
from ramp.services.quotes import quote_create

TEMPLATE = "ramp/trade.html"
METHODS = {
    Side.BUY: [
        (PaymentMethod.INR_UPI, "UPI"),
        (PaymentMethod.INR_IMPS, "IMPS bank transfer"),
        (PaymentMethod.CARD, "Card (Visa, Mastercard, RuPay)"),
        (PaymentMethod.QBPAYFTOPUP, "Quickbit wallet"),
    ],
    Side.SELL: [(PaymentMethod.INR_IMPS, "To my bank account (IMPS)")],
}
# Service field names → the form field that shows the message.
FIELD_OF = {
    "fiat_amount": "amount",
    "crypto_amount": "amount",
    "crypto": "asset",
    "wallet_address": "wallet_address",
    "upi_id": None,
    "bank_account_id": None,
}


def _context(request, side, form, **extra):
    user = request.user
    return {
        "side": side,
        "form": form,
        # Lazy: the live quote fragment does not show it, and should not query for it.
        "kyc": SimpleLazyObject(lambda: kyc_status_for(user=user)),
        "upi_ids": selectors.upi_ids_for(user=user),
        "bank_accounts": selectors.bank_accounts_for(user=user),
        **extra,
    }


def _default_asset(assets):
    return assets.filter(symbol="USDT", network="TRC20").first()


def _quote(request, side, data):
    amount_field = "fiat_amount" if data["amount_in"] == "fiat" else "crypto_amount"
    return quote_create(
        user=request.user,
        side=side,
        asset=data["asset"],
        payment_method=data["payment_method"] or METHODS[side][0][0],
        **{amount_field: data["amount"]},
    )


def _create_order(request, side, data):
    if side == Side.BUY:
        return orders.order_create_onramp(
            user=request.user,
            quote_id=data["quote_id"],
            wallet_address=data["wallet_address"],
            upi_id=request.POST.get("upi_id") or None,
            bank_account_id=request.POST.get("bank_account_id") or None,
        )
    return orders.order_create_offramp(
        user=request.user,
        quote_id=data["quote_id"],
        bank_account_id=request.POST.get("bank_account_id") or None,
    )


def _add_error(form, error):
    field = FIELD_OF.get(getattr(error, "field", None))
    form.add_error(field if field in form.fields else None, error.message)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def trade(request, side):
    assets = Asset.objects.filter(enabled=True)
    # The default asset only matters to an unbound form: no query for it on a POST.
    initial = {} if request.method == "POST" else {"asset": _default_asset(assets)}
    form = TradeForm(
        request.POST or None, side=side, assets=assets, methods=METHODS[side], initial=initial
    )
    if request.method == "GET" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, TEMPLATE, _context(request, side, form), status=status)

    data = form.cleaned_data
    quote, quote_error, notice = None, None, None
    # Pressed without a price on screen (none could be given, or no script to fetch one): price
    # it now, and say "check it" only if there is one - never "this quote does not exist".
    unpriced = request.POST.get("action") == "order" and not data["quote_id"]
    if request.POST.get("action") == "order" and not unpriced:
        try:
            order = _create_order(request, side, data)
        except (QuoteExpired, QuoteNotFound, QuoteUsed) as error:
            notice = f"{error.message} Here is a new price: check it and confirm again."
        except OrderFieldInvalid as error:
            _add_error(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            target = (
                reverse("ramp:checkout", args=[order.pk])
                if order.status == OrderStatus.CHECKOUT_PENDING
                else order.get_absolute_url()
            )
            if request.htmx:
                return HttpResponseClientRedirect(target)
            return redirect(target)

    if data["amount"]:
        try:
            quote = _quote(request, side, data)
        except AmountInvalid as error:
            quote_error = error.message
        except DomainError as error:
            quote_error = error.message
    if unpriced:
        if quote:
            notice = "Here is the price: check it and confirm."
        elif not quote_error:
            form.add_error("amount", "Enter an amount.")
    extra = {"quote": quote, "quote_error": quote_error, "notice": notice}
    if request.htmx and request.POST.get("action") != "order":
        return render(request, f"{TEMPLATE}#quote", _context(request, side, form, **extra))
    status = 400 if (form.errors or notice or (unpriced and quote_error)) else 200
    return render(request, TEMPLATE, _context(request, side, form, **extra), status=status)


def buy(request):
    return trade(request, Side.BUY)


def sell(request):
    return trade(request, Side.SELL)
