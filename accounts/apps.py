from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, sign-in, merchants' people, API keys and tokens."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts import merchants
        from accounts.authentication import forget_principals
        from accounts.models import ApiKey, Merchant, User

        def user_changed(sender, instance, **kwargs):
            forget_principals(users=[instance.pk])

        def key_changed(sender, instance, **kwargs):
            merchants.forget_api_keys([instance.prefix])

        def merchant_changed(sender, instance, **kwargs):
            merchants.forget_merchant(instance)

        # Admin edits (a merchant switched off, a key revoked) reach the cached keys at once.
        post_save.connect(key_changed, sender=ApiKey, dispatch_uid="api-key-changed")
        post_delete.connect(key_changed, sender=ApiKey, dispatch_uid="api-key-deleted")
        post_save.connect(merchant_changed, sender=Merchant, dispatch_uid="merchant-changed")
        post_save.connect(user_changed, sender=User, dispatch_uid="principal-user-changed")
        post_delete.connect(user_changed, sender=User, dispatch_uid="principal-user-deleted")
