from django.db import migrations

PERMISSIONS = [
    ("ramp", "bankstatement", "view_bankstatement"),
    ("ramp", "statementline", "view_statementline"),
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    finance, _ = Group.objects.get_or_create(name="Finance")
    for app, model, codename in PERMISSIONS:
        finance.permissions.add(
            Permission.objects.get(
                content_type__app_label=app, content_type__model=model, codename=codename
            )
        )


class Migration(migrations.Migration):
    dependencies = [("ramp", "0004_bank_statements")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
