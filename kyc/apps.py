from django.apps import AppConfig


class KycConfig(AppConfig):
    """Identity submissions, documents, review, levels and limits."""

    name = "kyc"
    verbose_name = "KYC"
