from django.urls import path

from invoices import dashboard, views

app_name = "invoices"

urlpatterns = [
    path("i/<str:token>/", views.hosted, name="hosted"),
    path("i/<str:token>/qr.png", views.qr_png, name="qr"),
    path("i/<str:token>/status/", views.egress_status, name="egress_status"),
    path("merchants/", views.your_merchants, name="your_merchants"),
    path("merchant/", dashboard.home, name="dashboard"),
    path("merchant/<uuid:merchant_id>/", dashboard.overview, name="merchant"),
    path("merchant/<uuid:merchant_id>/keys/", dashboard.create_key, name="create_key"),
    path(
        "merchant/<uuid:merchant_id>/keys/<int:key_id>/revoke/",
        dashboard.revoke_key,
        name="revoke_key",
    ),
    path(
        "merchant/<uuid:merchant_id>/secret/rotate/", dashboard.rotate_secret, name="rotate_secret"
    ),
    path(
        "merchant/<uuid:merchant_id>/deliveries/<uuid:delivery_id>/resend/",
        dashboard.resend,
        name="resend",
    ),
]
