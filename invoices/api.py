"""
Merchant invoice API (SPEC §3): ``/v1/ingress/invoice`` and ``/v1/egress/invoice``.

Every POST honours ``Idempotency-Key``: the first answer is stored (per merchant, with a
fingerprint of the body) and replayed for the same key and body; another body is a 409. The
record is written in the same transaction as the invoice, so two concurrent requests with one
key create one invoice.
"""

import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import ApiKeyAuthentication, scope_required
from config.errors import Conflict, DomainError
from invoices import services
from invoices.models import IdempotencyRecord, Invoice

MAX_BODY = 32 * 1024
MAX_METADATA = 4 * 1024
CURRENCIES = {"INR": 2}


class InvoiceInput(serializers.Serializer):
    amount = serializers.CharField(max_length=24, help_text='Decimal string, e.g. "1500.00".')
    currency = serializers.CharField(max_length=3, help_text="ISO 4217; INR.")
    reference = serializers.CharField(max_length=120)
    callback_url = serializers.URLField(max_length=2000)
    expires_at = serializers.DateTimeField(help_text="ISO 8601 with a time zone.")
    description = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    metadata = serializers.JSONField(required=False, default=dict)
    redirect_url = serializers.URLField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    refresh_invoice_url = serializers.URLField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    invoice_display_key = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    customer_email = serializers.EmailField(required=False, allow_blank=True, default="")

    def validate_currency(self, value):
        value = value.upper()
        if value not in CURRENCIES:
            raise serializers.ValidationError(f"Unknown currency; use one of {sorted(CURRENCIES)}.")
        return value

    def validate_metadata(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("metadata must be a JSON object.")
        if len(json.dumps(value)) > MAX_METADATA:
            raise serializers.ValidationError(f"metadata must be at most {MAX_METADATA} bytes.")
        return value

    def validate(self, data):
        try:
            amount = Decimal(data["amount"])
        except InvalidOperation:
            raise ValidationError({"amount": ["Not a decimal number."]}) from None
        places = CURRENCIES.get(data["currency"], 2)
        if not amount.is_finite() or amount <= 0:
            raise ValidationError({"amount": ["Must be positive."]})
        if -amount.as_tuple().exponent > places or amount >= Decimal("1e12"):
            raise ValidationError({"amount": [f"At most {places} decimal places and 12 digits."]})
        data["amount"] = amount
        if data["expires_at"].tzinfo is None:
            raise ValidationError(
                {"expires_at": ["Include a time zone, e.g. 2026-12-01T10:00:00Z."]}
            )
        return data


class InvoiceOutput(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Invoice.Kind.choices)
    status = serializers.ChoiceField(choices=Invoice.Status.choices)
    amount = serializers.CharField()
    currency = serializers.CharField()
    reference = serializers.CharField()
    description = serializers.CharField()
    metadata = serializers.JSONField()
    url = serializers.URLField()
    qr_url = serializers.URLField()
    expires_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    redirect_url = serializers.URLField(allow_null=True)
    callback_url = serializers.URLField()
    refresh_invoice_url = serializers.URLField(allow_null=True)
    invoice_display_key = serializers.CharField(allow_null=True)
    customer_email = serializers.EmailField(allow_null=True)


class InvoicePage(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = InvoiceOutput(many=True)


class InvoiceSchema(AutoSchema):
    """Operation ids like ingress_invoice_list, egress_invoice_cancel."""

    ACTIONS = {
        ("InvoiceCollection", "get"): "list",
        ("InvoiceCollection", "post"): "create",
        ("InvoiceDetail", "get"): "retrieve",
        ("InvoiceCancel", "post"): "cancel",
    }

    def get_operation_id(self):
        base = type(self.view).__mro__[1].__name__
        return f"{self.view.kind}_invoice_{self.ACTIONS[(base, self.method.lower())]}"


class MerchantApiView(APIView):
    schema = InvoiceSchema()
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [scope_required("invoices")]
    kind = None

    def permission_denied(self, request, message=None, code=None):
        if request.user is None or not getattr(request.user, "is_authenticated", False):
            raise NotAuthenticated("Send your API key as Authorization: Bearer <key>.")
        super().permission_denied(request, message, code)

    def merchant_invoice(self, request, invoice_id):
        try:
            return Invoice.objects.get(
                pk=invoice_id, merchant=request.user.merchant, kind=self.kind
            )
        except (Invoice.DoesNotExist, ValueError, DomainError):
            raise NotFound("No such invoice.") from None


def _fingerprint(request):
    return hashlib.sha256(
        request.method.encode() + request.path.encode() + request.body
    ).hexdigest()


def _idempotent(request, merchant, create):
    """Run ``create`` once per Idempotency-Key; replay its answer; 409 for another body."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return create()
    if len(key) > 255:
        raise ValidationError({"Idempotency-Key": ["At most 255 characters."]})
    fingerprint = _fingerprint(request)
    stored = IdempotencyRecord.objects.filter(merchant=merchant, key=key).first()
    if stored is None:
        try:
            with transaction.atomic():
                response = create()
                IdempotencyRecord.objects.create(
                    merchant=merchant,
                    key=key,
                    fingerprint=fingerprint,
                    status_code=response.status_code,
                    response=response.data,
                )
                return response
        except IntegrityError:
            # A concurrent request with this key won; answer as it did.
            stored = IdempotencyRecord.objects.get(merchant=merchant, key=key)
    if stored.fingerprint != fingerprint:
        raise Conflict(
            "This Idempotency-Key was used with a different request.", code="idempotency_key_reused"
        )
    return Response(
        stored.response, status=stored.status_code, headers={"Idempotent-Replayed": "true"}
    )


class InvoiceCursor(CursorPagination):
    ordering = "-created_at"
    page_size = 50
    max_page_size = 200
    page_size_query_param = "limit"


class InvoiceCollection(MerchantApiView):
    @extend_schema(
        request=InvoiceInput,
        responses={201: InvoiceOutput},
        parameters=[
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)
        ],
    )
    def post(self, request):
        if len(request.body) > MAX_BODY:
            raise ValidationError({"body": [f"At most {MAX_BODY} bytes."]})
        merchant = request.user.merchant

        def create():
            serializer = InvoiceInput(data=request.data)
            serializer.is_valid(raise_exception=True)
            invoice = services.invoice_create(
                merchant=merchant, kind=self.kind, **serializer.validated_data
            )
            return Response(services.invoice_data(invoice), status=201)

        return _idempotent(request, merchant, create)

    @extend_schema(responses={200: InvoicePage})
    def get(self, request):
        invoices = Invoice.objects.filter(merchant=request.user.merchant, kind=self.kind)
        status = request.query_params.get("status")
        if status:
            invoices = invoices.filter(status=status)
        paginator = InvoiceCursor()
        page = paginator.paginate_queryset(invoices, request, view=self)
        return paginator.get_paginated_response(
            [services.invoice_data(invoice) for invoice in page]
        )


class InvoiceDetail(MerchantApiView):
    @extend_schema(responses={200: InvoiceOutput})
    def get(self, request, invoice_id):
        return Response(services.invoice_data(self.merchant_invoice(request, invoice_id)))


class InvoiceCancel(MerchantApiView):
    @extend_schema(request=None, responses={200: InvoiceOutput})
    def post(self, request, invoice_id):
        invoice = services.invoice_cancel(invoice=self.merchant_invoice(request, invoice_id))
        return Response(services.invoice_data(invoice))


def views_for(kind):
    return {
        "collection": type(
            f"{kind.capitalize()}InvoiceCollection", (InvoiceCollection,), {"kind": kind}
        ).as_view(),
        "detail": type(
            f"{kind.capitalize()}InvoiceDetail", (InvoiceDetail,), {"kind": kind}
        ).as_view(),
        "cancel": type(
            f"{kind.capitalize()}InvoiceCancel", (InvoiceCancel,), {"kind": kind}
        ).as_view(),
    }
