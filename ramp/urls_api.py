from django.urls import path

from ramp import api

urlpatterns = [
    path("user-login", api.UserLogin.as_view()),
    path("fetch-kyc-status", api.FetchKycStatus.as_view()),
    path("upload-kyc", api.UploadKyc.as_view()),
    path("fetch-bank-accounts", api.FetchBankAccounts.as_view()),
    path("link-bank-account", api.LinkBankAccount.as_view()),
    path("fetch-upi-ids", api.FetchUpiIds.as_view()),
    path("link-upi-id", api.LinkUpiId.as_view()),
    path("fetch-buy-quotation", api.FetchBuyQuotation.as_view()),
    path("create-onramp-order", api.CreateOnrampOrder.as_view()),
    path("update-utr", api.UpdateUtr.as_view()),
    path("fetch-order-status", api.FetchOrderStatus.as_view()),
    path("fetch-sell-quotation", api.FetchSellQuotation.as_view()),
    path("create-offramp-order", api.CreateOfframpOrder.as_view()),
    path("update-transaction-hash", api.UpdateTransactionHash.as_view()),
    path("fetch-offramp-order-status", api.FetchOfframpOrderStatus.as_view()),
]
