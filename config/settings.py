"""
Settings for the on/off-ramp.

Everything comes from the environment (django-environ). With nothing set, the product runs on
the embedded default: SQLite, console e-mail, private files under ``var/``, the database task
worker and the sandbox providers. ``DJANGO_ENV=production`` switches to production mode, which
refuses every embedded default that is unsafe there (see ``_refuse_unsafe_production``).
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

# Only ever used by the embedded default; production refuses to start with it.
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production-0123456789abcdef"  # noqa: S105

SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"],
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute base for links that leave the request: e-mails, invoice URLs, QR codes, callbacks.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="Rampart")

INSTALLED_APPS = [
    "config.apps.RampAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "config",
    "accounts",
    "kyc",
    "ramp",
    "invoices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.request_size.RequestSizeLimitMiddleware",  # a body too large is never read
    "ramp.live.StatusPollMiddleware",  # an unchanged order-status poll stops here: ramp/live.py
    "ramp.api_gate.PartnerApiGateMiddleware",  # partner-API token and limits: ramp/api_gate.py
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out admin login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock when a transaction
    # starts, so two writers queue on the busy timeout instead of failing with "database is
    # locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if env.bool("DB_PREPARED_STATEMENTS", default=True):
        # Parameters bound by the server and repeated statements prepared once per connection:
        # PostgreSQL stops re-planning the same few queries (docs/performance.md). Turn off
        # behind a transaction-pooling PgBouncer, which cannot keep prepared statements.
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------

# Rate limits and throttles live here: production needs a cache shared by every process.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://default")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "config.cache.RedisCache"  # keeps its client: config/cache.py

# --- Users and sessions ---------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    # Counts failed password logins (the staff admin) and locks out after AXES_FAILURE_LIMIT.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Restores sessions opened with an e-mailed code (see accounts.backends).
    "accounts.backends.EmailCodeBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The admin login form posts the e-mail as "username" (AXES would look for "email").
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "config.http.client_ip"
# Reverse proxies in front of the app that append to X-Forwarded-For (0: none).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The CSRF token reaches HTMX through hx-headers in the page, so scripts never read the cookie.
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "en-in"
# Django has no en_IN formats: ours group amounts in lakhs and crores (config/formats/en_IN).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Kolkata")
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Identity documents live here. Nothing maps this directory to a URL: documents are only ever
# streamed by views that check who is asking.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=VAR_DIR / "private")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": "/no-public-media/"},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# No request body larger than this is read at all (config/request_size.py): a KYC submission,
# three documents of at most 5 MB, is the largest legitimate one.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=20 * 1024 * 1024)
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- E-mail ---------------------------------------------------------------------------------

_email = env.email_url("EMAIL_URL", default="consolemail://")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_mailer_options = {
    option: _email[setting]
    for option, setting in {
        "host": "EMAIL_HOST",
        "port": "EMAIL_PORT",
        "username": "EMAIL_HOST_USER",
        "password": "EMAIL_HOST_PASSWORD",
        "use_tls": "EMAIL_USE_TLS",
        "use_ssl": "EMAIL_USE_SSL",
    }.items()
    if _email.get(setting) not in (None, "")
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {**_mailer_options, "timeout": 10}
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {}
        ),
    }
}

# --- Background work ------------------------------------------------------------------------

# Everything enqueues through django.tasks, after commit. The embedded default keeps tasks in the
# database (`manage.py db_worker`); the production profile puts them on RQ in Redis
# (TASKS_BACKEND=django_tasks_rq.RQBackend, TASKS_REDIS_URL, `manage.py rqworker --job-class
# django_tasks_rq.Job default`). docs/production.md says how to choose.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
TASKS_ON_RQ = TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
if TASKS_ON_RQ:
    # `manage.py rqworker`, and the queue dashboard in the admin for staff.
    INSTALLED_APPS.append("django_rq")
# A Redis that never evicts (maxmemory-policy noeviction): not the cache's, which may.
RQ_QUEUES = {
    "default": {
        "URL": env.str("TASKS_REDIS_URL", default="redis://127.0.0.1:6379/1"),
        "DEFAULT_TIMEOUT": 300,
    }
}

# Fernet keys for secrets stored encrypted (first encrypts, all decrypt: list a new key first
# to rotate). Empty: a key derived from SECRET_KEY.
ENCRYPTION_KEYS = env.list("ENCRYPTION_KEYS", default=[])

# Partner user API tokens (JWT, HS256). Empty: a key derived from SECRET_KEY.
JWT_SIGNING_KEY = env.str("JWT_SIGNING_KEY", default="")

# --- Outside systems ------------------------------------------------------------------------

# Bank account / UPI verification: "sandbox" (embedded default) or "pennydrop".
VERIFICATION_PROVIDER = env.str("VERIFICATION_PROVIDER", default="sandbox")
PENNYDROP_BASE_URL = env.str("PENNYDROP_BASE_URL", default="")
PENNYDROP_API_KEY = env.str("PENNYDROP_API_KEY", default="")

# Card and wallet rails. With SANDBOX_PROVIDERS on (the embedded default) the built-in sandbox
# under /sandbox/ plays Vault and Paysecure; production refuses it.
SANDBOX_PROVIDERS = env.bool("SANDBOX_PROVIDERS", default=not PRODUCTION)
VAULT_BASE_URL = env.str("VAULT_BASE_URL", default=f"{SITE_URL}/sandbox/vault")
VAULT_API_KEY = env.str("VAULT_API_KEY", default="sandbox-vault-key")
VAULT_WEBHOOK_SECRET = env.str("VAULT_WEBHOOK_SECRET", default="sandbox-vault-webhook-secret")
PAYSECURE_BASE_URL = env.str("PAYSECURE_BASE_URL", default=f"{SITE_URL}/sandbox/paysecure")
PAYSECURE_API_KEY = env.str("PAYSECURE_API_KEY", default="sandbox-paysecure-key")
PAYSECURE_WEBHOOK_SECRET = env.str(
    "PAYSECURE_WEBHOOK_SECRET", default="sandbox-paysecure-webhook-secret"
)
if SANDBOX_PROVIDERS:
    INSTALLED_APPS.append("ramp.sandbox")

# Merchant callbacks: loopback targets are allowed in the embedded default only (SPEC §3b).
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=not PRODUCTION)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=10)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10)
# How long a worker holds a delivery; a crashed worker's delivery is retaken after it.
WEBHOOK_LEASE_SECONDS = env.int("WEBHOOK_LEASE_SECONDS", default=60)
INVOICE_MAX_LIFETIME_DAYS = env.int("INVOICE_MAX_LIFETIME_DAYS", default=30)

# Mid prices: "static" (staff-set, the embedded default) or "http" (a market-price API).
RATE_SOURCE = env.str("RATE_SOURCE", default="static")
RATES_HTTP_URL = env.str("RATES_HTTP_URL", default="https://api.coingecko.com/api/v3/simple/price")
RATES_CACHE_SECONDS = env.int("RATES_CACHE_SECONDS", default=20)
RATES_MAX_AGE_SECONDS = env.int("RATES_MAX_AGE_SECONDS", default=180)

# --- APIs -----------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "config.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Rampart API",
    "DESCRIPTION": "Merchant invoice API (/v1/) and partner user API (/api/). "
    "Authenticate with Authorization: Bearer <API key>.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from the sidecar package's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.openapi.add_error_responses",
    ],
}

# --- Security -------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the site's own assets: no CDN, no inline script. Images may be data: URIs (QR codes).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

if PRODUCTION:
    # Sessions read from the shared cache (written through to the database): one query less on
    # every signed-in request, the status poll above all.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are bound to this exact host over HTTPS and cannot be set by a subdomain.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging --------------------------------------------------------------------------------


def _not_a_rate_limit_refusal(record):
    """
    Django logs every 4xx at WARNING; a 429 is the limits working as meant, and a runaway client
    would write one line per refused call. The access log still has each one.
    """
    return getattr(record, "status_code", None) != 429


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {
        "no_429": {"()": "django.utils.log.CallbackFilter", "callback": _not_a_rate_limit_refusal},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["no_429"]},
        "axes": {"level": "WARNING"},
    },
}


def _refuse_unsafe_production():
    """Production must not start on any embedded default that is only safe on a laptop."""
    problems = []
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if DEBUG:
        problems.append("DEBUG must be off")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the public host names")
    if not SITE_URL.startswith("https://"):
        problems.append("SITE_URL must be an https:// URL")
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("DATABASE_URL must point at PostgreSQL")
    if CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache")):
        problems.append("CACHE_URL must be a cache shared by every process (e.g. redis://)")
    if not MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
        problems.append("EMAIL_URL must be an SMTP URL (smtp+tls://user:password@host:587)")
    if TASKS["default"]["BACKEND"].startswith("django.tasks.backends."):
        problems.append("TASKS_BACKEND must be a real queue, not the immediate or dummy backend")
    if TASKS_ON_RQ and "TASKS_REDIS_URL" not in os.environ:
        problems.append("TASKS_REDIS_URL must name the Redis that holds the task queue")
    if WEBHOOKS_ALLOW_PRIVATE:
        problems.append("WEBHOOKS_ALLOW_PRIVATE must be off")
    if not ENCRYPTION_KEYS:
        problems.append(
            "ENCRYPTION_KEYS must be set (stored secrets must survive a SECRET_KEY change)"
        )
    if SANDBOX_PROVIDERS or "sandbox" in (VAULT_BASE_URL + PAYSECURE_BASE_URL):
        problems.append("SANDBOX_PROVIDERS must be off and VAULT_/PAYSECURE_BASE_URL real")
    if any(
        secret.startswith("sandbox-")
        for secret in (
            VAULT_API_KEY,
            VAULT_WEBHOOK_SECRET,
            PAYSECURE_API_KEY,
            PAYSECURE_WEBHOOK_SECRET,
        )
    ):
        problems.append("VAULT_* and PAYSECURE_* keys and webhook secrets must be set")
    if VERIFICATION_PROVIDER == "sandbox":
        problems.append("VERIFICATION_PROVIDER must be a real provider, not the sandbox")
    elif VERIFICATION_PROVIDER == "pennydrop" and not (PENNYDROP_BASE_URL and PENNYDROP_API_KEY):
        problems.append("PENNYDROP_BASE_URL and PENNYDROP_API_KEY must be set")
    if problems:
        raise ImproperlyConfigured("Production settings refused: " + "; ".join(problems) + ".")


if PRODUCTION:
    _refuse_unsafe_production()
