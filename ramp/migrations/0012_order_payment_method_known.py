# An order's payment method must be one the product knows (the hosted invoice page passed a
# posted value through). Added without a long lock: see config.migration_helpers.

from django.conf import settings
from django.db import migrations, models

from config.migration_helpers import AddCheckConstraint


class Migration(migrations.Migration):
    atomic = False  # the check is added, then validated, in two statements

    dependencies = [
        ('ramp', '0011_checkout_paid_late'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddCheckConstraint(
            model_name='order',
            constraint=models.CheckConstraint(condition=models.Q(('payment_method__in', ['INR_UPI', 'INR_IMPS', 'CARD', 'QBPAYFTOPUP'])), name='order_payment_method_known'),
        ),
    ]
