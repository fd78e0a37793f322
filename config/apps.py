from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Project-wide glue: home page, health check, error handling, demo data."""

    name = "config"
    verbose_name = "Project"
