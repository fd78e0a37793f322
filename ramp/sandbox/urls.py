from django.urls import path

from ramp.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("vault/v3/customer/profile", views.vault_profile),
    path("vault/v3/payin/card", views.vault_card),
    path("vault/v3/payin/data", views.vault_data),
    path("vault/v3/payin/offer", views.vault_offer),
    path("vault/v3/payin/offer/<str:offer_id>", views.vault_offer_update),
    path("vault/v3/payin/pay/<str:offer_id>", views.vault_pay),
    path("vault/v3/payin/pay-callback", views.vault_status),
    path("vault/3ds/<str:reference>/", views.hosted_page, {"provider": "vault"}, name="vault_3ds"),
    path("paysecure/purchases/", views.paysecure_purchase),
    path("paysecure/purchases/<str:purchase_id>/", views.paysecure_status),
    path(
        "paysecure/checkout/<str:reference>/",
        views.hosted_page,
        {"provider": "paysecure"},
        name="quickbit",
    ),
    path("paysecure/cashier/<str:reference>/", views.cashier),
]
