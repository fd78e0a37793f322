from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from config import views

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/ping", views.ping, name="ping"),
    # The APIs before the prefix-less page includes: a call resolves without trying every page.
    path("v1/", include("invoices.urls_api")),
    path("api/", include("ramp.urls_api")),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("kyc/", include("kyc.urls")),
    path("", include("ramp.urls")),
    path("", include("invoices.urls")),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", SpectacularRedocView.as_view(url_name="schema"), name="api-docs"),
]

if settings.SANDBOX_PROVIDERS:
    urlpatterns.append(path("sandbox/", include("ramp.sandbox.urls")))
