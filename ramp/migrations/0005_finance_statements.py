from django.db import migrations

from config.migration_helpers import grant_group_permissions

PERMISSIONS = [
    ("ramp", "bankstatement", "view_bankstatement"),
    ("ramp", "statementline", "view_statementline"),
]


def grant(apps, schema_editor):
    grant_group_permissions(apps, {"Finance": PERMISSIONS})


class Migration(migrations.Migration):
    dependencies = [("ramp", "0004_bank_statements")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
