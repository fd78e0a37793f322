from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("sign-in/code/resend/", views.sign_in_code_resend, name="sign_in_code_resend"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("account/", views.account, name="account"),
]
