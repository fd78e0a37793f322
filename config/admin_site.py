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
