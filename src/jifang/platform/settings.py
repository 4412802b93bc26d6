"""Settings from the environment (12-factor), with safe defaults for one office machine.

- JIFANG_DATA_DIR: where the SQLite file, the signing key and uploads live (default ./data).
- DATABASE_URL: the database; default SQLite in the data directory (WAL mode).
  PostgreSQL: postgres://user@127.0.0.1:5432/jifang
- JIFANG_SECRET_KEY: Django's secret; generated once into the data directory when unset.
- JIFANG_DEBUG (0/1), JIFANG_ALLOWED_HOSTS (comma-separated), JIFANG_TIME_ZONE.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from jifang.platform.core.secretfile import read_or_create

DATA_DIR = Path(os.environ.get("JIFANG_DATA_DIR", "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    return os.environ.get("JIFANG_SECRET_KEY") or read_or_create(DATA_DIR / "secret_key", 50)


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("JIFANG_DEBUG", "0") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("JIFANG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "jifang.platform.auditlog",
    "jifang.platform.geo",
    "jifang.platform.practitioners",
    "jifang.platform.units",
    "jifang.platform.systems",
    "jifang.platform.compliance",
    "jifang.platform.complaints",
    "jifang.platform.accounts",
    "jifang.api",
    "jifang.web",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["jifang.api.filters.ScopedFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jifang.api.errors.handle",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "jifang 技防平台 API",
    "DESCRIPTION": "登记、合规评估与采获信息调阅审查 / registries, assessment and access-check",
    "VERSION": "1",
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jifang.platform.auditlog.middleware.ActorMiddleware",
    "jifang.platform.auditlog.refusals.RefusalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jifang.web.security.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "jifang.platform.urls"
WSGI_APPLICATION = "jifang.platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jifang.web.roles.navigation",
            ]
        },
    }
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'jifang.sqlite3'}"
    db = dj_database_url.parse(url, conn_max_age=60)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while a writer commits; IMMEDIATE takes the write lock at
        # BEGIN, so two writers queue instead of deadlocking on the audit log head.
        db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
        db["CONN_MAX_AGE"] = 0
    db["ATOMIC_REQUESTS"] = True
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = os.environ.get("JIFANG_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "uploads"

# The audit log's signing key and the origin line of its checkpoints.
JIFANG_AUDIT_KEY = DATA_DIR / "audit_ed25519.pem"
JIFANG_AUDIT_ORIGIN = os.environ.get("JIFANG_AUDIT_ORIGIN", "jifang.local/audit")
# Seconds between signed checkpoints (0: one per committing transaction, which locates any
# tampering to a single entry); entries left unsigned longer than the grace fail verification.
JIFANG_AUDIT_CHECKPOINT_INTERVAL = float(os.environ.get("JIFANG_AUDIT_CHECKPOINT_INTERVAL", "0"))
JIFANG_AUDIT_UNSIGNED_GRACE = float(os.environ.get("JIFANG_AUDIT_UNSIGNED_GRACE", "120"))
# The log's own statements are prepared on the server (0: never, e.g. behind a connection
# pooler in transaction mode, which cannot keep them).
JIFANG_AUDIT_PREPARED_STATEMENTS = os.environ.get("JIFANG_AUDIT_PREPARED_STATEMENTS", "1") == "1"

# Passwords: Argon2 first; older hashes are upgraded on the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout: this many failed logins for one user name within the window lock it for the window.
AUTHENTICATION_BACKENDS = ["jifang.platform.accounts.security.LockoutModelBackend"]
JIFANG_LOCKOUT_FAILURES = int(os.environ.get("JIFANG_LOCKOUT_FAILURES", "5"))
JIFANG_LOCKOUT_MINUTES = int(os.environ.get("JIFANG_LOCKOUT_MINUTES", "15"))
# Complaints from the public: at most this many an hour from one address.
JIFANG_COMPLAINTS_PER_HOUR = int(os.environ.get("JIFANG_COMPLAINTS_PER_HOUR", "5"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
