from django.tasks import task

from invoices import webhooks


@task
def deliver_webhook(*, delivery_id):
    webhooks.deliver(delivery_id)
