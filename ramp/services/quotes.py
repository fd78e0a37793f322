"""Quotes: a stored price for one person, valid 30 seconds, good for one order."""

import uuid
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from ramp import pricing
from ramp.errors import (
    AmountInvalid,
    MethodUnavailable,
    QuoteExpired,
    QuoteNotFound,
    RatesUnavailable,
)
from ramp.models import Asset, PaymentMethod, PlatformSettings, Quote, Side
from ramp.providers.base import ProviderError
from ramp.providers.rates import get_rate_source
from ramp.services.limits import check_limits, check_method_range

BUY_METHODS = {
    PaymentMethod.INR_UPI,
    PaymentMethod.INR_IMPS,
    PaymentMethod.CARD,
    PaymentMethod.QBPAYFTOPUP,
}
SELL_METHODS = {PaymentMethod.INR_IMPS}
MAX_AMOUNT = Decimal("1e12")


def parse_amount(value, *, places, field):
    """A positive Decimal with at most ``places`` decimals, or AmountInvalid naming ``field``."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise AmountInvalid("Enter a number, like 2500 or 2500.50.", field=field) from None
    if not amount.is_finite() or amount <= 0:
        raise AmountInvalid("Enter an amount above zero.", field=field)
    if amount >= MAX_AMOUNT:
        raise AmountInvalid("That amount is too large.", field=field)
    if -amount.as_tuple().exponent > places:
        raise AmountInvalid(f"Use at most {places} decimal places.", field=field)
    return amount


def enabled_asset(*, symbol=None, network=None, asset_id=None):
    assets = Asset.objects.filter(enabled=True)
    asset = (
        assets.filter(pk=asset_id).first()
        if asset_id is not None
        else assets.filter(symbol=(symbol or "").upper(), network=(network or "").upper()).first()
    )
    if asset is None:
        raise AmountInvalid("This asset or network is not available.", field="crypto")
    return asset


def quote_create(
    *, user, side, asset, payment_method, fiat_amount=None, crypto_amount=None
) -> Quote:
    """Price ``fiat_amount`` rupees or ``crypto_amount`` of ``asset`` for ``user`` and store it."""
    methods = BUY_METHODS if side == Side.BUY else SELL_METHODS
    if payment_method not in methods:
        raise MethodUnavailable(f"{payment_method} cannot be used to {side}.")
    fiat = parse_amount(fiat_amount, places=2, field="fiat_amount")
    crypto = parse_amount(crypto_amount, places=asset.decimals, field="crypto_amount")
    if (fiat is None) == (crypto is None):
        raise AmountInvalid(
            "Enter either the rupee amount or the crypto amount.", field="fiat_amount"
        )

    try:
        mid = get_rate_source().mid_rate(asset)
    except ProviderError as error:
        raise RatesUnavailable(error.message) from error
    platform = PlatformSettings.load()
    try:
        figures = _price(side, asset, platform, mid.rate, fiat, crypto)
    except pricing.AmountTooSmall as error:
        if fiat is not None:  # below the method's minimum says more than "too small"
            check_method_range(
                asset=asset, side=side, payment_method=payment_method, fiat_amount=fiat
            )
        raise AmountInvalid(str(error), field="fiat_amount" if fiat else "crypto_amount") from error
    check_limits(
        user=user,
        asset=asset,
        side=side,
        payment_method=payment_method,
        fiat_amount=figures.fiat_amount,
    )

    now = timezone.now()
    return Quote.objects.create(
        user=user,
        side=side,
        asset=asset,
        payment_method=payment_method,
        mid_rate=figures.mid_rate,
        rate=figures.rate,
        spread_bps=figures.spread_bps,
        fiat_amount=figures.fiat_amount,
        crypto_amount=figures.crypto_amount,
        gross_fiat=figures.gross_fiat,
        platform_fee=figures.platform_fee,
        network_fee=figures.network_fee,
        tds=figures.tds,
        created_at=now,
        expires_at=now + timedelta(seconds=platform.quote_validity_seconds),
    )


def _price(side, asset, platform, mid, fiat, crypto):
    common = {"mid": mid, "fee_bps": asset.platform_fee_bps, "quantum": asset.quantum}
    if side == Side.BUY:
        common |= {"spread_bps": asset.buy_spread_bps, "network_fee": asset.network_fee}
        if fiat is not None:
            return pricing.buy_from_fiat(**common, fiat_amount=fiat)
        return pricing.buy_from_crypto(**common, crypto_amount=crypto)
    common |= {"spread_bps": asset.sell_spread_bps, "tds_bps": platform.tds_bps}
    if fiat is not None:
        return pricing.sell_from_fiat(**common, fiat_amount=fiat)
    return pricing.sell_from_crypto(**common, crypto_amount=crypto)


def live_quote(*, user, quote_id, side):
    """The person's own unexpired quote for ``side`` (another person's is as good as missing)."""
    try:
        quote_id = uuid.UUID(str(quote_id))
    except ValueError:
        raise QuoteNotFound() from None
    try:  # get(), not first(): a primary-key lookup needs no ORDER BY
        quote = Quote.objects.select_related("asset").get(pk=quote_id, user=user, side=side)
    except Quote.DoesNotExist:
        raise QuoteNotFound() from None
    if quote.is_expired:
        raise QuoteExpired()
    return quote
