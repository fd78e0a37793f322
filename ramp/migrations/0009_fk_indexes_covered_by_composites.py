"""Foreign-key indexes a composite index already leads with: dropped (config.migration_helpers)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from config.migration_helpers import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('ramp', '0008_invoice_payments'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='assetlimit',
                    name='asset',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='limits', to='ramp.asset'),
                ),
                migrations.AlterField(
                    model_name='bankaccount',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='bank_accounts', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='order',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='orders', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='quote',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='quotes', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='upiid',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='upi_ids', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                drop_index("ramp_assetlimit", "asset_id", "ramp_assetlimit_asset_id_b8f9c743"),
                drop_index("ramp_bankaccount", "user_id", "ramp_bankaccount_user_id_0a11caea"),
                drop_index("ramp_order", "user_id", "ramp_order_user_id_46b2da29"),
                drop_index("ramp_quote", "user_id", "ramp_quote_user_id_fef34f25"),
                drop_index("ramp_upiid", "user_id", "ramp_upiid_user_id_15e08737"),
            ],
        ),
    ]
