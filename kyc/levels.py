"""The KYC levels the product ships with. Staff may change the limits in the admin."""

from decimal import Decimal

VERIFIED_LEVEL = "KYC_0"

DEFAULT_LEVELS = {
    VERIFIED_LEVEL: {
        "name": "Verified basic",
        "per_order_limit_inr": Decimal("200000.00"),
        "daily_limit_inr": Decimal("500000.00"),
        "monthly_limit_inr": Decimal("2000000.00"),
        "allows_card_rails": True,
    },
}


def ensure_level(level_model, code):
    """The level row, created with its shipped limits if it is missing."""
    level, _ = level_model.objects.get_or_create(code=code, defaults=DEFAULT_LEVELS[code])
    return level
