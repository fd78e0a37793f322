from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from config.errors import DomainError
from kyc.selectors import kyc_status_for
from ramp import selectors
from ramp.errors import DestinationFieldInvalid
from ramp.forms import BankAccountForm, UpiIdForm
from ramp.ifsc import bank_name_for, is_valid_ifsc, normalize_ifsc
from ramp.services import destinations

TEMPLATE = "ramp/payment_methods.html"


def _page(request, *, bank_form=None, upi_form=None, status=200):
    user = request.user
    return render(
        request,
        TEMPLATE,
        {
            "kyc": kyc_status_for(user=user),
            "bank_accounts": selectors.bank_accounts_for(user=user),
            "upi_ids": selectors.upi_ids_for(user=user),
            "bank_form": bank_form or BankAccountForm(),
            "upi_form": upi_form or UpiIdForm(),
        },
        status=status,
    )


def _link(request, form, link, *, partial, form_key, success):
    if form.is_valid():
        try:
            destination = link(user=request.user, **form.cleaned_data)
        except DestinationFieldInvalid as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success.format(destination=destination))
            if request.htmx:
                return HttpResponseClientRedirect(request.path)
            return redirect("ramp:payment_methods")
    if request.htmx:
        return render(request, f"{TEMPLATE}#{partial}", {form_key: form}, status=400)
    return _page(request, status=400, **{form_key: form})


@login_required
@require_http_methods(["GET", "POST"])
def payment_methods(request):
    if request.method == "GET":
        return _page(request)
    if "upi_id" in request.POST:
        return _link(
            request,
            UpiIdForm(request.POST),
            destinations.upi_id_link,
            partial="upi-form",
            form_key="upi_form",
            success="UPI ID {destination.vpa} is verified and linked.",
        )
    return _link(
        request,
        BankAccountForm(request.POST),
        destinations.bank_account_link,
        partial="bank-form",
        form_key="bank_form",
        success="Bank account {destination.masked} is verified and linked.",
    )


@login_required
@require_GET
def ifsc_lookup(request):
    """Inline feedback while typing an IFSC: the bank's name, or what is wrong."""
    ifsc = normalize_ifsc(request.GET.get("ifsc"))
    return render(
        request,
        "ramp/partials/ifsc_hint.html",
        {"ifsc": ifsc, "valid": is_valid_ifsc(ifsc), "bank_name": bank_name_for(ifsc)},
    )


def _own_destination(request, kind, destination_id):
    destination = selectors.destination_for(
        user=request.user, kind=kind, destination_id=destination_id
    )
    if destination is None:
        raise Http404
    return destination


@login_required
@require_POST
def make_default(request, kind, destination_id):
    destination = _own_destination(request, kind, destination_id)
    destinations.destination_set_default(user=request.user, destination=destination)
    messages.success(request, f"{destination.masked} is now your default.")
    return redirect("ramp:payment_methods")


@login_required
@require_POST
def remove(request, kind, destination_id):
    destination = _own_destination(request, kind, destination_id)
    destinations.destination_remove(user=request.user, destination=destination)
    messages.success(request, f"{destination.masked} was removed.")
    if request.htmx:
        return HttpResponseClientRedirect(reverse("ramp:payment_methods"))
    return redirect("ramp:payment_methods")
