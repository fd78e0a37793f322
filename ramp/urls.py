from django.urls import path

from ramp.views import checkout, destinations, orders, trade

app_name = "ramp"

urlpatterns = [
    path("buy/", trade.buy, name="buy"),
    path("sell/", trade.sell, name="sell"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<uuid:order_id>/", orders.order_detail, name="order"),
    path("orders/<uuid:order_id>/status/", orders.order_status, name="order_status"),
    path("orders/<uuid:order_id>/utr/", orders.submit_utr, name="submit_utr"),
    path("orders/<uuid:order_id>/tx-hash/", orders.submit_tx_hash, name="submit_tx_hash"),
    path("orders/<uuid:order_id>/cancel/", orders.cancel, name="cancel_order"),
    path("orders/<uuid:order_id>/checkout/", checkout.checkout, name="checkout"),
    path(
        "orders/<uuid:order_id>/checkout/return/", checkout.checkout_return, name="checkout_return"
    ),
    path(
        "providers/<slug:provider>/callback/", checkout.provider_callback, name="provider_callback"
    ),
    path("payment-methods/", destinations.payment_methods, name="payment_methods"),
    path("payment-methods/ifsc/", destinations.ifsc_lookup, name="ifsc_lookup"),
    path(
        "payment-methods/<slug:kind>/<uuid:destination_id>/default/",
        destinations.make_default,
        name="make_default",
    ),
    path(
        "payment-methods/<slug:kind>/<uuid:destination_id>/remove/",
        destinations.remove,
        name="remove",
    ),
]
