"""Foreign-key indexes a composite index already leads with: dropped (config.migration_helpers)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from config.migration_helpers import drop_index


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
