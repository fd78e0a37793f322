from django.apps import AppConfig


class RampConfig(AppConfig):
    """Assets, rates, quotes, bank/UPI destinations, buy/sell orders, provider adapters."""

    name = "ramp"
    verbose_name = "Ramp"
