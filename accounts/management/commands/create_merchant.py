import json as json_module

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from accounts.merchants import merchant_create


class Command(BaseCommand):
    help = "Create a merchant with an owner; print its API key and webhook secret (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--owner", required=True, help="The owner's e-mail address.")
        parser.add_argument("--json", action="store_true", help="Print one JSON line.")

    def handle(self, *args, name, owner, json, **options):
        try:
            validate_email(owner)
        except ValidationError as error:
            raise CommandError(f"--owner must be an e-mail address: {owner!r}") from error
        if not name.strip():
            raise CommandError("--name must not be empty")
        merchant, api_key, secret = merchant_create(name=name, owner_email=owner)
        if json:
            self.stdout.write(
                json_module.dumps(
                    {"merchant_id": str(merchant.pk), "api_key": api_key, "webhook_secret": secret}
                )
            )
            return
        self.stdout.write(
            f"Merchant {merchant.name} ({merchant.pk}) owned by {owner}\n"
            f"  API key:        {api_key}\n"
            f"  Webhook secret: {secret}\n"
            "The API key is shown only now; store it safely."
        )
