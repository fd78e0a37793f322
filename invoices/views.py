"""Hosted invoice pages (what merchants link to) and the customer's "your merchants" list."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from config.errors import DomainError
from invoices import services
from invoices.models import Invoice
from kyc.selectors import kyc_status_for
from ramp import qr, selectors
from ramp.models import PaymentMethod
from ramp.services.orders import PAY_IN_METHODS

I = Invoice.Status  # noqa: E741
PAY_METHODS = [(method, PaymentMethod(method).label) for method in PAY_IN_METHODS]


def _invoice(token):
    # get(), not first(): the token is unique, and first() would compile and run an ORDER BY.
    try:
        return Invoice.objects.select_related("merchant", "order").get(token=token)
    except Invoice.DoesNotExist:
        raise Http404 from None


def _owned_by_someone_else(invoice, user):
    return invoice.bound_user_id and (not user.is_authenticated or invoice.bound_user_id != user.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def hosted(request, token):
    invoice = _invoice(token)
    user = request.user
    done = invoice.status in (I.PAID, I.CONFIRMED, I.COMPLETED)
    if done and invoice.redirect_url and invoice.bound_user_id == user.pk:
        return redirect(invoice.redirect_url)  # paid / withdrawal confirmed: back to the merchant
    if (
        invoice.status == I.CANCELLED
        and invoice.cancel_redirect_url
        and invoice.bound_user_id == user.pk
    ):
        return redirect(invoice.cancel_redirect_url)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.path)
        try:
            if invoice.kind == Invoice.Kind.INGRESS:
                order = services.invoice_pay_start(
                    invoice=invoice,
                    user=user,
                    payment_method=request.POST.get("payment_method", PaymentMethod.INR_UPI),
                    upi_id=request.POST.get("upi_id") or None,
                    bank_account_id=request.POST.get("bank_account_id") or None,
                )
                target = "ramp:checkout" if order.status == "checkoutPending" else "ramp:order"
                return redirect(target, order.pk)
            services.egress_claim(
                invoice=invoice,
                user=user,
                bank_account_id=request.POST.get("bank_account_id") or None,
                upi_id=request.POST.get("upi_id") or None,
            )
            return redirect("invoices:hosted", token)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("invoices:hosted", token)
    context = {
        "invoice": invoice,
        # The QR of a fixed URL never changes: draw it once.
        "qr": cache.get_or_set(
            f"invoice-qr:{invoice.token}",
            lambda: qr.qr_data_uri(services.invoice_url(invoice)),
            86400,
        ),
        "taken": _owned_by_someone_else(invoice, user),
        "pay_methods": PAY_METHODS,
    }
    if user.is_authenticated:
        context |= {
            "kyc": kyc_status_for(user=user),
            "upi_ids": selectors.upi_ids_for(user=user),
            "bank_accounts": selectors.bank_accounts_for(user=user),
        }
    return render(request, "invoices/hosted.html", context)


@never_cache
@require_GET
def egress_status(request, token):
    """Polled while the merchant decides: sends the browser on when it has."""
    invoice = _invoice(token)
    if invoice.bound_user_id != getattr(request.user, "pk", None):
        raise Http404
    if invoice.status == I.CONFIRMING:
        return HttpResponse(status=204)
    if invoice.status == I.CANCELLED and invoice.cancel_redirect_url:
        return HttpResponseClientRedirect(invoice.cancel_redirect_url)
    if invoice.status in (I.CONFIRMED, I.COMPLETED) and invoice.redirect_url:
        return HttpResponseClientRedirect(invoice.redirect_url)
    return HttpResponseClientRedirect(request.build_absolute_uri(f"/i/{token}/"))


@cache_control(public=True, max_age=86400)
@require_GET
def qr_png(request, token):
    """The QR of the invoice's own URL, for merchants to embed. Cached: it never changes."""
    invoice = _invoice(token)
    return HttpResponse(qr.qr_png(services.invoice_url(invoice)), content_type="image/png")


@never_cache
@require_GET
def your_merchants(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.path)
    invoices = (
        Invoice.objects.select_related("merchant")
        .filter(status=I.OPEN)
        .exclude(invoice_display_key="")
        .filter(customer_email=request.user.email)
        .order_by("merchant__name", "-created_at")
    )
    return render(request, "invoices/your_merchants.html", {"invoices": invoices})
