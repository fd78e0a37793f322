"""Card number checks before anything goes to the provider (Luhn, brand, expiry, CVV)."""

import re

from django.utils import timezone
from stdnum import luhn

BRANDS = [
    ("amex", re.compile(r"^3[47]")),
    ("rupay", re.compile(r"^(60|65|81|82|508)")),
    ("mastercard", re.compile(r"^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))")),
    ("visa", re.compile(r"^4")),
]


def card_brand(number):
    return next((brand for brand, pattern in BRANDS if pattern.match(number)), "card")


def clean_card_number(value):
    number = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"\d{12,19}", number) or not luhn.is_valid(number):
        return None
    return number


def clean_expiry(value, *, today=None):
    """'MM/YY' or 'MM/YYYY' → (month, year), or None when malformed or in the past."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", value or "")
    if not match:
        return None
    month, year = int(match.group(1)), int(match.group(2))
    year += 2000 if year < 100 else 0
    today = today or timezone.localdate()
    if not 1 <= month <= 12 or (year, month) < (today.year, today.month) or year > today.year + 20:
        return None
    return month, year
