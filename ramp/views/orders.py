"""The order page: how to pay (or where to send), proof entry in place, live status, timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from config.errors import DomainError, NotFound
from ramp import live, qr
from ramp.errors import OrderFieldInvalid
from ramp.forms import TxHashForm, UtrForm
from ramp.models import OrderStatus, PaymentMethod, PlatformSettings, Side
from ramp.selectors import order_timeline, orders_for
from ramp.services import orders

TEMPLATE = "ramp/order.html"


def _own_order(request, order_id):
    try:
        return orders.order_for(user=request.user, order_id=order_id)
    except NotFound:
        raise Http404 from None


def _payment_instructions(order):
    """What the person needs to pay (buy) or send (sell); only while the order waits for it."""
    if not order.awaits_payment:
        return {}
    if order.side == Side.SELL:
        return {"deposit_qr": qr.qr_data_uri(order.deposit_address)}
    platform = PlatformSettings.load()
    if order.payment_method == PaymentMethod.INR_UPI:
        link = qr.order_upi_link(order, platform)
        return {"platform": platform, "upi_link": link, "upi_qr": qr.qr_data_uri(link)}
    return {"platform": platform}


def _context(order, **extra):
    return {
        "order": order,
        "events": order_timeline(order=order),
        "utr_form": UtrForm(),
        "tx_form": TxHashForm(),
        **_payment_instructions(order),
        **extra,
    }


@never_cache
@login_required
@require_GET
def order_detail(request, order_id):
    order = _own_order(request, order_id)
    orders.order_expire(order=order)  # honest at a glance, even between sweeps
    return render(request, TEMPLATE, _context(order))


@never_cache
@require_GET
@login_required
def order_status(request, order_id):
    """
    The live part of the page. Polled every 12 s: 204 (nothing to swap) while unchanged; the
    hot path, an unchanged poll, is answered earlier by `live.StatusPollMiddleware`.
    """
    order = _own_order(request, order_id)
    orders.order_expire(order=order)  # no query unless the order is overdue
    live.remember(order)
    if request.GET.get("v") == order.version:
        return HttpResponse(status=204)
    return render(request, f"{TEMPLATE}#live", _context(order))


def _submit_proof(request, order_id, *, form_class, submit, form_key):
    order = _own_order(request, order_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            order = submit(order=order, actor=request.user, **form.cleaned_data)
        except OrderFieldInvalid as error:
            form.add_error(next(iter(form.fields)), error.message)
        except DomainError as error:
            form.add_error(None, error.message)
            order.refresh_from_db()
        else:
            if not request.htmx:
                return redirect(order)
            return render(request, f"{TEMPLATE}#live", _context(order))
    template = f"{TEMPLATE}#live" if request.htmx else TEMPLATE
    return render(request, template, _context(order, **{form_key: form}), status=400)


@login_required
@require_POST
def submit_utr(request, order_id):
    return _submit_proof(
        request, order_id, form_class=UtrForm, submit=orders.order_submit_utr, form_key="utr_form"
    )


@login_required
@require_POST
def submit_tx_hash(request, order_id):
    return _submit_proof(
        request,
        order_id,
        form_class=TxHashForm,
        submit=orders.order_submit_tx_hash,
        form_key="tx_form",
    )


@login_required
@require_POST
def cancel(request, order_id):
    order = _own_order(request, order_id)
    try:
        orders.order_cancel(order=order, actor=request.user, reason="Cancelled by the customer")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Order {order.reference} is cancelled.")
    return redirect(order)


@login_required
@require_GET
def order_list(request):
    status, side = request.GET.get("status", ""), request.GET.get("side", "")
    page = Paginator(
        orders_for(user=request.user, status=status or None, side=side or None), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "ramp/order_list.html",
        {"page": page, "statuses": OrderStatus.choices, "status": status, "side": side},
    )
