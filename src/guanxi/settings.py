"""Django settings. Everything that differs between machines comes from the environment.

See docs/configuration.md for the variables.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GUANXI_DATA_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("GUANXI_DEBUG", False)
SECRET_KEY = os.environ.get("GUANXI_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or env_bool("GUANXI_INSECURE_DEV_KEY")):
        raise ImproperlyConfigured(
            "GUANXI_SECRET_KEY must be set (or GUANXI_DEBUG=1 for a local trial)."
        )
    SECRET_KEY = "insecure-local-trial-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("GUANXI_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("GUANXI_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "axes",
    "guanxi.core",
    "guanxi.customers",
    "guanxi.network",
    "guanxi.commerce",
    "guanxi.portal",
    "guanxi.sales",
    "guanxi.service",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "guanxi.core.middleware.RequestIdMiddleware",
    "guanxi.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "guanxi.core.middleware.PortalConfinementMiddleware",
]

ROOT_URLCONF = "guanxi.urls"
WSGI_APPLICATION = "guanxi.wsgi.application"
ASGI_APPLICATION = "guanxi.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guanxi.core.context_processors.navigation",
                "guanxi.portal.cart.context",
                "guanxi.sales.context_processors.approvals",
                "guanxi.sales.context_processors.follow_ups",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'guanxi.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids
    # "database is locked" upgrades from read to write transactions.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) serve PostgreSQL; SQLite's indexes always carry the rowid,
# so the warning that SQLite skips INCLUDE columns says nothing useful here.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("GUANXI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("GUANXI_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("GUANXI_TIME_ZONE", "Asia/Shanghai")
# Upline and downline contact (上下级联系): how many levels of their own downline a
# distributor sees the mobile numbers of in the back office (0: none; the sponsor's is
# shown from 1).
NETWORK_CONTACT_DEPTH = int(os.environ.get("GUANXI_NETWORK_CONTACT_DEPTH", "1"))

# Commerce: how long earned points stay valid, payment terms and reminders (催帐).
POINTS_VALID_MONTHS = int(os.environ.get("GUANXI_POINTS_VALID_MONTHS", "24"))
PAYMENT_TERMS_DAYS = int(os.environ.get("GUANXI_PAYMENT_TERMS_DAYS", "7"))
PAYMENT_REMINDERS_MAX = int(os.environ.get("GUANXI_PAYMENT_REMINDERS_MAX", "3"))
PAYMENT_REMINDER_EVERY_DAYS = int(os.environ.get("GUANXI_PAYMENT_REMINDER_EVERY_DAYS", "3"))

# Sales follow-up tasks: how long before a task is due its email reminder goes out, and
# from which local hour the daily digest of overdue tasks is sent.
TASK_REMIND_MINUTES = int(os.environ.get("GUANXI_TASK_REMIND_MINUTES", "30"))
TASK_DIGEST_HOUR = int(os.environ.get("GUANXI_TASK_DIGEST_HOUR", "8"))

# Sales quotes (报价单): how long a quote is valid, the default VAT rate (%), the number's
# prefix (BJ = 报价, giving BJ2026-000123) and the company name printed on the PDF (the
# top department's name when empty).
QUOTE_VALID_DAYS = int(os.environ.get("GUANXI_QUOTE_VALID_DAYS", "30"))
QUOTE_TAX_RATE = os.environ.get("GUANXI_QUOTE_TAX_RATE", "13")
QUOTE_NUMBER_PREFIX = os.environ.get("GUANXI_QUOTE_NUMBER_PREFIX", "BJ")
COMPANY_NAME = os.environ.get("GUANXI_COMPANY_NAME", "")

# Outgoing notices: email through Django's backend (a file in var/mail unless configured),
# SMS through a callable `send(recipient, body)`; the default only records the message.
EMAIL_BACKEND = os.environ.get(
    "GUANXI_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("GUANXI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GUANXI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("GUANXI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GUANXI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GUANXI_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("GUANXI_EMAIL_FROM", "noreply@guanxi.local")
# The portal's online payment: no gateway is wired in yet; with the sandbox on (demo and
# development) "pay now" confirms at once, clearly labelled. Off in production.
PAYMENT_SANDBOX = env_bool("GUANXI_PAYMENT_SANDBOX", DEBUG)
GUANXI_SMS_BACKEND = os.environ.get("GUANXI_SMS_BACKEND", "guanxi.core.notify.record_only")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    # Contract attachments: never under MEDIA_URL; served by a view that checks visibility.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "private", "base_url": None},
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"  # product images; served by the front web server in production

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("GUANXI_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("GUANXI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GUANXI_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
