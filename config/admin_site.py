from django.contrib import admin
from django.contrib.auth import BACKEND_SESSION_KEY

CODE_BACKEND = "accounts.backends.EmailCodeBackend"


def is_staff_session(request):
    """
    Staff powers need a staff sign-in: a password through the admin login (rate-limited by
    django-axes), not an e-mailed code, which only proves control of a mailbox.
    """
    user = request.user
    return (
        user.is_active
        and user.is_staff
        and request.session.get(BACKEND_SESSION_KEY) != CODE_BACKEND
    )


class RampAdminSite(admin.AdminSite):
    site_header = "Rampart operations"
    site_title = "Rampart staff"
    index_title = "Operations"

    def has_permission(self, request):
        return is_staff_session(request)


class ReadOnlyInline(admin.TabularInline):
    """History rows (events, attempts, lines): shown, never edited here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class ServiceOnlyAdmin(admin.ModelAdmin):
    """Rows that change only through services (actions), never through the admin's forms."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def service_form(model_admin, request, *, action, success, redirect_to, template, context):
    """An admin page whose POST runs one service call: its refusal is shown on the same page,
    its success is a message on the object's page."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.template.response import TemplateResponse

    from config.errors import DomainError

    error = None
    if request.method == "POST":
        try:
            action()
        except DomainError as exc:
            error = exc.message
        else:
            model_admin.message_user(request, success, messages.SUCCESS)
            return redirect(*redirect_to)
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "error": error,
            **context,
        },
    )
