"""The penny-drop adapter at its HTTP boundary (``responses`` stands in for the provider)."""

import json
from pathlib import Path

import pytest
import requests
import responses
from responses import matchers

from ramp.errors import VerificationRefused, VerificationUnavailable
from ramp.providers.base import BankAccountCheck, ProviderError, UpiCheck
from ramp.providers.pennydrop import PennyDropVerifier
from ramp.services.destinations import bank_account_link

BASE = "https://verify.example.com"
FIXTURES = Path(__file__).parent / "fixtures"
CHECK = BankAccountCheck(
    account_number="123456789012", ifsc="HDFC0001234", name_on_record="Alice Kumar"
)


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def verifier():
    return PennyDropVerifier(base_url=BASE + "/", api_key="pd_test_key")


@responses.activate
def test_it_sends_the_account_with_the_api_key_and_reads_the_holder_name(verifier):
    responses.post(
        f"{BASE}/v1/bank-accounts/verify",
        json=fixture("pennydrop_valid.json"),
        match=[
            matchers.header_matcher({"Authorization": "Bearer pd_test_key"}),
            matchers.json_params_matcher(
                {"account_number": "123456789012", "ifsc": "HDFC0001234", "name": "Alice Kumar"}
            ),
        ],
    )

    holder = verifier.verify_bank_account(CHECK)

    assert (holder.holder_name, holder.reference, holder.provider) == (
        "ALICE  KUMAR",
        "pd_7f3a91c2",
        "pennydrop",
    )


@responses.activate
def test_it_verifies_a_vpa(verifier):
    responses.post(
        f"{BASE}/v1/upi/verify",
        json=fixture("pennydrop_valid.json"),
        match=[matchers.json_params_matcher({"vpa": "alice@okaxis", "name": "Alice Kumar"})],
    )

    assert verifier.verify_upi(UpiCheck(vpa="alice@okaxis", name_on_record="Alice Kumar")).reference


@pytest.mark.parametrize(
    ("reply", "permanent"),
    [
        ({"json": fixture("pennydrop_invalid.json")}, True),
        ({"status": 422, "json": {"error": "invalid ifsc"}}, True),
        ({"status": 500, "body": "Internal Server Error"}, False),
        ({"status": 503, "json": {}}, False),
        ({"status": 429, "json": {}}, False),
        ({"status": 401, "json": {"error": "bad key"}}, False),
        ({"status": 200, "body": "<html>gateway</html>"}, False),
        ({"json": {"status": "VALID", "registered_name": "", "reference_id": "x"}}, False),
        ({"body": requests.ConnectTimeout("connect timed out")}, False),
        ({"body": requests.ReadTimeout("read timed out")}, False),
        ({"body": requests.ConnectionError("refused")}, False),
    ],
)
@responses.activate
def test_every_failure_says_whether_retrying_can_help(verifier, reply, permanent):
    responses.post(f"{BASE}/v1/bank-accounts/verify", **reply)

    with pytest.raises(ProviderError) as error:
        verifier.verify_bank_account(CHECK)

    assert error.value.permanent is permanent
    assert "Traceback" not in error.value.message


@responses.activate
def test_a_request_that_may_have_reached_the_provider_is_not_repeated(verifier):
    responses.post(f"{BASE}/v1/bank-accounts/verify", body=requests.ReadTimeout("slow"))

    with pytest.raises(ProviderError):
        verifier.verify_bank_account(CHECK)

    assert len(responses.calls) == 1


@pytest.mark.django_db
@responses.activate
def test_the_service_maps_provider_answers_to_clear_messages(settings, verified_alice):
    settings.VERIFICATION_PROVIDER = "pennydrop"
    settings.PENNYDROP_BASE_URL = BASE
    settings.PENNYDROP_API_KEY = "pd_test_key"
    responses.post(f"{BASE}/v1/bank-accounts/verify", status=502, body="Bad gateway")
    with pytest.raises(VerificationUnavailable, match="Nothing was linked; please try again"):
        bank_account_link(user=verified_alice, account_number="123456789012", ifsc="HDFC0001234")

    responses.replace(
        responses.POST, f"{BASE}/v1/bank-accounts/verify", json=fixture("pennydrop_invalid.json")
    )
    with pytest.raises(VerificationRefused, match="could not verify"):
        bank_account_link(user=verified_alice, account_number="123456789012", ifsc="HDFC0001234")

    responses.replace(
        responses.POST, f"{BASE}/v1/bank-accounts/verify", json=fixture("pennydrop_valid.json")
    )
    account = bank_account_link(
        user=verified_alice, account_number="123456789012", ifsc="HDFC0001234"
    )
    assert (account.holder_name, account.verification_reference) == ("ALICE  KUMAR", "pd_7f3a91c2")
