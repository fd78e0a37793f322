from django.tasks import task

from config.mail import send_templated_mail
from ramp.models import Order


@task
def send_order_status_email(*, order_id, status):
    order = Order.objects.select_related("user", "asset").get(pk=order_id)
    send_templated_mail(
        template="order_status",
        to=order.user.email,
        context={"order": order, "status": status, "status_label": order.get_status_display()},
    )
