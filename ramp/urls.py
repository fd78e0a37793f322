from django.urls import path

from ramp import views

app_name = "ramp"

urlpatterns = [
    path("payment-methods/", views.payment_methods, name="payment_methods"),
    path("payment-methods/ifsc/", views.ifsc_lookup, name="ifsc_lookup"),
    path(
        "payment-methods/<slug:kind>/<uuid:destination_id>/default/",
        views.make_default,
        name="make_default",
    ),
    path(
        "payment-methods/<slug:kind>/<uuid:destination_id>/remove/",
        views.remove,
        name="remove",
    ),
]
