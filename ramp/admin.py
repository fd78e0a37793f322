from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from config.admin_site import ReadOnlyInline, ServiceOnlyAdmin, service_form
from config.errors import DomainError
from ramp import order_actions
from ramp.models import (
    Asset,
    AssetLimit,
    BankAccount,
    BankStatement,
    DestinationEvent,
    DestinationFlag,
    Order,
    OrderEvent,
    PlatformSettings,
    StatementLine,
    UpiId,
)
from ramp.services import destinations
from ramp.services.reconciliation import statement_import


class DestinationEventInline(ReadOnlyInline):
    model = DestinationEvent
    fields = ("created_at", "action", "detail")


class DestinationAdmin(ServiceOnlyAdmin):
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
        count = destinations.destination_flags_review(flags=queryset)
        self.message_user(request, f"{count} flag(s) marked as reviewed.")


# --- market configuration ---------------------------------------------------------------------


class AssetLimitInline(admin.TabularInline):
    model = AssetLimit
    extra = 0


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "enabled",
        "mid_rate_inr",
        "rate_updated_at",
        "buy_spread_bps",
        "sell_spread_bps",
        "platform_fee_bps",
        "network_fee",
    )
    list_filter = ("enabled", "network", "symbol")
    readonly_fields = ("rate_updated_at",)
    inlines = [AssetLimitInline]

    def save_model(self, request, obj, form, change):
        if "mid_rate_inr" in form.changed_data:
            obj.rate_updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(PlatformSettings)
class PlatformSettingsAdmin(admin.ModelAdmin):
    fieldsets = (
        ("UPI collection", {"fields": ("upi_vpa", "upi_payee_name")}),
        (
            "Bank account for IMPS",
            {"fields": ("bank_account_name", "bank_account_number", "bank_ifsc", "bank_name")},
        ),
        (
            "Windows and tax",
            {"fields": ("quote_validity_seconds", "order_validity_minutes", "tds_bps")},
        ),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        PlatformSettings.load()
        return redirect("admin:ramp_platformsettings_change", 1)


# --- orders ----------------------------------------------------------------------------------


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("created_at", "from_status", "to_status", "actor", "note")


class CheckoutStateFilter(admin.ChoicesFieldListFilter):
    """Card checkouts by outcome; "Paid after the order closed" lists card money to refund."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "card checkout"


@admin.register(Order)
class OrderAdmin(ServiceOnlyAdmin):
    list_display = (
        "reference",
        "created_at",
        "user",
        "side",
        "asset",
        "payment_method",
        "fiat_amount",
        "crypto_amount",
        "status",
        "utr",
    )
    list_filter = (
        "status",
        "side",
        "payment_method",
        "asset",
        ("checkout__state", CheckoutStateFilter),
        ("created_at", admin.DateFieldListFilter),
    )
    search_fields = ("=id", "reference", "user__email", "utr", "tx_hash", "payout_tx_hash")
    list_select_related = ("user", "asset")
    date_hierarchy = "created_at"
    inlines = [OrderEventInline]
    change_form_template = "admin/ramp/order/change_form.html"
    readonly_fields = [field.name for field in Order._meta.fields]

    class Media:
        css = {"all": ["admin-extra/admin.css"]}

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/act/<slug:action>/",
                self.admin_site.admin_view(self.action_view),
                name="ramp_order_act",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, **kwargs):
        order = kwargs.get("obj")
        context["order_actions"] = order_actions.available(order, request.user) if order else []
        return super().render_change_form(request, context, *args, **kwargs)

    def action_view(self, request, object_id, action):
        order = get_object_or_404(Order, pk=object_id)
        spec = order_actions.ACTIONS.get(action)
        if spec is None or not request.user.has_perm(spec.permission):
            raise PermissionDenied
        inputs = {name: request.POST.get(name, "") for name in spec.inputs}
        return service_form(
            self,
            request,
            action=lambda: spec.run(order=order, staff=request.user, **inputs),
            success=f"{order.reference}: {spec.label} done.",
            redirect_to=("admin:ramp_order_change", object_id),
            template="admin/ramp/order/action.html",
            context={
                "order": order,
                "spec": spec,
                "values": request.POST,
                "title": f"{spec.label}: {order.reference}",
            },
        )


# --- reconciliation --------------------------------------------------------------------------


class StatementLineInline(ReadOnlyInline):
    model = StatementLine
    fields = ("line_number", "value_date", "utr", "amount", "outcome", "order", "description")


@admin.register(BankStatement)
class BankStatementAdmin(admin.ModelAdmin):
    list_display = ("file_name", "format", "imported_at", "imported_by", "summary")
    readonly_fields = ("file_name", "format", "sha256", "imported_at", "imported_by", "summary")
    inlines = [StatementLineInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("imported_by").prefetch_related("lines")

    @admin.display(description="Report")
    def summary(self, statement):
        counts = {}
        for line in statement.lines.all():
            counts[line.get_outcome_display()] = counts.get(line.get_outcome_display(), 0) + 1
        return "; ".join(f"{label}: {count}" for label, count in sorted(counts.items()))

    def has_add_permission(self, request):
        return request.user.has_perm("ramp.import_statement")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        error = None
        if request.method == "POST" and request.FILES.get("statement"):
            upload = request.FILES["statement"]
            try:
                statement = statement_import(
                    file_name=upload.name, content=upload.read(), staff=request.user
                )
            except DomainError as exc:
                error = exc.message
            else:
                self.message_user(request, f"Imported {statement.file_name}.", messages.SUCCESS)
                return redirect("admin:ramp_bankstatement_change", statement.pk)
        elif request.method == "POST":
            error = "Choose a CSV file."
        return TemplateResponse(
            request,
            "admin/ramp/bankstatement/upload.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "error": error,
                "title": "Import a bank statement",
            },
        )
