from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from config.errors import DomainError
from kyc import selectors, services
from kyc.documents import CONTENT_TYPES
from kyc.errors import KycFieldInvalid
from kyc.forms import KycForm

TEMPLATE = "kyc/status.html"


def _initial_from(state):
    """A rejected person starts again from what they typed last time (never the Aadhaar)."""
    submission = state.submission
    if submission is None:
        return {}
    return {
        "full_name": submission.full_name,
        "date_of_birth": submission.date_of_birth,
        "pan_number": submission.pan_number,
    }


@never_cache
@sensitive_post_parameters("pan_number", "aadhaar_number")
@login_required
@require_http_methods(["GET", "POST"])
def status(request):
    state = selectors.kyc_status_for(user=request.user)
    if request.method == "GET":
        template = f"{TEMPLATE}#kyc-status" if request.htmx else TEMPLATE
        form = KycForm(initial=_initial_from(state)) if state.can_submit else None
        return render(request, template, {"kyc": state, "form": form})

    form = KycForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.kyc_submit(user=request.user, **form.cleaned_data)
        except KycFieldInvalid as error:
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if request.htmx:
                return HttpResponseClientRedirect(request.path)
            return redirect("kyc:status")
    template = f"{TEMPLATE}#kyc-form" if request.htmx else TEMPLATE
    return render(request, template, {"kyc": state, "form": form}, status=400)


@never_cache
@require_GET
def document(request, submission_id, kind):
    """
    Streams a document to its owner or to a KYC reviewer. Everyone else, signed in or not,
    gets a 404: not even the existence of a submission is revealed.
    """
    file = selectors.document_for_viewer(request=request, submission_id=submission_id, kind=kind)
    if file is None:
        raise Http404
    extension = file.name.rsplit(".", 1)[-1]
    response = FileResponse(file.open("rb"), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'inline; filename="{kind}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    # Even a hostile PDF gets no script, no forms, no same-origin access.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
