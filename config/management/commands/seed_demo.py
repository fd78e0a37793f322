"""
Demo data for the embedded default. Safe to run again: it creates what is missing and changes
nothing that exists, so staff edits to demo rows survive a restart of ``make run``.
"""

import json
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.merchants import merchant_create
from accounts.models import Merchant, User
from config.demo import ensure_demo_customer
from ramp.reference_data import ensure_market

STAFF_EMAIL = "staff@example.com"
MERCHANT_OWNER = "merchant@example.com"
MERCHANT_NAME = "Demo Game Store"


class Command(BaseCommand):
    help = "Create the demo staff user and reference data (idempotent). Refused in production."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is for the embedded default only.")
        password = self._staff_password()
        ensure_market()
        customer = ensure_demo_customer(
            reviewer=User.objects.get(email=STAFF_EMAIL),
            upi="asha.demo@okaxis",
            account="000123456789",
        )
        merchant = self._demo_merchant()
        self.stdout.write(
            self.style.SUCCESS("Demo data ready.")
            + f"\n  Site:        {settings.SITE_URL}/"
            + f"\n  Customer:    sign in at {settings.SITE_URL}/sign-in/ as {customer.email}"
            + " (verified, with a UPI ID and a bank account); the code appears in this terminal"
            + f"\n  Staff admin: {settings.SITE_URL}/admin/  as {STAFF_EMAIL} / {password}"
            + f"\n  Merchant:    {merchant['name']} (dashboard {settings.SITE_URL}/merchant/ as"
            + f" {MERCHANT_OWNER}); API key {merchant['api_key']}"
            + f"\n               webhook secret {merchant['webhook_secret']};"
            + f" API docs {settings.SITE_URL}/v1/docs/"
        )

    def _demo_merchant(self):
        """Created once; its API key (shown only at creation) is kept beside the database."""
        keys_file = settings.VAR_DIR / "demo-merchant.json"
        if keys_file.is_file() and Merchant.objects.filter(name=MERCHANT_NAME).exists():
            return json.loads(keys_file.read_text())
        merchant, api_key, secret = merchant_create(name=MERCHANT_NAME, owner_email=MERCHANT_OWNER)
        stored = {
            "name": merchant.name,
            "merchant_id": str(merchant.pk),
            "api_key": api_key,
            "webhook_secret": secret,
        }
        keys_file.write_text(json.dumps(stored))
        keys_file.chmod(0o600)
        return stored

    def _staff_password(self):
        """The staff password is made once per checkout and kept beside the database."""
        credentials_file = settings.VAR_DIR / "demo-credentials.json"
        stored = {}
        if credentials_file.is_file():
            stored = json.loads(credentials_file.read_text())
        user = User.objects.filter(email=STAFF_EMAIL).first()
        if user and stored.get("password") and user.check_password(stored["password"]):
            return stored["password"]

        password = secrets.token_urlsafe(12)
        if user is None:
            user = User.objects.create_superuser(STAFF_EMAIL, password)
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        credentials_file.parent.mkdir(parents=True, exist_ok=True)
        credentials_file.write_text(json.dumps({"email": STAFF_EMAIL, "password": password}))
        credentials_file.chmod(0o600)
        return password
