from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path

from config.admin_site import ReadOnlyInline, ServiceOnlyAdmin, service_form
from invoices import services, webhooks
from invoices.models import (
    Invoice,
    InvoiceEvent,
    LedgerEntry,
    MerchantBalance,
    WebhookAttempt,
    WebhookDelivery,
)


class InvoiceEventInline(ReadOnlyInline):
    model = InvoiceEvent
    fields = ("created_at", "from_status", "to_status", "actor", "note")


@admin.register(Invoice)
class InvoiceAdmin(ServiceOnlyAdmin):
    list_display = ("created_at", "merchant", "kind", "reference", "amount", "status", "bound_user")
    list_filter = ("kind", "status", "merchant")
    search_fields = ("=id", "reference", "token", "merchant__name", "bound_user__email")
    list_select_related = ("merchant", "bound_user")
    readonly_fields = [field.name for field in Invoice._meta.fields]
    inlines = [InvoiceEventInline]
    change_form_template = "admin/invoices/invoice/change_form.html"

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/payout/",
                self.admin_site.admin_view(self.payout_view),
                name="invoices_invoice_payout",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, **kwargs):
        invoice = kwargs.get("obj")
        context["can_pay_out"] = (
            invoice is not None
            and invoice.status == Invoice.Status.CONFIRMED
            and request.user.has_perm("invoices.pay_out_egress")
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def payout_view(self, request, object_id):
        if not request.user.has_perm("invoices.pay_out_egress"):
            raise PermissionDenied
        invoice = get_object_or_404(Invoice, pk=object_id)
        return service_form(
            self,
            request,
            action=lambda: services.egress_payout_complete(
                invoice=invoice, staff=request.user, reference=request.POST.get("reference", "")
            ),
            success=f"Withdrawal {invoice.reference} is paid out.",
            redirect_to=("admin:invoices_invoice_change", object_id),
            template="admin/invoices/invoice/payout.html",
            context={"invoice": invoice, "title": f"Pay out {invoice.reference}"},
        )


class WebhookAttemptInline(ReadOnlyInline):
    model = WebhookAttempt
    fields = ("started_at", "status_code", "latency_ms", "response_excerpt", "error")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "merchant",
        "event_type",
        "status",
        "attempt_count",
        "next_attempt_at",
        "url",
    )
    list_filter = ("status", "event_type", "merchant")
    search_fields = ("=id", "url", "invoice__reference")
    list_select_related = ("merchant",)
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
    inlines = [WebhookAttemptInline]
    actions = ["resend_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Re-send selected deliveries now")
    def resend_selected(self, request, queryset):
        for delivery in queryset:
            webhooks.resend(delivery=delivery)
        self.message_user(request, f"{queryset.count()} delivery(ies) queued again.")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ServiceOnlyAdmin):
    list_display = ("created_at", "merchant", "account", "amount", "memo", "journal")
    list_filter = ("account", "merchant")
    search_fields = ("=journal", "memo")
    readonly_fields = [field.name for field in LedgerEntry._meta.fields]


@admin.register(MerchantBalance)
class MerchantBalanceAdmin(ServiceOnlyAdmin):
    list_display = ("merchant", "available", "currency", "updated_at")
    readonly_fields = ("merchant", "available", "currency", "updated_at")
