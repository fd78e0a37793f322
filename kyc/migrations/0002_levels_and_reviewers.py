from django.db import migrations

from config.migration_helpers import grant_group_permissions
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

    grant_group_permissions(apps, {"KYC reviewers": REVIEWER_PERMISSIONS}, replace=True)


class Migration(migrations.Migration):
    dependencies = [
        ("kyc", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_levels_and_group, migrations.RunPython.noop)]
