"""Accord settings: everything configurable comes from environment variables.

SQLite in a local data folder is the embedded default; PostgreSQL through ``DATABASE_URL``.
``ACCORD_ENV=production`` switches on the deployment hardening and refuses a missing or
placeholder ``SECRET_KEY``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ACCORD_DATA_DIR", Path.cwd() / "data")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable, rejecting anything ambiguous."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    """Read a whole-number environment variable with a clear error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


ACCORD_ENV = os.environ.get("ACCORD_ENV", "development")
if ACCORD_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("ACCORD_ENV must be development, production or test.")
PRODUCTION = ACCORD_ENV == "production"
DEBUG = env_bool("DEBUG", default=False)

_INSECURE_KEY = "django-insecure-accord-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    if not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters in production "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
elif not SECRET_KEY:
    SECRET_KEY = _INSECURE_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "accord.core",
    "accord.accounts",
    "accord.organisations",
    "accord.audit",
    "accord.cases",
    "accord.safeguarding",
    "accord.deadlines",
    "accord.api",
    "accord.portal",
    "accord.demo",
    "accord.intake",
    "accord.documents",
    "accord.meetings",
    "accord.willingness",
    "accord.agreements",
    "accord.mediation",
    "accord.agenda",
    "accord.rooms",
    "accord.premediation",
    "accord.finance",
    "accord.children",
    "accord.outcomes",
    "accord.send",
    "accord.complaints",
    "accord.records",
    "accord.queues",
    "accord.fees",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accord.core.middleware.RequestIdMiddleware",
    "csp.middleware.CSPMiddleware",
    "accord.core.middleware.PermissionsPolicyMiddleware",
    # After the policies (so a 413 carries them too), before anything reads the body.
    "accord.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accord.core.once.OnceMiddleware",
    "accord.accounts.middleware.RequireStaffMfaMiddleware",
]

# Content-Security-Policy (django-csp 4): everything from our own origin, no inline script or
# style anywhere (htmx's injected indicator styles are switched off by the htmx-config meta tag
# in base.html), never framed, forms post only to us. See docs/operations.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page of Accord uses are switched off for every response.
PERMISSIONS_POLICY_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
)

ROOT_URLCONF = "accord.config.urls"
WSGI_APPLICATION = "accord.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],  # project-wide: base layout, allauth overrides
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accord.core.context_processors.accord",
            ],
            # {% csrf_token %} also renders a one-time form token (accord.core.once).
            "builtins": ["accord.core.templatetags.once_builtins"],
        },
    },
]

_DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'accord.sqlite3'}"
_ON_POSTGRES = _DATABASE_URL.startswith(("postgres://", "postgresql://", "pgsql://"))
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL,
        # PostgreSQL: keep each worker's connection for 10 minutes instead of connecting on
        # every request (a new connection costs a few milliseconds and a server process), and
        # check it is still alive before reusing it after an error or a database restart.
        # docs/operations.md explains the setting and when to put PgBouncer in front.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600 if _ON_POSTGRES else 0),
        conn_health_checks=_ON_POSTGRES,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the web process and the worker share the file safely.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file too, not Django's shared-cache in-memory database: there, two
    # connections writing at once fail at once with "database table is locked" instead of
    # waiting, so the tests of concurrent requests would test something production never does.
    # In the data folder, so two runs with their own ACCORD_DATA_DIR never share (and break)
    # one test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    # Argon2id with OWASP's parameters (accord/accounts/hashers.py); hashes made with Django's
    # defaults still verify and are re-hashed at the next sign-in.
    "accord.accounts.hashers.AccordArgon2PasswordHasher",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email login, no self sign-up (people are invited), rate-limited failures.
ACCOUNT_ADAPTER = "accord.accounts.adapter.AccordAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins are throttled per account and address by accord.accounts.throttle
    # (growing waits), not by allauth's per-account lock, which let strangers lock people out.
    "login_failed": False,
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# Ceilings of accord.accounts.throttle: failures per account (all addresses) an hour, and per
# address (all accounts) in 15 minutes.
ACCORD_SIGNIN_ACCOUNT_CEILING = env_int("ACCORD_SIGNIN_ACCOUNT_CEILING", 100)
ACCORD_SIGNIN_ADDRESS_CEILING = env_int("ACCORD_SIGNIN_ADDRESS_CEILING", 50)
# Proxies in front of Accord that append to X-Forwarded-For, for the client address the throttle
# uses; 0 when the WSGI server already puts the client's address in REMOTE_ADDR (waitress with
# x-forwarded-for among its trusted proxy headers, as docs/operations.md configures it).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ACCORD_TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Accord"
# Accord's wording on allauth's forms (labels and hints; allauth still does the checking).
ACCOUNT_FORMS = {
    "login": "accord.accounts.forms.LoginForm",
    "reset_password": "accord.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accord.accounts.forms.ResetPasswordKeyForm",
    "change_password": "accord.accounts.forms.ChangePasswordForm",
    "set_password": "accord.accounts.forms.SetPasswordForm",
    "reauthenticate": "accord.accounts.forms.ReauthenticateForm",
}
MFA_FORMS = {
    "authenticate": "accord.accounts.forms.MfaAuthenticateForm",
    "reauthenticate": "accord.accounts.forms.MfaReauthenticateForm",
    "activate_totp": "accord.accounts.forms.ActivateTotpForm",
}

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False

# Participant invitation links: single use, expire after this many days.
ACCORD_INVITATION_DAYS = env_int("ACCORD_INVITATION_DAYS", 7)
# Personal API tokens expire after this many days unless their owner chooses (at most the maximum).
ACCORD_API_TOKEN_DAYS = env_int("ACCORD_API_TOKEN_DAYS", 90)
ACCORD_API_TOKEN_MAX_DAYS = env_int("ACCORD_API_TOKEN_MAX_DAYS", 366)
ACCORD_SITE_NAME = os.environ.get("ACCORD_SITE_NAME", "Accord")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{ACCORD_SITE_NAME}: "

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English (UK)")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "files")},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # Outside production WhiteNoise serves straight from the apps' static folders; an empty
    # STATIC_ROOT only stops it warning "No directory at" on every start.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Accord <accord@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

TASKS = {
    "default": {
        "BACKEND": os.environ.get("ACCORD_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# The cache holds failed-login counts and used two-factor codes, so every web process must share
# it in production: the database cache does, with no extra service. Create its table once with
# `accord createcachetable` (the test runner and `accord demo` do this themselves).
# With REDIS_URL set, Redis is the shared cache instead (no table to create).
REDIS_URL = os.environ.get("REDIS_URL", "")
ACCORD_CACHE = os.environ.get(
    "ACCORD_CACHE", ("redis" if REDIS_URL else "database") if PRODUCTION else "locmem"
)
if ACCORD_CACHE == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("ACCORD_CACHE=redis needs REDIS_URL (redis://host:6379/0).")
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif ACCORD_CACHE == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "accord_cache",
        }
    }
elif ACCORD_CACHE == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured("ACCORD_CACHE must be database, redis or locmem.")

NINJA_PAGINATION_PER_PAGE = 25

# Request bodies (see docs/operations.md, "Hardening"): a whole request may be a little over the
# 10 MB attachment limit (multipart overhead); anything read into memory (form fields, a JSON
# body) at most 2.5 MB; uploads over 2.5 MB are streamed to a temporary file, not held in memory.
ACCORD_MAX_REQUEST_BYTES = env_int("ACCORD_MAX_REQUEST_BYTES", 11 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF at INFO; only its warnings are worth reading.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")


# --- Running on more than one machine (issue 17): object storage and start-up refusals ---------
# ACCORD_STORAGE=s3 keeps uploads and documents in an S3-compatible bucket (django-storages).
# Credentials come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or an instance role).
# Files are never served from the bucket: every download passes through a view that checks the
# policy and streams the file, so the bucket stays private and URLs are never handed out.
ACCORD_STORAGE = os.environ.get("ACCORD_STORAGE", "local")
if ACCORD_STORAGE == "s3":
    _bucket = os.environ.get("ACCORD_S3_BUCKET", "")
    if not _bucket:
        raise ImproperlyConfigured("ACCORD_STORAGE=s3 needs ACCORD_S3_BUCKET (the bucket's name).")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": os.environ.get("ACCORD_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("ACCORD_S3_REGION") or None,
            "location": os.environ.get("ACCORD_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }
elif ACCORD_STORAGE != "local":
    raise ImproperlyConfigured("ACCORD_STORAGE must be local or s3.")

# The worker's heartbeat older than this many seconds makes /healthz answer 503.
ACCORD_HEALTH_WORKER_STALE_SECONDS = env_int("ACCORD_HEALTH_WORKER_STALE_SECONDS", 300)

if PRODUCTION:
    # A load balancer asks /healthz on the internal address, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if DEBUG:
        raise ImproperlyConfigured(
            "DEBUG must be off in production: error pages would show settings and data."
        )
    if not os.environ.get("ACCORD_SITE_URL", "").strip():
        raise ImproperlyConfigured(
            "ACCORD_SITE_URL must be set in production (for example "
            "https://mediation.example.org): links in emails are built from it."
        )
