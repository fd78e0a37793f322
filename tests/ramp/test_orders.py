from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from kyc.errors import KycRequired
from ramp.errors import (
    DestinationRequired,
    OrderExpired,
    OrderFieldInvalid,
    OrderStateChanged,
    QuoteExpired,
    QuoteNotFound,
    QuoteUsed,
    TxHashAlreadyUsed,
    UtrAlreadyUsed,
)
from ramp.models import Asset, Order, OrderStatus
from ramp.services import orders
from ramp.services.quotes import quote_create
from tests.ramp.conftest import BTC_WALLET, EVM_WALLET, TRON_WALLET

pytestmark = pytest.mark.django_db
S = OrderStatus
UTR = "123456789012"
TRON_TX = "a" * 64


def buy_order(user, asset, fiat="2500", method="INR_UPI", **kwargs):
    quote = quote_create(
        user=user, side="buy", asset=asset, payment_method=method, fiat_amount=fiat
    )
    return orders.order_create_onramp(
        user=user, quote_id=quote.pk, wallet_address=kwargs.pop("wallet", TRON_WALLET), **kwargs
    )


def sell_order(user, asset, crypto="50"):
    quote = quote_create(
        user=user, side="sell", asset=asset, payment_method="INR_IMPS", crypto_amount=crypto
    )
    return orders.order_create_offramp(user=user, quote_id=quote.pk)


# --- creation ----------------------------------------------------------------------------


def test_an_order_takes_every_amount_from_the_quote(buyer, usdt, alice_upi):
    quote = quote_create(
        user=buyer, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="2500"
    )

    order = orders.order_create_onramp(
        user=buyer, quote_id=quote.pk, wallet_address=f"  {TRON_WALLET} "
    )

    assert order.status == S.FIAT_PENDING
    assert (order.fiat_amount, order.crypto_amount, order.rate, order.platform_fee) == (
        quote.fiat_amount,
        quote.crypto_amount,
        quote.rate,
        quote.platform_fee,
    )
    assert order.upi_id == alice_upi
    assert order.wallet_address == TRON_WALLET
    assert order.expires_at - order.created_at == pytest.approx(
        timedelta(hours=3), abs=timedelta(seconds=5)
    )
    assert order.reference.startswith("RMP") and len(order.reference) == 12
    assert [(e.from_status, e.to_status) for e in order.events.all()] == [("", S.FIAT_PENDING)]


def test_imps_uses_the_chosen_bank_account(buyer, usdt, alice_bank):
    order = buy_order(buyer, usdt, method="INR_IMPS", bank_account_id=str(alice_bank.pk))

    assert order.bank_account == alice_bank and order.upi_id is None


def test_a_quote_makes_one_order(buyer, usdt):
    quote = quote_create(
        user=buyer, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="2500"
    )
    orders.order_create_onramp(user=buyer, quote_id=quote.pk, wallet_address=TRON_WALLET)

    with pytest.raises(QuoteUsed):
        orders.order_create_onramp(user=buyer, quote_id=quote.pk, wallet_address=TRON_WALLET)
    assert Order.objects.count() == 1


def test_an_expired_quote_makes_no_order(buyer, usdt):
    quote = quote_create(
        user=buyer, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="2500"
    )

    with time_machine.travel(timezone.now() + timedelta(seconds=31)), pytest.raises(QuoteExpired):
        orders.order_create_onramp(user=buyer, quote_id=quote.pk, wallet_address=TRON_WALLET)
    assert not Order.objects.exists()


def test_someone_elses_quote_makes_no_order(buyer, verified_bob, usdt):
    quote = quote_create(
        user=buyer, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="2500"
    )

    with pytest.raises(QuoteNotFound):
        orders.order_create_onramp(user=verified_bob, quote_id=quote.pk, wallet_address=TRON_WALLET)


def test_a_sell_quote_cannot_make_a_buy_order(buyer, usdt):
    quote = quote_create(
        user=buyer, side="sell", asset=usdt, payment_method="INR_IMPS", crypto_amount="50"
    )

    with pytest.raises(QuoteNotFound):
        orders.order_create_onramp(user=buyer, quote_id=quote.pk, wallet_address=TRON_WALLET)


@pytest.mark.parametrize(
    ("symbol", "network", "wallet"),
    [
        ("USDT", "TRC20", "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU8"),  # checksum off by one
        ("USDT", "TRC20", EVM_WALLET),
        ("USDT", "ERC20", TRON_WALLET),
        ("USDT", "ERC20", "0x52908400098527886E0F7030069857D2E4169Ee7"),  # bad EIP-55 case
        ("USDT", "BEP20", "0x5290840009852788"),
        ("BTC", "BTC", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"),
        ("BTC", "BTC", EVM_WALLET),
        ("ETH", "ETH", BTC_WALLET),
    ],
)
def test_a_wallet_address_must_fit_the_network(buyer, market, symbol, network, wallet):
    asset = Asset.objects.get(symbol=symbol, network=network)

    with pytest.raises(OrderFieldInvalid, match=f"not a {network} address") as error:
        buy_order(buyer, asset, wallet=wallet)

    assert error.value.field == "wallet_address"
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("symbol", "network", "wallet"),
    [
        ("USDT", "ERC20", EVM_WALLET),
        ("USDT", "POLYGON", EVM_WALLET.lower()),
        ("BTC", "BTC", BTC_WALLET),
        ("BTC", "BTC", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
    ],
)
def test_valid_addresses_on_each_network_are_accepted(buyer, market, symbol, network, wallet):
    assert buy_order(
        buyer, Asset.objects.get(symbol=symbol, network=network), fiat="5000", wallet=wallet
    )


def test_a_method_without_a_linked_destination_is_refused(verified_alice, usdt):
    with pytest.raises(DestinationRequired, match="Link a UPI ID"):
        buy_order(verified_alice, usdt)
    with pytest.raises(DestinationRequired, match="Link a bank account"):
        buy_order(verified_alice, usdt, method="INR_IMPS")


def test_another_persons_upi_id_cannot_be_used(buyer, verified_bob, usdt):
    from ramp.services.destinations import upi_id_link

    bob_upi = upi_id_link(user=verified_bob, upi_id="bob@okaxis")

    with pytest.raises(OrderFieldInvalid, match="your own linked accounts"):
        buy_order(buyer, usdt, upi_id=str(bob_upi.pk))
    assert not Order.objects.exists()


def test_only_verified_people_create_orders(alice, usdt):
    with pytest.raises(KycRequired):
        orders.order_create_onramp(
            user=alice, quote_id="00000000-0000-0000-0000-000000000000", wallet_address=TRON_WALLET
        )


def test_a_sell_order_shows_the_deposit_address(buyer, usdt, alice_bank):
    order = sell_order(buyer, usdt)

    assert order.status == S.CRYPTO_INIT
    assert order.deposit_address == usdt.deposit_address
    assert order.bank_account == alice_bank


# --- UTR and transaction hash ------------------------------------------------------------


@pytest.mark.parametrize(
    "utr", ["12345678901", "1234567890123", "12345678901A", "", "１２３４５６７８９０１２"]
)
def test_a_utr_is_exactly_twelve_digits(buyer, usdt, utr):
    order = buy_order(buyer, usdt)

    with pytest.raises(OrderFieldInvalid, match="exactly 12 digits"):
        orders.order_submit_utr(order=order, utr=utr)
    order.refresh_from_db()
    assert order.status == S.FIAT_PENDING and order.utr is None


def test_submitting_a_utr_moves_the_order_on(
    buyer, usdt, mailoutbox, django_capture_on_commit_callbacks
):
    order = buy_order(buyer, usdt)

    with django_capture_on_commit_callbacks(execute=True):
        orders.order_submit_utr(order=order, utr="1234 5678 9012")

    assert (order.status, order.utr) == (S.ORDER_RECEIVED, UTR)
    assert order.events.last().actor == buyer
    assert "Checking your payment" in mailoutbox[-1].subject


def test_one_utr_credits_one_order(buyer, usdt):
    first, second = buy_order(buyer, usdt), buy_order(buyer, usdt)
    orders.order_submit_utr(order=first, utr=UTR)

    with pytest.raises(UtrAlreadyUsed):
        orders.order_submit_utr(order=second, utr=UTR)
    second.refresh_from_db()
    assert second.status == S.FIAT_PENDING


def test_a_utr_after_expiry_is_refused_and_can_be_used_on_a_new_order(buyer, usdt):
    old = buy_order(buyer, usdt)

    with time_machine.travel(timezone.now() + timedelta(hours=3, seconds=1)):
        with pytest.raises(OrderExpired):
            orders.order_submit_utr(order=old, utr=UTR)
        old.refresh_from_db()
        assert old.status == S.EXPIRED
        new = buy_order(buyer, usdt)  # same amount, new order
        orders.order_submit_utr(order=new, utr=UTR)
    assert new.status == S.ORDER_RECEIVED


def test_a_utr_cannot_be_changed_once_submitted(buyer, usdt):
    order = buy_order(buyer, usdt)
    orders.order_submit_utr(order=order, utr=UTR)

    with pytest.raises(OrderStateChanged):
        orders.order_submit_utr(order=order, utr="999999999999")


@pytest.mark.parametrize(
    ("network", "good", "bad"),
    [
        ("TRC20", "AB" * 32, "0x" + "ab" * 31),
        ("ERC20", "0x" + "Ab" * 32, "ab" * 32),
        ("BTC", "cd" * 32, "cd" * 33),
    ],
)
def test_tx_hashes_are_checked_per_network_and_claimed_once(
    buyer, market, alice_bank, network, good, bad
):
    asset = Asset.objects.get(network=network, symbol="BTC" if network == "BTC" else "USDT")
    crypto = "0.01" if network == "BTC" else "50"
    first, second = sell_order(buyer, asset, crypto), sell_order(buyer, asset, crypto)

    with pytest.raises(OrderFieldInvalid, match="transaction"):
        orders.order_submit_tx_hash(order=first, tx_hash=bad)
    orders.order_submit_tx_hash(order=first, tx_hash=good)
    assert first.status == S.ORDER_RECEIVED and first.tx_hash == good.lower()
    with pytest.raises(TxHashAlreadyUsed):
        orders.order_submit_tx_hash(
            order=second, tx_hash=good.upper() if network != "ERC20" else good
        )


# --- staff -----------------------------------------------------------------------------------


def test_a_buy_from_payment_to_completion(
    buyer, usdt, staff, mailoutbox, django_capture_on_commit_callbacks
):
    order = buy_order(buyer, usdt)
    with django_capture_on_commit_callbacks(execute=True):
        orders.order_submit_utr(order=order, utr=UTR)
        orders.order_confirm_fiat(order=order, staff=staff)
        orders.order_record_crypto_sent(order=order, staff=staff, tx_hash=TRON_TX)
        orders.order_mark_completed(order=order, staff=staff)

    assert order.status == S.COMPLETED and order.payout_tx_hash == TRON_TX
    assert [e.to_status for e in order.events.all()] == [
        S.FIAT_PENDING,
        S.ORDER_RECEIVED,
        S.FIAT_RECEIVED,
        S.TRANSFERRED,
        S.COMPLETED,
    ]
    assert [e.actor for e in order.events.all()][2:] == [staff, staff, staff]
    assert len(mailoutbox) == 4


def test_a_sell_from_deposit_to_payout(buyer, usdt, staff):
    order = sell_order(buyer, usdt)
    orders.order_submit_tx_hash(order=order, tx_hash=TRON_TX)
    orders.order_confirm_crypto(order=order, staff=staff)
    orders.order_record_payout(order=order, staff=staff, reference="IMPS/998877")

    assert (order.status, order.payout_reference) == (S.COMPLETED, "IMPS/998877")


def test_a_wrong_utr_returns_the_order_to_waiting_with_the_reason(buyer, usdt, staff):
    order = buy_order(buyer, usdt)
    orders.order_submit_utr(order=order, utr=UTR)

    orders.order_reject_utr(order=order, staff=staff, reason="No credit with this UTR")

    assert (order.status, order.utr, order.failure_reason) == (
        S.FIAT_PENDING,
        None,
        "No credit with this UTR",
    )
    other = buy_order(buyer, usdt)
    orders.order_submit_utr(order=other, utr=UTR)  # the rejected UTR is free again


def test_a_wrong_utr_after_expiry_fails_the_order(buyer, usdt, staff):
    order = buy_order(buyer, usdt)
    orders.order_submit_utr(order=order, utr=UTR)

    with time_machine.travel(timezone.now() + timedelta(hours=4)):
        orders.order_reject_utr(order=order, staff=staff, reason="No credit")

    assert order.status == S.FAILED


def test_staff_steps_in_the_wrong_order_are_refused(buyer, usdt, staff):
    order = buy_order(buyer, usdt)

    for step in (
        lambda: orders.order_confirm_fiat(order=order, staff=staff),
        lambda: orders.order_record_crypto_sent(order=order, staff=staff, tx_hash=TRON_TX),
        lambda: orders.order_mark_completed(order=order, staff=staff),
        lambda: orders.order_confirm_crypto(order=order, staff=staff),
        lambda: orders.order_record_payout(order=order, staff=staff, reference="X"),
        lambda: orders.order_refund(order=order, staff=staff, reason="x"),
    ):
        with pytest.raises(OrderStateChanged):
            step()
    assert order.events.count() == 1


def test_refund_and_cancel(buyer, usdt, staff):
    paid = buy_order(buyer, usdt)
    orders.order_submit_utr(order=paid, utr=UTR)
    orders.order_confirm_fiat(order=paid, staff=staff)
    orders.order_refund(order=paid, staff=staff, reason="Wallet address was wrong")
    assert paid.status == S.REFUNDED

    waiting = buy_order(buyer, usdt)
    orders.order_cancel(order=waiting, actor=buyer)
    assert waiting.status == S.CANCELLED
    with pytest.raises(OrderStateChanged):
        orders.order_cancel(order=paid, actor=buyer)


# --- expiry --------------------------------------------------------------------------------


def test_the_sweep_expires_every_overdue_order_however_late(buyer, usdt, alice_bank):
    waiting = [buy_order(buyer, usdt) for _ in range(3)] + [sell_order(buyer, usdt)]
    paid = buy_order(buyer, usdt)
    orders.order_submit_utr(order=paid, utr=UTR)

    assert orders.orders_expire_due() == 0
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert orders.orders_expire_due() == 4
        assert orders.orders_expire_due() == 0

    assert {o.status for o in Order.objects.filter(pk__in=[w.pk for w in waiting])} == {S.EXPIRED}
    paid.refresh_from_db()
    assert paid.status == S.ORDER_RECEIVED
    assert all(
        o.events.last().note == "No payment within the time allowed"
        for o in Order.objects.filter(status=S.EXPIRED)
    )
