import pytest

from ramp.models import Asset
from ramp.reference_data import ensure_market
from ramp.services.destinations import bank_account_link, upi_id_link

TRON_WALLET = "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7"
EVM_WALLET = "0x52908400098527886E0F7030069857D2E4169EE7"
BTC_WALLET = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"


@pytest.fixture
def market(db):
    return ensure_market()


@pytest.fixture
def usdt(market):
    return Asset.objects.get(symbol="USDT", network="TRC20")


@pytest.fixture
def alice_upi(verified_alice):
    return upi_id_link(user=verified_alice, upi_id="alice@okaxis")


@pytest.fixture
def alice_bank(verified_alice):
    return bank_account_link(user=verified_alice, account_number="123456789012", ifsc="HDFC0001234")


@pytest.fixture
def buyer(verified_alice, alice_upi, alice_bank, market):
    """Alice, verified, with a UPI ID and a bank account, and a market to trade in."""
    return verified_alice
