import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone


def normalize_email(email):
    """E-mail addresses are compared case-insensitively everywhere: store them lower-cased."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email=normalize_email(email))

    def create_user(self, email, password=None, **extra_fields):
        email = normalize_email(email)
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=email, **extra_fields)
        if password:
            user.set_password(password)
        else:
            # People sign in with an e-mailed code; only staff have passwords (for the admin).
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def get_or_create_for_email(self, email):
        """The user with this e-mail, created (without a password) on first sight."""
        email = normalize_email(email)
        user = self.filter(email=email).first()
        if user is None:
            try:
                with transaction.atomic():
                    user = self.create_user(email)
            except IntegrityError:
                # Two first sign-ins raced: the other one created the user.
                user = self.get(email=email)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The e-mail address is the login; there is no username."""

    email = models.EmailField("e-mail address", max_length=254, unique=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can sign in to the staff admin (with a password)."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # The partner whose API brought this person; only that partner may act for them.
    partner = models.ForeignKey(
        "accounts.Merchant", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)


class SignInCode(models.Model):
    """
    A one-time code e-mailed to sign in. Only an HMAC of the code is stored; the row is also the
    record of each request (who asked, from where) and of every wrong guess.
    """

    email = models.EmailField(max_length=254)
    code_hash = models.CharField(max_length=64)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["email", "-created_at"], name="signin_code_email_idx"),
            models.Index(fields=["requested_ip", "-created_at"], name="signin_code_ip_idx"),
        ]
        constraints = [
            # One code in play per address: parallel requests cannot each send one (and so
            # cannot get past the per-address limits, which are counted from these rows).
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(used_at=None, superseded_at=None),
                name="signin_one_live_code_per_email",
            )
        ]

    def __str__(self):
        return f"sign-in code for {self.email} at {self.created_at:%Y-%m-%d %H:%M}"


class Merchant(models.Model):
    """A business that takes pay-ins and pays out through invoices; people own it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    owners = models.ManyToManyField(User, related_name="merchants", blank=True)
    is_active = models.BooleanField(default=True)
    fee_bps = models.PositiveIntegerField(
        "pay-in fee (basis points)", default=100, help_text="Kept from each paid pay-in: 100 = 1 %."
    )
    allowed_redirect_hosts = models.JSONField(
        default=list,
        blank=True,
        help_text="Host names invoices may redirect customers to (production requires https).",
    )
    # Standard Webhooks signing secret (whsec_…), encrypted with config.crypto.
    webhook_secret_encrypted = models.TextField()
    previous_webhook_secret_encrypted = models.TextField(blank=True)
    previous_secret_valid_until = models.DateTimeField(null=True, blank=True)
    # Partners drive the user API for people they brought (accounts.User.partner) and hear
    # about their orders here (order.<status> callbacks).
    partner_callback_url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ApiKey(models.Model):
    """A merchant's API key. Shown once; only its SHA-256 is kept. Revocable, scoped."""

    class Scope(models.TextChoices):
        INVOICES = "invoices", "Invoices API"
        PARTNER = "partner", "Partner user API"

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=80, default="Default")
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… ({self.merchant})"

    @property
    def is_active(self):
        return self.revoked_at is None
