from django.urls import path

from kyc import views

app_name = "kyc"

urlpatterns = [
    path("", views.status, name="status"),
    path(
        "documents/<uuid:submission_id>/<slug:kind>/",
        views.document,
        name="document",
    ),
]
