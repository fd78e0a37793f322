"""
Demo data for the embedded default. Safe to run again: it creates what is missing and changes
nothing that exists, so staff edits to demo rows survive a restart of ``make run``.
"""

import json
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from config.demo import ensure_demo_customer
from ramp.reference_data import ensure_market

STAFF_EMAIL = "staff@example.com"


class Command(BaseCommand):
    help = "Create the demo staff user and reference data (idempotent). Refused in production."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is for the embedded default only.")
        password = self._staff_password()
        ensure_market()
        customer = ensure_demo_customer(reviewer=User.objects.get(email=STAFF_EMAIL))
        self.stdout.write(
            self.style.SUCCESS("Demo data ready.")
            + f"\n  Site:        {settings.SITE_URL}/"
            + f"\n  Customer:    sign in at {settings.SITE_URL}/sign-in/ as {customer.email}"
            + " (verified, with a UPI ID and a bank account); the code appears in this terminal"
            + f"\n  Staff admin: {settings.SITE_URL}/admin/  as {STAFF_EMAIL} / {password}"
        )

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
