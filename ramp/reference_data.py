"""
The assets, limits and collection details the embedded default ships with (``seed_demo``), also
used by tests. Idempotent: rows that exist are left as staff edited them.
"""

from decimal import Decimal

from ramp.models import Asset, AssetLimit, PaymentMethod, PlatformSettings, Side

D = Decimal

# symbol, network, name, decimals, mid INR, network fee, deposit address, price id
ASSETS = [
    (
        "USDT",
        "TRC20",
        "Tether USD",
        6,
        D("88.50"),
        D("1"),
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
        "tether",
    ),
    (
        "USDT",
        "ERC20",
        "Tether USD",
        6,
        D("88.50"),
        D("3"),
        "0xdAC17F958D2ee523a2206206994597C13D831ec7",
        "tether",
    ),
    (
        "USDT",
        "BEP20",
        "Tether USD",
        6,
        D("88.50"),
        D("0.3"),
        "0x55d398326f99059fF775485246999027B3197955",
        "tether",
    ),
    (
        "USDT",
        "POLYGON",
        "Tether USD",
        6,
        D("88.50"),
        D("0.2"),
        "0xc2132D05D31c914a87C6611C10748AEb04B58e8F",
        "tether",
    ),
    (
        "USDC",
        "ERC20",
        "USD Coin",
        6,
        D("88.40"),
        D("3"),
        "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48",
        "usd-coin",
    ),
    (
        "USDC",
        "POLYGON",
        "USD Coin",
        6,
        D("88.40"),
        D("0.2"),
        "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359",
        "usd-coin",
    ),
    (
        "BTC",
        "BTC",
        "Bitcoin",
        8,
        D("8500000"),
        D("0.00002"),
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "bitcoin",
    ),
    (
        "ETH",
        "ETH",
        "Ether",
        8,
        D("300000"),
        D("0.0004"),
        "0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe",
        "ethereum",
    ),
]

LIMITS = [
    (Side.BUY, PaymentMethod.INR_UPI, D("100.00"), D("100000.00")),
    (Side.BUY, PaymentMethod.INR_IMPS, D("500.00"), D("500000.00")),
    (Side.BUY, PaymentMethod.CARD, D("500.00"), D("150000.00")),
    (Side.BUY, PaymentMethod.QBPAYFTOPUP, D("500.00"), D("150000.00")),
    (Side.SELL, PaymentMethod.INR_IMPS, D("500.00"), D("500000.00")),
]

COLLECTION = {
    "upi_vpa": "rampart.collect@okhdfcbank",
    "upi_payee_name": "Rampart Technologies Pvt Ltd",
    "bank_account_name": "Rampart Technologies Pvt Ltd",
    "bank_account_number": "50200098765432",
    "bank_ifsc": "HDFC0000240",
    "bank_name": "HDFC Bank",
}


def ensure_market():
    for symbol, network, name, decimals, mid, fee, address, price_id in ASSETS:
        asset, _ = Asset.objects.get_or_create(
            symbol=symbol,
            network=network,
            defaults={
                "name": name,
                "decimals": decimals,
                "mid_rate_inr": mid,
                "network_fee": fee,
                "deposit_address": address,
                "price_source_id": price_id,
            },
        )
        for side, method, low, high in LIMITS:
            AssetLimit.objects.get_or_create(
                asset=asset,
                side=side,
                payment_method=method,
                defaults={"min_fiat": low, "max_fiat": high},
            )
    platform = PlatformSettings.load()
    if not platform.collects_upi and not platform.collects_imps:
        for field, value in COLLECTION.items():
            setattr(platform, field, value)
        platform.save()
    return platform
