"""
The partner user API of seed 002, at exactly its paths. Thin views: each parses its fields and
calls the same service the pages use, so every rule and message is the pages' own.
"""

from datetime import date

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import ApiKeyAuthentication, PartnerTokenAuthentication, scope_required
from accounts.services import partner_user_login
from config.errors import DomainError, NotFound
from kyc.selectors import kyc_status_for
from kyc.services import kyc_submit
from ramp import qr, selectors
from ramp.models import PaymentMethod, PlatformSettings, Side
from ramp.services import destinations, orders
from ramp.services.quotes import enabled_asset, quote_create
from ramp.throttles import (
    PartnerRateThrottle,
    PersonRateThrottle,
    StatusPollThrottle,
    check_buckets,
)

# --- representations ---------------------------------------------------------------------------


def _money(value):
    return f"{value:.2f}"


def _crypto(value):
    return format(value.normalize(), "f") if value else "0"


def bank_account_data(account):
    return {
        "bank_account_id": str(account.pk),
        "account_number": account.masked,
        "ifsc": account.ifsc,
        "bank_name": account.bank_name,
        "holder_name": account.holder_name,
        "is_default": account.is_default,
        "verified_at": account.verified_at.isoformat(),
    }


def upi_id_data(upi):
    return {
        "upi_id_id": str(upi.pk),
        "upi_id": upi.vpa,
        "holder_name": upi.holder_name,
        "is_default": upi.is_default,
        "verified_at": upi.verified_at.isoformat(),
    }


def quote_data(quote):
    return {
        "quote_id": str(quote.pk),
        "side": quote.side,
        "crypto": quote.asset.symbol,
        "network": quote.asset.network,
        "payment_method": quote.payment_method,
        "fiat_currency": quote.fiat_currency,
        "rate": _money(quote.rate),
        "fiat_amount": _money(quote.fiat_amount),
        "crypto_amount": _crypto(quote.crypto_amount),
        "fees": {
            "platform_fee": _money(quote.platform_fee),
            "network_fee": _crypto(quote.network_fee),
            "tds": _money(quote.tds),
        },
        "expires_at": quote.expires_at.isoformat(),
    }


def payment_instructions(order):
    if not order.awaits_payment or order.side == Side.SELL:
        return None
    platform = PlatformSettings.load()
    if order.payment_method == PaymentMethod.INR_UPI:
        link = qr.order_upi_link(order, platform)
        return {
            "method": "INR_UPI",
            "upi_link": link,
            "upi_id": platform.upi_vpa,
            "reference": order.reference,
        }
    if order.payment_method == PaymentMethod.INR_IMPS:
        return {
            "method": "INR_IMPS",
            "reference": order.reference,
            "bank_account": {
                "account_name": platform.bank_account_name,
                "account_number": platform.bank_account_number,
                "ifsc": platform.bank_ifsc,
                "bank_name": platform.bank_name,
            },
        }
    # Absolute: the partner's app opens it in a browser, where a path would be the partner's own.
    checkout = settings.SITE_URL + reverse("ramp:checkout", args=[order.pk])
    return {"method": order.payment_method, "checkout_url": checkout}


def order_data(order):
    return {
        "order_id": str(order.pk),
        "reference": order.reference,
        "side": order.side,
        "status": order.status,
        "crypto": order.asset.symbol if order.asset else None,
        "network": order.asset.network if order.asset else None,
        "payment_method": order.payment_method,
        "fiat_currency": order.fiat_currency,
        "fiat_amount": _money(order.fiat_amount),
        "crypto_amount": _crypto(order.crypto_amount),
        "rate": _money(order.rate),
        "fees": {
            "platform_fee": _money(order.platform_fee),
            "network_fee": _crypto(order.network_fee),
            "tds": _money(order.tds),
        },
        "wallet_address": order.wallet_address or None,
        "deposit_address": order.deposit_address or None,
        "payment_instructions": payment_instructions(order),
        "utr": order.utr,
        "tx_hash": order.tx_hash,
        "payout_tx_hash": order.payout_tx_hash,
        "payout_reference": order.payout_reference or None,
        "failure_reason": order.failure_reason or None,
        "expires_at": order.expires_at.isoformat(),
        "created_at": order.created_at.isoformat(),
    }


# --- login -------------------------------------------------------------------------------------


class LoginInput(serializers.Serializer):
    email = serializers.EmailField()


class UserLogin(APIView):
    """Called by the partner with its API key (scope ``partner``): a 1-hour token for one person."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [scope_required("partner")]

    @extend_schema(
        request=LoginInput,
        responses=inline_serializer(
            "UserLoginResponse",
            {"access_token": serializers.CharField(), "expires_in": serializers.IntegerField()},
        ),
    )
    def post(self, request):
        serializer = LoginInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, expires_in = partner_user_login(
            partner=request.user.merchant, email=serializer.validated_data["email"]
        )
        return Response({"access_token": token, "expires_in": expires_in})


# --- the person's own endpoints ----------------------------------------------------------------


class PersonApiView(APIView):
    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [PersonRateThrottle, PartnerRateThrottle]

    def check_throttles(self, request):
        if getattr(request._request, "partner_gate", None):
            return  # ramp.api_gate took this call's tokens
        # All of the view's buckets in one cache round trip (DRF would ask each in turn).
        if waits := check_buckets(self.get_throttles(), request):
            self.throttled(request, max(waits))

    def field(self, name, required=True):
        value = request_value(self.request, name)
        if required and value in (None, ""):
            raise DomainError(
                f"{name} is required.",
                code="validation_error",
                details={name: ["This field is required."]},
            )
        return value

    def own_order(self, side):
        order = orders.order_for(user=self.request.user, order_id=self.field("order_id"))
        if order.side != side:
            raise NotFound("This order does not exist.")
        return order


def request_value(request, name):
    """A scalar field as text (numbers accepted), None when absent; anything else is a 400."""
    if not hasattr(request.data, "get"):
        raise DomainError("Send a JSON object (or form fields).", code="malformed_request")
    value = request.data.get(name)
    if value is None or isinstance(value, str):
        return value.strip() if value else value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise DomainError(
        f"{name} must be a string.", code="validation_error", details={name: ["Must be a string."]}
    )


class FetchKycStatus(PersonApiView):
    def post(self, request):
        state = kyc_status_for(user=request.user)
        return Response(
            {
                "status": state.status,
                "level": state.level,
                "rejection_reason": state.rejection_reason or None,
            }
        )


class UploadKyc(PersonApiView):
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request):
        born = self.field("date_of_birth")
        try:
            date_of_birth = date.fromisoformat(born)
        except (TypeError, ValueError):
            raise DomainError(
                "date_of_birth must be YYYY-MM-DD.",
                code="validation_error",
                details={"date_of_birth": ["Use YYYY-MM-DD."]},
            ) from None
        kyc_submit(
            user=request.user,
            full_name=self.field("full_name"),
            date_of_birth=date_of_birth,
            pan_number=self.field("pan_number"),
            aadhaar_number=self.field("aadhaar_number"),
            pan_image=request.FILES.get("pan_image"),
            aadhaar_image=request.FILES.get("aadhaar_image"),
            selfie=request.FILES.get("selfie"),
        )
        state = kyc_status_for(user=request.user)
        return Response(
            {"status": state.status, "level": state.level, "rejection_reason": None}, status=201
        )


class FetchBankAccounts(PersonApiView):
    def get(self, request):
        return Response(
            {
                "bank_accounts": [
                    bank_account_data(a) for a in selectors.bank_accounts_for(user=request.user)
                ]
            }
        )


class LinkBankAccount(PersonApiView):
    def post(self, request):
        account = destinations.bank_account_link(
            user=request.user, account_number=self.field("account_number"), ifsc=self.field("ifsc")
        )
        return Response(bank_account_data(account), status=201)


class FetchUpiIds(PersonApiView):
    def get(self, request):
        return Response(
            {"upi_ids": [upi_id_data(u) for u in selectors.upi_ids_for(user=request.user)]}
        )


class LinkUpiId(PersonApiView):
    def post(self, request):
        return Response(
            upi_id_data(destinations.upi_id_link(user=request.user, upi_id=self.field("upi_id"))),
            status=201,
        )


class Quotation(PersonApiView):
    side = None

    def post(self, request):
        currency = (self.field("fiat_currency", required=False) or "INR").upper()
        if currency != "INR":
            raise DomainError(
                "fiat_currency must be INR.",
                code="validation_error",
                details={"fiat_currency": ["INR only."]},
            )
        asset = enabled_asset(symbol=self.field("crypto"), network=self.field("network"))
        method = self.field("payment_method", required=False) or (
            PaymentMethod.INR_UPI if self.side == Side.BUY else PaymentMethod.INR_IMPS
        )
        quote = quote_create(
            user=request.user,
            side=self.side,
            asset=asset,
            payment_method=method,
            fiat_amount=self.field("fiat_amount", required=False),
            crypto_amount=self.field("crypto_amount", required=False),
        )
        return Response(quote_data(quote), status=201)


class FetchBuyQuotation(Quotation):
    side = Side.BUY


class FetchSellQuotation(Quotation):
    side = Side.SELL


class CreateOnrampOrder(PersonApiView):
    def post(self, request):
        order = orders.order_create_onramp(
            user=request.user,
            quote_id=self.field("quote_id"),
            wallet_address=self.field("wallet_address"),
            upi_id=self.field("upi_id", required=False),
            bank_account_id=self.field("bank_account_id", required=False),
        )
        return Response(order_data(order), status=201)


class CreateOfframpOrder(PersonApiView):
    def post(self, request):
        order = orders.order_create_offramp(
            user=request.user,
            quote_id=self.field("quote_id"),
            bank_account_id=self.field("bank_account_id", required=False),
        )
        return Response(order_data(order), status=201)


class UpdateUtr(PersonApiView):
    def post(self, request):
        order = orders.order_submit_utr(
            order=self.own_order(Side.BUY), utr=self.field("utr"), actor=request.user
        )
        return Response(order_data(order))


class UpdateTransactionHash(PersonApiView):
    def post(self, request):
        order = orders.order_submit_tx_hash(
            order=self.own_order(Side.SELL), tx_hash=self.field("tx_hash"), actor=request.user
        )
        return Response(order_data(order))


class OrderStatusView(PersonApiView):
    throttle_classes = [StatusPollThrottle, PartnerRateThrottle]
    side = None

    def post(self, request):
        order = self.own_order(self.side)
        orders.order_expire(order=order)
        return Response(order_data(order))


class FetchOrderStatus(OrderStatusView):
    side = Side.BUY


class FetchOfframpOrderStatus(OrderStatusView):
    side = Side.SELL


JSON_OR_FORM = [JSONParser, FormParser, MultiPartParser]
for view in (
    FetchKycStatus,
    LinkBankAccount,
    LinkUpiId,
    Quotation,
    CreateOnrampOrder,
    CreateOfframpOrder,
    UpdateUtr,
    UpdateTransactionHash,
    OrderStatusView,
):
    view.parser_classes = JSON_OR_FORM


# --- documentation of the request bodies (the views parse with self.field) ------------------------


def _body(name, **fields):
    return inline_serializer(name, fields)


S_ = serializers
KYC_UPLOAD = _body(
    "UploadKycRequest",
    full_name=S_.CharField(),
    date_of_birth=S_.DateField(),
    pan_number=S_.CharField(),
    aadhaar_number=S_.CharField(),
    pan_image=S_.FileField(),
    aadhaar_image=S_.FileField(),
    selfie=S_.FileField(),
)
LINK_BANK = _body("LinkBankAccountRequest", account_number=S_.CharField(), ifsc=S_.CharField())
LINK_UPI = _body("LinkUpiIdRequest", upi_id=S_.CharField())
QUOTATION = _body(
    "QuotationRequest",
    fiat_amount=S_.CharField(required=False),
    crypto_amount=S_.CharField(required=False),
    fiat_currency=S_.CharField(default="INR"),
    crypto=S_.CharField(),
    network=S_.CharField(),
    payment_method=S_.ChoiceField(choices=PaymentMethod.values, required=False),
)
ONRAMP = _body(
    "CreateOnrampOrderRequest",
    quote_id=S_.UUIDField(),
    wallet_address=S_.CharField(),
    upi_id=S_.UUIDField(required=False),
    bank_account_id=S_.UUIDField(required=False),
)
OFFRAMP = _body(
    "CreateOfframpOrderRequest",
    quote_id=S_.UUIDField(),
    bank_account_id=S_.UUIDField(required=False),
)
UTR = _body("UpdateUtrRequest", order_id=S_.UUIDField(), utr=S_.CharField())
TX_HASH = _body("UpdateTransactionHashRequest", order_id=S_.UUIDField(), tx_hash=S_.CharField())
ORDER_ID = _body("OrderIdRequest", order_id=S_.UUIDField())
KYC_STATUS = _body(
    "KycStatus",
    status=S_.CharField(),
    level=S_.CharField(allow_null=True),
    rejection_reason=S_.CharField(allow_null=True),
)

DOCS = {
    "FetchKycStatus": {"request": None, "responses": KYC_STATUS},
    "UploadKyc": {"request": {"multipart/form-data": KYC_UPLOAD}, "responses": {201: KYC_STATUS}},
    "FetchBankAccounts": {"responses": OpenApiTypes.OBJECT},
    "LinkBankAccount": {"request": LINK_BANK, "responses": {201: OpenApiTypes.OBJECT}},
    "FetchUpiIds": {"responses": OpenApiTypes.OBJECT},
    "LinkUpiId": {"request": LINK_UPI, "responses": {201: OpenApiTypes.OBJECT}},
    "FetchBuyQuotation": {"request": QUOTATION, "responses": {201: OpenApiTypes.OBJECT}},
    "FetchSellQuotation": {"request": QUOTATION, "responses": {201: OpenApiTypes.OBJECT}},
    "CreateOnrampOrder": {"request": ONRAMP, "responses": {201: OpenApiTypes.OBJECT}},
    "CreateOfframpOrder": {"request": OFFRAMP, "responses": {201: OpenApiTypes.OBJECT}},
    "UpdateUtr": {"request": UTR, "responses": OpenApiTypes.OBJECT},
    "UpdateTransactionHash": {"request": TX_HASH, "responses": OpenApiTypes.OBJECT},
    "FetchOrderStatus": {"request": ORDER_ID, "responses": OpenApiTypes.OBJECT},
    "FetchOfframpOrderStatus": {"request": ORDER_ID, "responses": OpenApiTypes.OBJECT},
}


def _documented(view, doc, name):
    """Give each view its own handler function, so inherited ones can be documented apart."""
    method = "get" if hasattr(view, "get") else "post"
    inherited = getattr(view, method)

    def handler(self, request, *args, **kwargs):
        return inherited(self, request, *args, **kwargs)

    setattr(view, method, extend_schema(operation_id=name, **doc)(handler))


for _name, _doc in DOCS.items():
    _documented(globals()[_name], _doc, _name)
