"""Card / wallet checkout: our card form, the redirect out, the return, the provider callback."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import DomainError, error_body
from ramp.forms import CardForm
from ramp.models import OrderStatus, PaymentMethod
from ramp.providers.base import BillingAddress, CardDetails
from ramp.services.checkout import (
    CallbackRejected,
    ProviderUnavailable,
    checkout_confirm,
    checkout_start,
    provider_callback_receive,
)
from ramp.views.orders import _own_order

PROVIDER_RETRY_AFTER = 60  # seconds: a provider that could not be asked is asked again soon


@sensitive_variables("card", "data")
def _card_from(data):
    month, year = data["expiry"]
    card = CardDetails(
        number=data["number"],
        expiry_month=month,
        expiry_year=year,
        cvv=data["cvv"],
        holder_name=data["holder_name"],
    )
    billing = BillingAddress(
        line1=data["line1"],
        city=data["city"],
        postal_code=data["postal_code"],
        country=data["country"],
    )
    return card, billing


@never_cache
@sensitive_post_parameters("number", "cvv", "expiry")
@login_required
@require_http_methods(["GET", "POST"])
def checkout(request, order_id):
    order = _own_order(request, order_id)
    if order.status != OrderStatus.CHECKOUT_PENDING:
        return redirect(order)
    is_card = order.payment_method == PaymentMethod.CARD
    form = CardForm(request.POST or None) if is_card else None
    if request.method == "POST" and (form is None or form.is_valid()):
        card, billing = _card_from(form.cleaned_data) if is_card else (None, None)
        try:
            session = checkout_start(
                order=order, card=card, billing=billing, site_url=settings.SITE_URL
            )
        except DomainError as error:
            if form is not None:
                form.add_error(None, error.message)
            else:
                messages.error(request, error.message)
        else:
            return redirect(session.redirect_url)
    return render(
        request,
        "ramp/checkout.html",
        {"order": order, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_GET
def checkout_return(request, order_id):
    """Where the provider sends the customer back. The URL proves nothing: we ask the provider."""
    order = checkout_confirm(order=_own_order(request, order_id))
    if order.status == OrderStatus.FIAT_RECEIVED:
        messages.success(request, "Payment confirmed by the provider. We are sending your crypto.")
    elif order.status == OrderStatus.FAILED:
        messages.error(request, f"The payment did not go through: {order.failure_reason}")
    else:
        messages.warning(request, "The payment is not complete yet. You can continue it below.")
    return redirect(order)


@csrf_exempt
@require_POST
def provider_callback(request, provider):
    try:
        outcome = provider_callback_receive(
            provider=provider, body=request.body, signature=request.headers.get("X-Signature", "")
        )
    except CallbackRejected as error:
        return JsonResponse(error_body(error.code, error.message), status=error.status_code)
    except ProviderUnavailable as error:  # providers retry a 5xx: the event is processed then
        response = JsonResponse(error_body(error.code, error.message), status=error.status_code)
        response["Retry-After"] = str(PROVIDER_RETRY_AFTER)
        return response
    return HttpResponse(outcome, content_type="text/plain", status=200)
