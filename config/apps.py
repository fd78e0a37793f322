from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ConfigConfig(AppConfig):
    """Project-wide glue: home page, health check, error handling, demo data."""

    default = True
    name = "config"
    verbose_name = "Project"


class RampAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "config.admin_site.RampAdminSite"
