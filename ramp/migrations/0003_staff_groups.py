from django.db import migrations

from config.migration_helpers import grant_group_permissions

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
    grant_group_permissions(apps, GROUPS, replace=True)


class Migration(migrations.Migration):
    dependencies = [("ramp", "0002_market_quotes_orders"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
