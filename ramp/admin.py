from django.contrib import admin
from django.utils import timezone

from ramp.models import BankAccount, DestinationEvent, DestinationFlag, UpiId


class DestinationEventInline(admin.TabularInline):
    model = DestinationEvent
    fields = ("created_at", "action", "detail")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DestinationAdmin(admin.ModelAdmin):
    list_filter = (
        "verification_provider",
        ("removed_at", admin.EmptyFieldListFilter),
        "is_default",
    )
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "holder_name",
        "verification_provider",
        "verification_reference",
        "verified_at",
        "is_default",
        "removed_at",
        "created_at",
    )
    inlines = [DestinationEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Linking, defaults and removal go through ramp.services.destinations.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BankAccount)
class BankAccountAdmin(DestinationAdmin):
    list_display = (
        "user",
        "bank_name",
        "ifsc",
        "masked",
        "holder_name",
        "verified_at",
        "removed_at",
    )
    search_fields = ("user__email", "account_number", "ifsc", "holder_name")
    readonly_fields = ("account_number", "ifsc", "bank_name", *DestinationAdmin.readonly_fields)


@admin.register(UpiId)
class UpiIdAdmin(DestinationAdmin):
    list_display = ("user", "vpa", "holder_name", "verified_at", "removed_at")
    search_fields = ("user__email", "vpa", "holder_name")
    readonly_fields = ("vpa", *DestinationAdmin.readonly_fields)


@admin.register(DestinationFlag)
class DestinationFlagAdmin(admin.ModelAdmin):
    """Refused links of accounts already verified for someone else: possible fraud or a mistake."""

    list_display = ("created_at", "user", "kind", "value", "other_user", "reviewed_at")
    list_filter = ("kind", ("reviewed_at", admin.EmptyFieldListFilter))
    search_fields = ("user__email", "other_user__email", "value")
    list_select_related = ("user", "other_user")
    readonly_fields = ("user", "other_user", "kind", "value", "reason", "created_at", "reviewed_at")
    actions = ["mark_reviewed"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Mark selected flags as reviewed")
    def mark_reviewed(self, request, queryset):
        count = queryset.filter(reviewed_at=None).update(reviewed_at=timezone.now())
        self.message_user(request, f"{count} flag(s) marked as reviewed.")
