"""Django settings for ytcs, driven by environment variables.

SQLite under ``var/`` is the embedded default so the demo needs no set-up;
``DATABASE_URL=postgres://...`` switches to PostgreSQL (production).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YTCS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("YTCS_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("YTCS_SECRET_KEY") or "insecure-demo-key-set-YTCS_SECRET_KEY-in-production"
ALLOWED_HOSTS = os.environ.get("YTCS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ytcs.core",
    "ytcs.orgunits",
    "ytcs.accounts",
    "ytcs.audit",
    "ytcs.people",
    "ytcs.surveillance",
    "ytcs.clinical",
    "ytcs.indicators",
    "ytcs.web",
    "ytcs.synth",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ytcs.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ytcs.core.middleware.SecurityHeadersMiddleware",
    "ytcs.core.middleware.ApiBodyLimitMiddleware",
]

ROOT_URLCONF = "ytcs.urls"
WSGI_APPLICATION = "ytcs.wsgi.application"

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
                "ytcs.surveillance.context_processors.alerts",
                "ytcs.web.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ytcs.sqlite3'}",
        conn_max_age=int(os.environ.get("YTCS_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "ytcs" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root even when serving from finders
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions and CSRF as Django does them, hardened.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get("YTCS_HTTPS", "0") == "1"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Login throttling: failed attempts per username and per client address within the window (ytcs/accounts/throttle.py).
YTCS_LOGIN_MAX_FAILURES = int(os.environ.get("YTCS_LOGIN_MAX_FAILURES", "5"))
YTCS_LOGIN_WINDOW_SECONDS = int(os.environ.get("YTCS_LOGIN_WINDOW_SECONDS", "900"))
YTCS_LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("YTCS_LOGIN_MAX_FAILURES_PER_IP", "20"))
# Number of reverse proxies in front of ytcs whose X-Forwarded-For entry is trusted for the client address.
YTCS_TRUSTED_PROXIES = int(os.environ.get("YTCS_TRUSTED_PROXIES", "0"))
SECURE_HSTS_SECONDS = 31536000 if os.environ.get("YTCS_HTTPS", "0") == "1" else 0
# An uploaded resident list waiting for "Ghi vào sổ" holds CCCD and phone numbers: it is deleted after this many
# seconds even if nobody confirms or cancels (ytcs/people/import_files.py, `ytcs import purge`).
YTCS_IMPORT_FILE_MAX_AGE_SECONDS = int(os.environ.get("YTCS_IMPORT_FILE_MAX_AGE_SECONDS", "3600"))

# No CCCD, insurance or phone number in any log line: every handler masks them (ytcs/audit/redaction.py).
# Django's own loggers are routed to the same masked handler instead of its unmasked defaults.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_identifiers": {"()": "ytcs.audit.redaction.RedactIdentifiersFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_identifiers"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("YTCS_LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["console"], "level": os.environ.get("YTCS_LOG_LEVEL", "WARNING"), "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
