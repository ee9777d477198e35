"""One settings module for every environment; production differs only by environment values."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "django-insecure-local-development-key-only-for-debug-runs"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")
# The public address printed on certificates (QR code and verification link): never the host an
# officer happened to use. Defaults to https:// and the first allowed host when debug is off.
_first_host = next((host for host in ALLOWED_HOSTS if host and "*" not in host and not host.startswith(".")), "")
PUBLIC_URL = os.environ.get("BAPAS_PUBLIC_URL") or (
    f"https://{_first_host}" if not DEBUG and _first_host else "http://127.0.0.1:8000"
)

INSTALLED_APPS = [
    "bapas",
    "clients",
    "pokmaslipas",
    "trainings",
    "reports",
    "workbook",
    "config",
    "bapas.admin_apps.BapasAdminConfig",  # django.contrib.admin behind the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "bapas.middleware.PrivacyHeadersMiddleware",  # first: static files and error pages get its headers too
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "bapas.middleware.OfficeTimezoneMiddleware",
    "bapas.middleware.LoginRequiredMiddleware",
    "bapas.middleware.SessionIdleTimeoutMiddleware",
    "bapas.middleware.TwoFactorMiddleware",
    "bapas.middleware.PasswordChangeRequiredMiddleware",  # after two-factor: the code comes first
    "bapas.middleware.RejectNulMiddleware",
]
# Benchmarks add their query-count middleware here (bench/querycount.py); empty in production.
MIDDLEWARE = [*envlist("DJANGO_EXTRA_MIDDLEWARE"), *MIDDLEWARE]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "config.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("DJANGO_TEST_SQLITE_NAME")}
elif os.environ.get("DJANGO_TEST_DB_NAME"):
    # Lets several test runs share one PostgreSQL server without clobbering each other.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DJANGO_TEST_DB_NAME"]}

# A PostgreSQL hot standby for heavy read-only pages and commands (bapas/replica.py): used when set,
# skipped while unreachable or more than BAPAS_REPLICA_MAX_LAG_SECONDS behind.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=envint("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["bapas.replica.ReplicaRouter"]
BAPAS_REPLICA_MAX_LAG_SECONDS = envint("BAPAS_REPLICA_MAX_LAG_SECONDS", 30)
BAPAS_REPLICA_CHECK_SECONDS = envint("BAPAS_REPLICA_CHECK_SECONDS", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "bapas.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after inactivity (seconds) and when the browser closes.
SESSION_IDLE_TIMEOUT = envint("DJANGO_SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = envint("DJANGO_SESSION_COOKIE_AGE", 10 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock out after 5 failed attempts for one hour (per username and address).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind N proxies of our own (nginx: 1) the client is the Nth address from the right of
# X-Forwarded-For; 0 = REMOTE_ADDR (bapas.network). Axes, the audit trail and the rate limits use it.
TRUSTED_PROXIES = envint("BAPAS_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "bapas.network.client_ip"
# Password spraying: this many failed sign-ins from one address, over any usernames, within the
# window (seconds) refuse further sign-ins from that address until the window has moved on.
SIGNIN_ADDRESS_FAILURE_LIMIT = envint("BAPAS_SIGNIN_ADDRESS_FAILURE_LIMIT", 20)
SIGNIN_ADDRESS_WINDOW = 15 * 60
# Rate limits (bapas.throttle) live in the database cache, shared by every server process.
THROTTLE_CACHE = "submissions"
# The public certificate check by number and holder's name: tries per address and window (seconds).
CERTIFICATE_CHECK_LIMIT = 10
CERTIFICATE_CHECK_WINDOW = 10 * 60

# Two-factor sign-in: required for admins and Kasi BKD whenever debug is off.
OTP_REQUIRED_FOR_PRIVILEGED = envbool("DJANGO_OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Bapas"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS: list = []  # each app keeps its catalogue in APP/locale (see bin/messages)
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True
FORMAT_MODULE_PATH = ["bapas.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("BAPAS_PRIVATE_ROOT", str(BASE_DIR / "var" / "private"))},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files (scanned agreements, evidence photos, generated reports) are private:
# no URL serves MEDIA_ROOT (MEDIA_URL below has no URL pattern); views stream files after a permission check.
PRIVATE_ROOT = Path(STORAGES["default"]["OPTIONS"]["location"])
MEDIA_ROOT = PRIVATE_ROOT
MEDIA_URL = "/_private-not-served/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("BAPAS_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "reports", "imports"],
    }
}
GENERATED_FILE_RETENTION_HOURS = envint("BAPAS_GENERATED_FILE_RETENTION_HOURS", 72)
# A background file whose worker gave no sign of life for this long is handed to another worker
# (at most GENERATED_FILE_MAX_ATTEMPTS tries in all).
GENERATED_FILE_STALLED_SECONDS = envint("BAPAS_GENERATED_FILE_STALLED_SECONDS", 300)
GENERATED_FILE_MAX_ATTEMPTS = 3
# Report PDFs with more table rows than this are printed in parts (bounded memory; reports.pdf).
REPORT_PDF_CHUNK_ROWS = envint("BAPAS_REPORT_PDF_CHUNK_ROWS", 400)
# Dashboards: an outdated summary row computed less than this long ago is shown (marked as such)
# while the task worker recomputes it; older rows are computed by the request (reports.summaries).
DASHBOARD_STALE_MINUTES = envint("BAPAS_DASHBOARD_STALE_MINUTES", 60)
# A viewer's report computes missing office rollups (reports.rollups) for at most this long, then
# queues the rest for the worker and says they are being prepared.
REPORT_ROLLUP_INLINE_SECONDS = float(os.environ.get("BAPAS_REPORT_ROLLUP_INLINE_SECONDS", "0.5"))
# The day of the next month by which an office's monthly return must be signed.
MONTHLY_RETURN_DEADLINE_DAY = envint("BAPAS_MONTHLY_RETURN_DEADLINE_DAY", 5)
# An uploaded workbook larger than this once unpacked is refused before it is opened (workbook.reader).
WORKBOOK_MAX_UNPACKED_BYTES = envint("BAPAS_WORKBOOK_MAX_UNPACKED_MB", 50) * 1024 * 1024

# Security headers. Production (debug off) is HTTPS only.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Static files are served by WhiteNoise behind gunicorn; locally and in tests it reads them from the finders.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# --- Security helper: submit-once tokens ------------------------------------------------
# One-time tokens of create forms (bapas/idempotency.py) are claimed with cache.add(), which must
# be atomic across every server process: a database cache table. bapas.apps creates the table
# after every `migrate` (createcachetable is idempotent), so `make run`, CI and tests need nothing more.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "submissions": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "bapas_submission_cache",
        "TIMEOUT": 12 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
    # Results kept across processes (the evidence report of all offices: reports/evidence/cache.py).
    "reports": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "bapas_reports_cache",
        "TIMEOUT": 14 * 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}
if os.environ.get("REDIS_URL"):
    # One cache for every application host (several machines behind a load balancer).
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
IDEMPOTENCY_CACHE = "submissions"
IDEMPOTENCY_TOKEN_MAX_AGE = 12 * 60 * 60
# --- end of security helper block ------------------------------------------------------------------
