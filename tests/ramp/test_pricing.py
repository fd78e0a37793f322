from decimal import Decimal as D

import pytest

from ramp import pricing

USDT = {"mid": D("88.50"), "fee_bps": 50, "quantum": D("0.000001")}


def test_a_buy_in_rupees_shows_every_figure_and_they_add_up():
    figures = pricing.buy_from_fiat(
        **USDT, spread_bps=100, network_fee=D("1"), fiat_amount=D("10000")
    )

    assert figures.rate == D("89.385")  # 88.50 + 1 %
    assert figures.platform_fee == D("50.00")  # 0.5 %
    assert figures.gross_fiat == D("9950.00")
    # 9950 / 89.385 = 111.3162163..., less 1 USDT network fee, rounded down
    assert figures.crypto_amount == D("110.316216")
    assert figures.fiat_amount == figures.gross_fiat + figures.platform_fee


def test_a_buy_in_crypto_charges_enough_to_deliver_exactly_that():
    figures = pricing.buy_from_crypto(
        **USDT, spread_bps=100, network_fee=D("1"), crypto_amount=D("100")
    )

    assert figures.crypto_amount == D("100")
    assert figures.gross_fiat >= (figures.crypto_amount + figures.network_fee) * figures.rate
    assert figures.gross_fiat - (figures.crypto_amount + figures.network_fee) * figures.rate < D(
        "0.02"
    )
    assert figures.fiat_amount == figures.gross_fiat + figures.platform_fee


def test_a_sell_shows_tds_as_its_own_line():
    figures = pricing.sell_from_crypto(**USDT, spread_bps=100, tds_bps=100, crypto_amount=D("100"))

    assert figures.rate == D("87.615")
    assert figures.gross_fiat == D("8761.50")
    assert figures.tds == D("87.62")  # 1 % of 8761.50 = 87.615, rounded up
    assert figures.platform_fee == D("43.81")  # 0.5 % = 43.8075, rounded up
    assert figures.fiat_amount == D("8630.07")
    assert figures.fiat_amount + figures.tds + figures.platform_fee == figures.gross_fiat


@pytest.mark.parametrize("wanted", [D("500"), D("8500"), D("12345.67"), D("99999.99")])
def test_a_sell_in_rupees_pays_at_least_what_was_asked_within_a_paisa(wanted):
    figures = pricing.sell_from_fiat(**USDT, spread_bps=100, tds_bps=100, fiat_amount=wanted)

    assert wanted <= figures.fiat_amount <= wanted + D("0.02")
    assert figures.fiat_amount + figures.tds + figures.platform_fee == figures.gross_fiat


@pytest.mark.parametrize("amount", [D("100"), D("999.99"), D("12345.67"), D("250000")])
def test_rounding_favours_the_platform_by_at_most_one_minor_unit(amount):
    buy = pricing.buy_from_fiat(**USDT, spread_bps=100, network_fee=D("1"), fiat_amount=amount)
    exact_crypto = (amount - buy.platform_fee) / buy.rate - D("1")
    assert D(0) <= exact_crypto - buy.crypto_amount < D("0.000001")
    exact_fee = amount * D("0.005")
    assert D(0) <= buy.platform_fee - exact_fee < D("0.01")


def test_an_amount_that_does_not_cover_the_network_fee_is_refused():
    with pytest.raises(pricing.AmountTooSmall):
        pricing.buy_from_fiat(**USDT, spread_bps=100, network_fee=D("1"), fiat_amount=D("50"))


def test_bitcoin_is_kept_to_eight_places():
    figures = pricing.buy_from_fiat(
        mid=D("8500000"),
        fee_bps=50,
        quantum=D("0.00000001"),
        spread_bps=100,
        network_fee=D("0.00002"),
        fiat_amount=D("10000"),
    )

    assert figures.crypto_amount.as_tuple().exponent == -8
