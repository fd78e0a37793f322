"""
Drop foreign-key indexes that a composite index or unique constraint already leads with (they
only cost every insert). Only the index goes: Django's AlterField would also drop and re-add
the foreign key, which re-checks every row of the table under lock.
"""

import django.db.models.deletion
from django.db import migrations, models


def drop_index(table, column, name):
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
    )


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
