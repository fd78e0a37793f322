from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import views

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("kyc/", include("kyc.urls")),
    path("", include("ramp.urls")),
]

if settings.SANDBOX_PROVIDERS:
    urlpatterns.append(path("sandbox/", include("ramp.sandbox.urls")))
