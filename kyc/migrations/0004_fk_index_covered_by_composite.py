"""
Drop foreign-key indexes that a composite index or unique constraint already leads with (they
only cost every insert). Only the index goes: Django's AlterField would also drop and re-add
the foreign key, which re-checks every row of the table under lock.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_index(table, column, name):
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
    )


class Migration(migrations.Migration):

    dependencies = [
        ('kyc', '0003_verbose_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='kycsubmission',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='kyc_submissions', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                drop_index("kyc_kycsubmission", "user_id", "kyc_kycsubmission_user_id_6ef8ab2b"),
            ],
        ),
    ]
