"""
Shared fixtures. Every test has an owner (alice), a second user (bob) and an outsider (charlie),
so each view and API test can also check who must *not* see a thing.
"""

import shutil
import subprocess
import time

import pytest
from django.conf import settings

from accounts.models import User
from ramp.models import Asset
from ramp.reference_data import ensure_market
from ramp.services.destinations import bank_account_link, upi_id_link


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached prices and throttles never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Enqueued tasks run in-process, when their transaction commits (as a worker would)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Each test writes documents to its own private folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def redis_url(tmp_path):
    """A private Redis (the production cache and queue) on a socket, for this test only."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is needed: `make test` installs it")
    socket = tmp_path / "redis.sock"
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [binary, "--port", "0", "--unixsocket", str(socket), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        if socket.exists():
            break
        time.sleep(0.05)
    yield f"unix://{socket}?db=0"
    server.terminate()
    server.wait()


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice@example.com")


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob@example.com")


@pytest.fixture
def charlie(db):
    return User.objects.create_user("charlie@example.com")


@pytest.fixture
def staff(db):
    return User.objects.create_superuser("ops@example.com", "correct horse battery staple")


def verify_kyc(user, *, full_name, pan_number):
    """Put ``user`` through KYC and approval with real documents, as staff would."""
    from kyc.services import kyc_approve
    from tests.kyc.documents import submit

    reviewer, _ = User.objects.get_or_create(
        email="kyc-desk@example.com", defaults={"is_staff": True}
    )
    return kyc_approve(
        submission=submit(user, full_name=full_name, pan_number=pan_number), reviewer=reviewer
    )


@pytest.fixture
def verified_alice(alice):
    verify_kyc(alice, full_name="Alice Kumar", pan_number="ALIPK1234A")
    return alice


@pytest.fixture
def verified_bob(bob):
    verify_kyc(bob, full_name="Bob Mehta", pan_number="BOBPM1234B")
    return bob


# --- a market to trade in, and a buyer ready to use it ---------------------------------------


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


# --- card providers at the HTTP boundary (tests/ramp/card_provider.py) -------------------------


@pytest.fixture
def vault_settings(settings):
    from tests.ramp import card_provider

    settings.VAULT_BASE_URL, settings.VAULT_API_KEY, settings.VAULT_WEBHOOK_SECRET = (
        card_provider.VAULT,
        "vk",
        "whsec-vault",
    )
    settings.PAYSECURE_BASE_URL, settings.PAYSECURE_API_KEY, settings.PAYSECURE_WEBHOOK_SECRET = (
        card_provider.PAYSECURE,
        "pk",
        "whsec-pay",
    )
    return settings
