from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import ApiKey, Merchant, User
from config.admin_site import ReadOnlyInline


class UserChangeFormByEmail(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserCreationFormByEmail(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeFormByEmail
    add_form = UserCreationFormByEmail
    ordering = ("-date_joined",)
    list_display = ("email", "is_staff", "is_active", "date_joined", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email",)
    readonly_fields = ("date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )


class ApiKeyInline(ReadOnlyInline):
    model = ApiKey
    fields = ("prefix", "name", "scopes", "created_at", "last_used_at", "revoked_at")


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active", "fee_bps", "created_at")
    search_fields = ("name", "owners__email")
    filter_horizontal = ("owners",)
    fields = (
        "name",
        "is_active",
        "owners",
        "fee_bps",
        "allowed_redirect_hosts",
        "previous_secret_valid_until",
    )
    readonly_fields = ("previous_secret_valid_until",)
    inlines = [ApiKeyInline]
