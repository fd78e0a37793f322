from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html

from config.admin_site import ReadOnlyInline, ServiceOnlyAdmin, service_form
from kyc import selectors, services
from kyc.errors import KycError
from kyc.models import KycEvent, KycLevel, KycStatus, KycSubmission


@admin.register(KycLevel)
class KycLevelAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "per_order_limit_inr",
        "daily_limit_inr",
        "monthly_limit_inr",
        "allows_card_rails",
    )


class KycEventInline(ReadOnlyInline):
    model = KycEvent
    fields = ("created_at", "from_status", "to_status", "actor", "reason")


def _document_preview(submission, kind, label):
    url = reverse("kyc:document", args=[submission.pk, kind])
    name = getattr(submission, selectors.DOCUMENT_FIELDS[kind]).name
    if name.endswith(".pdf"):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Open {} (PDF)</a>', url, label
        )
    return format_html(
        '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" class="kyc-doc"></a>',
        url,
        url,
        label,
    )


@admin.register(KycSubmission)
class KycSubmissionAdmin(ServiceOnlyAdmin):
    """The review queue: pending first, oldest first."""

    list_display = (
        "user",
        "full_name",
        "pan_number",
        "status",
        "level",
        "created_at",
        "reviewed_by",
    )
    list_filter = ("status", "level", "created_at")
    search_fields = ("user__email", "pan_number", "full_name")
    list_select_related = ("user", "level", "reviewed_by")
    actions = ["approve_selected"]
    change_form_template = "admin/kyc/kycsubmission/change_form.html"
    inlines = [KycEventInline]
    fieldsets = (
        (
            "Typed by the person",
            {"fields": ("user", "full_name", "date_of_birth", "pan_number", "aadhaar_masked")},
        ),
        ("Documents", {"fields": ("pan_preview", "aadhaar_preview", "selfie_preview")}),
        (
            "Review",
            {"fields": ("status", "level", "rejection_reason", "reviewed_by", "reviewed_at")},
        ),
    )
    readonly_fields = (
        "user",
        "full_name",
        "date_of_birth",
        "pan_number",
        "aadhaar_masked",
        "pan_preview",
        "aadhaar_preview",
        "selfie_preview",
        "status",
        "level",
        "rejection_reason",
        "reviewed_by",
        "reviewed_at",
    )

    class Media:
        css = {"all": ["admin-extra/admin.css"]}

    def get_queryset(self, request):
        return selectors.review_queue()

    @admin.display(description="Aadhaar")
    def aadhaar_masked(self, obj):
        return obj.aadhaar_masked

    @admin.display(description="PAN card")
    def pan_preview(self, obj):
        return _document_preview(obj, "pan", "PAN card")

    @admin.display(description="Masked Aadhaar")
    def aadhaar_preview(self, obj):
        return _document_preview(obj, "aadhaar", "Masked Aadhaar")

    @admin.display(description="Selfie")
    def selfie_preview(self, obj):
        return _document_preview(obj, "selfie", "Selfie")

    def _can_review(self, request):
        return request.user.has_perm("kyc.review_kycsubmission")

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="kyc_kycsubmission_approve",
            ),
            path(
                "<uuid:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="kyc_kycsubmission_reject",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, **kwargs):
        obj = kwargs.get("obj")
        context["can_decide"] = (
            obj is not None and obj.status == KycStatus.PENDING and self._can_review(request)
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def approve_view(self, request, object_id):
        if request.method != "POST" or not self._can_review(request):
            raise PermissionDenied
        submission = get_object_or_404(KycSubmission, pk=object_id)
        try:
            services.kyc_approve(submission=submission, reviewer=request.user)
        except KycError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, f"{submission.full_name} is verified.", messages.SUCCESS)
        return redirect("admin:kyc_kycsubmission_change", object_id)

    def reject_view(self, request, object_id):
        if not self._can_review(request):
            raise PermissionDenied
        submission = get_object_or_404(KycSubmission, pk=object_id)
        return service_form(
            self,
            request,
            action=lambda: services.kyc_reject(
                submission=submission, reviewer=request.user, reason=request.POST.get("reason", "")
            ),
            success=f"{submission.full_name} was rejected.",
            redirect_to=("admin:kyc_kycsubmission_change", object_id),
            template="admin/kyc/kycsubmission/reject.html",
            context={
                "submission": submission,
                "reason": request.POST.get("reason", ""),
                "title": f"Reject {submission.full_name}",
            },
        )

    @admin.action(description="Approve selected pending submissions")
    def approve_selected(self, request, queryset):
        if not self._can_review(request):
            raise PermissionDenied
        approved, refused = 0, []
        for submission in queryset.filter(status=KycStatus.PENDING):
            try:
                services.kyc_approve(submission=submission, reviewer=request.user)
            except KycError as error:
                refused.append(f"{submission.full_name}: {error.message}")
                continue
            approved += 1
        if refused:
            self.message_user(
                request,
                f"Approved {approved} submission(s); {len(refused)} could not be — "
                + "; ".join(refused),
                messages.WARNING,
            )
        else:
            self.message_user(request, f"Approved {approved} submission(s).", messages.SUCCESS)
