"""
Quote arithmetic: pure functions on Decimal, no database.

One rounding rule, in the platform's favour by at most one minor unit: every figure the person
**receives** is rounded down, and every figure the person **pays** (the amount, fees, TDS) is
rounded up, each to the minor unit of its currency — 0.01 for rupees, ``asset.decimals`` places
for crypto. Figures always add up: ``gross_fiat = fiat_amount - platform_fee`` on a buy and
``gross_fiat = fiat_amount + platform_fee + tds`` on a sell.

Buy (the person pays rupees, receives crypto):
    rate          = mid * (1 + buy spread)
    platform_fee  = fiat_amount * fee rate                       (up)
    gross_fiat    = fiat_amount - platform_fee
    crypto_amount = gross_fiat / rate - network_fee              (down)
  Entered in crypto, the rupee amount is solved for (up) and the crypto amount is the one asked.

Sell (the person sends crypto, receives rupees):
    rate          = mid * (1 - sell spread)
    gross_fiat    = crypto_amount * rate                         (down)
    tds           = gross_fiat * TDS rate (1 %)                  (up)
    platform_fee  = gross_fiat * fee rate                        (up)
    fiat_amount   = gross_fiat - tds - platform_fee
  Entered in rupees, the crypto amount is solved for (up) so the payout covers the amount asked.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

PAISA = Decimal("0.01")
RATE_QUANTUM = Decimal("0.00000001")
BPS = Decimal(10_000)


class AmountTooSmall(ValueError):
    pass


@dataclass(frozen=True)
class Figures:
    mid_rate: Decimal
    rate: Decimal
    spread_bps: int
    fiat_amount: Decimal
    crypto_amount: Decimal
    gross_fiat: Decimal
    platform_fee: Decimal
    network_fee: Decimal
    tds: Decimal


def up(value, quantum):
    return value.quantize(quantum, rounding=ROUND_CEILING)


def down(value, quantum):
    return value.quantize(quantum, rounding=ROUND_FLOOR)


def buy_rate(mid, spread_bps):
    return up(mid * (1 + Decimal(spread_bps) / BPS), RATE_QUANTUM)


def sell_rate(mid, spread_bps):
    return down(mid * (1 - Decimal(spread_bps) / BPS), RATE_QUANTUM)


def buy_from_fiat(*, mid, spread_bps, fee_bps, network_fee, quantum, fiat_amount):
    rate = buy_rate(mid, spread_bps)
    fiat_amount = up(fiat_amount, PAISA)
    platform_fee = up(fiat_amount * fee_bps / BPS, PAISA)
    gross_fiat = fiat_amount - platform_fee
    crypto_amount = down(gross_fiat / rate - network_fee, quantum)
    if crypto_amount <= 0:
        raise AmountTooSmall("The amount does not cover the network fee.")
    return Figures(
        mid,
        rate,
        spread_bps,
        fiat_amount,
        crypto_amount,
        gross_fiat,
        platform_fee,
        network_fee,
        Decimal(0),
    )


def buy_from_crypto(*, mid, spread_bps, fee_bps, network_fee, quantum, crypto_amount):
    crypto_amount = up(crypto_amount, quantum)
    if crypto_amount <= 0:
        raise AmountTooSmall("Enter an amount above zero.")
    rate = buy_rate(mid, spread_bps)
    gross_needed = (crypto_amount + network_fee) * rate
    fiat_amount = up(gross_needed / (1 - Decimal(fee_bps) / BPS), PAISA)
    platform_fee = up(fiat_amount * fee_bps / BPS, PAISA)
    # Rounding the fee up may eat into what must be converted: pay one more paisa until it fits.
    while (fiat_amount - platform_fee) < gross_needed:
        fiat_amount += PAISA
        platform_fee = up(fiat_amount * fee_bps / BPS, PAISA)
    gross_fiat = fiat_amount - platform_fee
    return Figures(
        mid,
        rate,
        spread_bps,
        fiat_amount,
        crypto_amount,
        gross_fiat,
        platform_fee,
        network_fee,
        Decimal(0),
    )


def sell_from_crypto(*, mid, spread_bps, fee_bps, tds_bps, quantum, crypto_amount):
    crypto_amount = up(crypto_amount, quantum)
    rate = sell_rate(mid, spread_bps)
    gross_fiat = down(crypto_amount * rate, PAISA)
    tds = up(gross_fiat * tds_bps / BPS, PAISA)
    platform_fee = up(gross_fiat * fee_bps / BPS, PAISA)
    fiat_amount = gross_fiat - tds - platform_fee
    if fiat_amount <= 0:
        raise AmountTooSmall("The amount is too small to pay out.")
    return Figures(
        mid, rate, spread_bps, fiat_amount, crypto_amount, gross_fiat, platform_fee, Decimal(0), tds
    )


def sell_from_fiat(*, mid, spread_bps, fee_bps, tds_bps, quantum, fiat_amount):
    fiat_amount = up(fiat_amount, PAISA)
    if fiat_amount <= 0:
        raise AmountTooSmall("Enter an amount above zero.")
    rate = sell_rate(mid, spread_bps)
    keep = 1 - (Decimal(tds_bps) + Decimal(fee_bps)) / BPS
    gross_target = up(fiat_amount / keep, PAISA)
    # Fees round up, so aim a paisa higher until the payout covers what was asked (1–3 rounds).
    while True:
        figures = sell_from_crypto(
            mid=mid,
            spread_bps=spread_bps,
            fee_bps=fee_bps,
            tds_bps=tds_bps,
            quantum=quantum,
            crypto_amount=up(gross_target / rate, quantum),
        )
        if figures.fiat_amount >= fiat_amount:
            return figures
        gross_target += PAISA
