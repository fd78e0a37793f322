from django.urls import path

from invoices.api import views_for

ingress, egress = views_for("ingress"), views_for("egress")

urlpatterns = [
    path("ingress/invoice", ingress["collection"], name="ingress_invoices"),
    path("ingress/invoice/<uuid:invoice_id>", ingress["detail"], name="ingress_invoice"),
    path(
        "ingress/invoice/<uuid:invoice_id>/cancel", ingress["cancel"], name="ingress_invoice_cancel"
    ),
    path("egress/invoice", egress["collection"], name="egress_invoices"),
    path("egress/invoice/<uuid:invoice_id>", egress["detail"], name="egress_invoice"),
    path("egress/invoice/<uuid:invoice_id>/cancel", egress["cancel"], name="egress_invoice_cancel"),
]
