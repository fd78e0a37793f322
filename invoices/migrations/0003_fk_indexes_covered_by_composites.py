"""Foreign-key indexes a composite index already leads with: dropped (config.migration_helpers)."""

import django.db.models.deletion
from django.db import migrations, models

from config.migration_helpers import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_partners'),
        ('invoices', '0002_staff_permissions'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='disabledendpoint',
                    name='merchant',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.merchant'),
                ),
                migrations.AlterField(
                    model_name='idempotencyrecord',
                    name='merchant',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.merchant'),
                ),
                migrations.AlterField(
                    model_name='invoice',
                    name='merchant',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='invoices', to='accounts.merchant'),
                ),
                migrations.AlterField(
                    model_name='ledgerentry',
                    name='invoice',
                    field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ledger', to='invoices.invoice'),
                ),
            ],
            database_operations=[
                drop_index("invoices_disabledendpoint", "merchant_id", "invoices_disabledendpoint_merchant_id_f957adf7"),
                drop_index("invoices_idempotencyrecord", "merchant_id", "invoices_idempotencyrecord_merchant_id_26c64d7c"),
                drop_index("invoices_invoice", "merchant_id", "invoices_invoice_merchant_id_7f860705"),
                drop_index("invoices_ledgerentry", "invoice_id", "invoices_ledgerentry_invoice_id_3b8a248f"),
            ],
        ),
    ]
