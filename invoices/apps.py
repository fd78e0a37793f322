from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    """Merchant invoices, balances and ledger, callbacks to merchants."""

    name = "invoices"
    verbose_name = "Invoices"
