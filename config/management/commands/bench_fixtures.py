"""
Fixtures for the load benchmark (.ci/loadbench.py): verified customers with an order, a
signed-in session and a partner API token each, a merchant with an API key, an open invoice.
Prints one JSON line.
Refused unless BENCH_FIXTURES=1: it mints sessions, which nothing else in the product does.
"""

import json
import os
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import tokens
from accounts.merchants import merchant_create
from accounts.models import User
from config.demo import ensure_demo_customer
from invoices.services import invoice_create
from ramp.models import Asset
from ramp.reference_data import ensure_market
from ramp.services.orders import order_create_onramp
from ramp.services.quotes import quote_create

WALLET = "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7"


class Command(BaseCommand):
    help = "Create load-benchmark fixtures and print them as JSON (needs BENCH_FIXTURES=1)."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=32)

    def handle(self, *args, customers, **options):
        if os.environ.get("BENCH_FIXTURES") != "1":
            raise CommandError("Set BENCH_FIXTURES=1 to create benchmark fixtures.")
        ensure_market()
        reviewer, _ = User.objects.get_or_create(
            email="bench-reviewer@example.com", defaults={"is_staff": True}
        )
        usdt = Asset.objects.get(symbol="USDT", network="TRC20")
        merchant, api_key, _ = merchant_create(
            name=f"Bench {timezone.now():%H%M%S}", owner_email="bench-merchant@example.com"
        )
        polls = []
        for n in range(customers):
            customer = ensure_demo_customer(
                reviewer=reviewer, email=f"bench{n}@example.com", pan=f"BENPB{n + 1000:04d}B"
            )
            quote = quote_create(
                user=customer, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="1000"
            )
            order = order_create_onramp(user=customer, quote_id=quote.pk, wallet_address=WALLET)
            session = SessionStore()
            session[SESSION_KEY] = str(customer.pk)
            session[BACKEND_SESSION_KEY] = "accounts.backends.EmailCodeBackend"
            session[HASH_SESSION_KEY] = customer.get_session_auth_hash()
            session.create()
            customer.partner = merchant  # for the partner API
            customer.save(update_fields=["partner"])
            token, _ = tokens.issue(user=customer, partner=merchant)
            polls.append(
                {
                    "session": session.session_key,
                    "order": str(order.pk),
                    "version": order.version,
                    "token": token,
                }
            )
        invoice = invoice_create(
            merchant=merchant,
            kind="ingress",
            amount=Decimal("500"),
            currency="INR",
            reference="bench",
            callback_url="https://merchant.example.com/cb",
            expires_at=timezone.now() + timedelta(hours=2),
        )
        self.stdout.write(
            json.dumps(
                {
                    "session_cookie": settings.SESSION_COOKIE_NAME,
                    "csrf_cookie": settings.CSRF_COOKIE_NAME,
                    "polls": polls,
                    "api_key": api_key,
                    "invoice_token": invoice.token,
                    "asset_id": usdt.pk,
                }
            )
        )
