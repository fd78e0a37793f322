from django.db import migrations

GROUPS = {
    # Day-to-day order handling: confirm money in, send crypto, cancel.
    "Operations": [
        ("ramp", "order", "view_order"),
        ("ramp", "order", "confirm_fiat"),
        ("ramp", "order", "send_crypto"),
        ("ramp", "order", "confirm_crypto"),
        ("ramp", "order", "cancel_order"),
        ("ramp", "orderevent", "view_orderevent"),
        ("ramp", "asset", "view_asset"),
        ("ramp", "bankaccount", "view_bankaccount"),
        ("ramp", "upiid", "view_upiid"),
        ("ramp", "destinationflag", "view_destinationflag"),
        ("ramp", "destinationflag", "change_destinationflag"),
    ],
    # Money out and the books: payouts, refunds, bank statements, prices and fees.
    "Finance": [
        ("ramp", "order", "view_order"),
        ("ramp", "order", "pay_out"),
        ("ramp", "order", "refund_order"),
        ("ramp", "order", "import_statement"),
        ("ramp", "orderevent", "view_orderevent"),
        ("ramp", "asset", "view_asset"),
        ("ramp", "asset", "change_asset"),
        ("ramp", "assetlimit", "view_assetlimit"),
        ("ramp", "assetlimit", "change_assetlimit"),
        ("ramp", "assetlimit", "add_assetlimit"),
        ("ramp", "platformsettings", "view_platformsettings"),
        ("ramp", "platformsettings", "change_platformsettings"),
        ("ramp", "bankaccount", "view_bankaccount"),
    ],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.get(
                content_type__app_label=app, content_type__model=model, codename=codename
            )
            for app, model, codename in permissions
        )


class Migration(migrations.Migration):
    dependencies = [("ramp", "0002_market_quotes_orders"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
