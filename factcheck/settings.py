"""Settings, all read from the environment (see .env.example for every variable and its default)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from accounts.rates import env_rate
from factcheck.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required unless DJANGO_DEBUG is true.")
    SECRET_KEY = "insecure-local-development-key-only-used-with-DJANGO_DEBUG"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if urlsplit(_origin).scheme not in {"http", "https"} or not urlsplit(_origin).netloc:
        raise ImproperlyConfigured(
            f"DJANGO_CSRF_TRUSTED_ORIGINS entries must look like https://example.org, not {_origin!r}."
        )

# Without DATABASE_URL the Makefile starts the project-local cluster (factcheck/localdb.py) and points here.
LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:{port}/{name}".format(
    port=env_int("LOCAL_PG_PORT", 54329, minimum=1, maximum=65535), name=env_str("LOCAL_PG_DB") or "factcheck"
)
DATABASE_URL = env_str("DATABASE_URL") or (LOCAL_DATABASE_URL if DEBUG else None)
if not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL is required unless DJANGO_DEBUG is true.")
if urlsplit(DATABASE_URL).scheme not in {"postgres", "postgresql", "pgsql"}:
    raise ImproperlyConfigured(
        "DATABASE_URL must be a PostgreSQL URL (postgres://...); no other database is supported."
    )
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Statements run through server-binding cursors (claims.api.readers) are prepared by psycopg after this many runs on a
# connection, which saves their planning. Django turns preparing off by default for connection poolers in transaction
# mode that do not support it (PgBouncer before 1.21): DATABASE_PREPARE_THRESHOLD=off for those.
DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
    None
    if (env_str("DATABASE_PREPARE_THRESHOLD") or "").lower() == "off"
    else env_int("DATABASE_PREPARE_THRESHOLD", 5, minimum=0)
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # Above django.contrib.admin so that its templates add the "Events" (audit history) buttons to admin pages.
    "pghistory.admin",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "sources",
    "claims",
    "accounts",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "factcheck.middleware.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who and where (user, request method and path) for the audit trail's triggers; after authentication.
    "audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "factcheck" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Serve static files from the finders while STATIC_ROOT has not been collected (tests, make run).
WHITENOISE_USE_FINDERS = env_bool("DJANGO_WHITENOISE_USE_FINDERS", default=True)

# Security: production defaults; DJANGO_DEBUG relaxes only what local http needs.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Requests whose body would exceed this are refused before parsing (413), ClaimReview imports included.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_MAX_REQUEST_BYTES", 5 * 1024 * 1024, minimum=1024)

REST_FRAMEWORK = {
    # API keys first: the first class's WWW-Authenticate challenge (Bearer) makes DRF answer an anonymous write 401,
    # not 403. Basic and the admin's session follow.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["factcheck.permissions.ReadOnlyOrStaff"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "factcheck.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "factcheck.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "factcheck.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "factcheck.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["factcheck.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if env_bool("API_BROWSABLE", default=DEBUG) else []),
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "ORDERING_PARAM": "ordering",
    # JSON is the only representation; an unknown ?format= must not turn a list into a 404.
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Per API key, per signed-in user, per anonymous address: accounts.throttling, counted in PostgreSQL.
    "DEFAULT_THROTTLE_CLASSES": ["accounts.throttling.ApiRateThrottle"],
    # Proxies in front of the app that append to X-Forwarded-For; 0 reads REMOTE_ADDR only, which a client cannot
    # forge (with DRF's default, None, a client would pick its own address, and its own rate limit, per request).
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0, minimum=0, maximum=10),
}

# Rate limits ("N/second|minute|hour|day"). Anonymous readers are counted per address (per /64 for IPv6); "off"
# turns a limit off, e.g. behind a gateway that limits already. Each key has its own rate, set when it is issued.
API_ANON_RATE = env_rate("API_ANON_RATE", "120/minute", allow_off=True)
API_USER_RATE = env_rate("API_USER_RATE", "600/minute", allow_off=True)
API_KEY_DEFAULT_RATE = env_rate("API_KEY_DEFAULT_RATE", "1000/hour")
API_KEY_DEFAULT_DAYS = env_int("API_KEY_DEFAULT_DAYS", 365, minimum=1, maximum=3650)

# Who publishes the desk's own verdicts, as ClaimReview `author` and the Google-compatible API's `publisher`; and
# where readers find a verdict ({id} is the claim's id): the review `url`. The default points at the API's own
# ClaimReview document of the claim, which exists whatever front end a deployment has.
FACTCHECK_ORG_NAME = env_str("FACTCHECK_ORG_NAME") or "factcheck"
FACTCHECK_ORG_URL = env_str("FACTCHECK_ORG_URL") or "https://factcheck.example.org/"
FACTCHECK_REVIEW_URL = env_str("FACTCHECK_REVIEW_URL") or ""
if FACTCHECK_REVIEW_URL and "{id}" not in FACTCHECK_REVIEW_URL:
    raise ImproperlyConfigured("FACTCHECK_REVIEW_URL must contain {id}, where the claim's id goes.")

# Shared by every process and machine (nothing may assume a single process): the database cache, whose table the
# accounts migration 0002 creates. Rate limits do not use it (see accounts.throttling for why).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "factcheck_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": "Claims, their source attribution, and published fact-check verdicts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models have a `kind` with different choices; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ClaimKindEnum": "claims.models.ClaimKind",
        "SourceKindEnum": "sources.models.SourceKind",
        "QuantityOrDateKindEnum": "claims.models.Question.Kind",
        "RelationKindEnum": "claims.models.ClaimRelation.Kind",
    },
}

# Audit trail (audit app): the admin's per-object "Events" pages list audit.AuditEvent with audit's admin class.
PGHISTORY_ADMIN_MODEL = "audit.AuditEvent"
PGHISTORY_ADMIN_CLASS = "audit.admin.AuditEventsAdmin"
# An unfiltered page would union every event table; events show once narrowed to an object, a model or a label.
PGHISTORY_ADMIN_ALL_EVENTS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL") or "INFO"},
}
