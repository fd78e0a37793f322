from django.db import migrations

from kyc.levels import DEFAULT_LEVELS, ensure_level

REVIEWER_PERMISSIONS = [
    ("kyc", "kycsubmission", "view_kycsubmission"),
    ("kyc", "kycsubmission", "review_kycsubmission"),
    ("kyc", "kycevent", "view_kycevent"),
    ("kyc", "kyclevel", "view_kyclevel"),
]


def create_levels_and_group(apps, schema_editor):
    KycLevel = apps.get_model("kyc", "KycLevel")
    for code in DEFAULT_LEVELS:
        ensure_level(KycLevel, code)

    # Permissions are normally created after migrations run; make sure they exist now.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="KYC reviewers")
    group.permissions.set(
        Permission.objects.get(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        )
        for app_label, model, codename in REVIEWER_PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kyc", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_levels_and_group, migrations.RunPython.noop)]
