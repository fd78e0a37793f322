from django.db import migrations

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
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app, model, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app, content_type__model=model, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [("invoices", "0001_initial"), ("ramp", "0005_finance_statements"), ("accounts", "0003_merchants_and_api_keys")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
