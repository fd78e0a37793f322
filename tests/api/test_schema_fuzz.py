"""
Hostile input from the served OpenAPI schema (schemathesis): every operation of both APIs, with
valid credentials, must answer without a 5xx and as its schema says. Examples per operation are
bounded so the suite stays fast; raise FUZZ_EXAMPLES for a deeper run.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.merchants import merchant_create
from accounts.tokens import issue
from config.wsgi import application
from ramp.reference_data import ensure_market

schema = schemathesis.openapi.from_wsgi("/v1/schema/?format=json", application)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests here run in-process, inside the test's transaction: like Django's test client,
    do not let the end of a request close the connection that transaction lives on."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(db):
    ensure_market()
    merchant, key, _ = merchant_create(name="Fuzz Merchant", owner_email="fuzz@merchant.test")
    person = merchant.owners.get()
    person.partner = merchant
    person.save(update_fields=["partner"])
    token, _ = issue(user=person, partner=merchant)
    return {"api_key": key, "token": token}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_5xx_or_off_schema(case, credentials):
    path = case.operation.path
    bearer = (
        credentials["token"]
        if path.startswith("/api/") and path != "/api/user-login"
        else credentials["api_key"]
    )
    # Every check but "schema-valid data is accepted": business rules (time windows, balances,
    # verification, limits) refuse some schema-valid requests, with a documented 4xx.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {bearer}"}, excluded_checks=[positive_data_acceptance]
    )
