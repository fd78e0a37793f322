from django.db import migrations

from config.migration_helpers import grant_group_permissions

GRANTS = {
    "Finance": [
        ("invoices", "invoice", "view_invoice"),
        ("invoices", "invoice", "pay_out_egress"),
        ("invoices", "ledgerentry", "view_ledgerentry"),
        ("invoices", "merchantbalance", "view_merchantbalance"),
        ("invoices", "webhookdelivery", "view_webhookdelivery"),
        ("accounts", "merchant", "view_merchant"),
    ],
    "Operations": [
        ("invoices", "invoice", "view_invoice"),
        ("invoices", "webhookdelivery", "view_webhookdelivery"),
        ("invoices", "webhookdelivery", "change_webhookdelivery"),
        ("accounts", "merchant", "view_merchant"),
    ],
}


def grant(apps, schema_editor):
    grant_group_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("invoices", "0001_initial"), ("ramp", "0005_finance_statements"), ("accounts", "0003_merchants_and_api_keys")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
