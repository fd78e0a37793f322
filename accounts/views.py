import math
import time

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.errors import SignInCodeRecentlySent, SignInError, SignInRateLimited
from accounts.forms import CodeForm, EmailForm
from accounts.models import normalize_email
from config.http import client_ip
from kyc.selectors import kyc_status_for

SESSION_EMAIL = "sign_in_email"
SESSION_NEXT = "sign_in_next"
SESSION_RESEND_AT = "sign_in_resend_at"  # when a new code may be asked for (a Unix time)
CODE_BACKEND = "accounts.backends.EmailCodeBackend"


def _safe_next(request, candidate):
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _code_sent(request, email, *, resend_at):
    request.session[SESSION_EMAIL] = email
    request.session[SESSION_RESEND_AT] = resend_at


def _code_recently_sent(request, email, error):
    _code_sent(request, email, resend_at=time.time() + error.details["retry_after"])


@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Step 1: the e-mail address. Sends a code and moves on to step 2."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or "accounts:account")
    form = EmailForm(request.POST or None, initial={"email": request.session.get(SESSION_EMAIL)})
    if request.method == "POST" and form.is_valid():
        email = normalize_email(form.cleaned_data["email"])
        try:
            sent = services.sign_in_code_request(email=email, ip=client_ip(request))
        except SignInCodeRecentlySent as error:
            # The code sent under a minute ago (from a tab closed, another device) is still the
            # one to enter: go and enter it rather than wait on this form.
            _code_recently_sent(request, email, error)
            request.session[SESSION_NEXT] = next_url
            messages.info(request, f"We sent a code to {email} under a minute ago: enter it here.")
            return redirect("accounts:sign_in_code")
        except SignInRateLimited as error:
            form.add_error("email", error.message)
        else:
            _code_sent(request, sent.email, resend_at=sent.resend_after.timestamp())
            request.session[SESSION_NEXT] = next_url
            return redirect("accounts:sign_in_code")
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """Step 2: the code from the e-mail."""
    email = request.session.get(SESSION_EMAIL)
    if not email:
        return redirect("accounts:sign_in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in_code_verify(email=email, code=form.cleaned_data["code"])
        except SignInError as error:
            form.add_error("code", error.message)
        else:
            next_url = request.session.get(SESSION_NEXT)
            # login() gives the session a new key, so a planted session id is worthless.
            login(request, user, backend=CODE_BACKEND)
            messages.success(request, f"Signed in as {user.email}.")
            return redirect(_safe_next(request, next_url) or "accounts:account")
    resend_in = math.ceil(request.session.get(SESSION_RESEND_AT, 0) - time.time())
    return render(
        request,
        "accounts/sign_in_code.html",
        {"form": form, "email": email, "resend_in": max(resend_in, 0)},
    )


@require_POST
def sign_in_code_resend(request):
    email = request.session.get(SESSION_EMAIL)
    if not email:
        return redirect("accounts:sign_in")
    try:
        sent = services.sign_in_code_request(email=email, ip=client_ip(request))
    except SignInRateLimited as error:
        if isinstance(error, SignInCodeRecentlySent):
            _code_recently_sent(request, email, error)
        messages.error(request, error.message)
    else:
        _code_sent(request, email, resend_at=sent.resend_after.timestamp())
        messages.success(request, f"A new code is on its way to {email}.")
    return redirect("accounts:sign_in_code")


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "You are signed out.")
    return redirect("home")


@login_required
def account(request):
    return render(request, "accounts/account.html", {"kyc": kyc_status_for(user=request.user)})
