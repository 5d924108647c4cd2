"""Vigie settings: one file, read from the environment.

Embedded default: SQLite in the project folder and Celery tasks run in-process
(eager) right after commit. Production: set DATABASE_URL (PostgreSQL, psycopg 3)
and REDIS_URL (Celery broker), start `celery -A config worker`.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG")

# A known development key is only acceptable while DEBUG is on; with DEBUG off
# the app must not start on a missing or default key (sessions and CSRF tokens
# would be forgeable).
_DEV_SECRET_KEY = "vigie-insecure-development-key"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable (or DEBUG=1 for local development)."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif SECRET_KEY == _DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY is the development default; set a real one.")

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_htmx",
    "articles",
    "entities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page requires a login; the login page itself is exempted with
    # @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

WSGI_APPLICATION = "config.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side parameter binding: psycopg sends parameters separately instead
    # of merging them into the SQL in Python, which dominated bulk inserts.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = env_bool("DB_SERVER_SIDE_BINDING", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo serves requests and runs tasks in one process; WAL and a busy
    # timeout keep a long write from failing a concurrent page load.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"  # never served by the app: uploads stay private
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: one file may be this large (checked before parsing).
VIGIE_MAX_FILE_BYTES = env_int("VIGIE_MAX_FILE_BYTES", 50 * 1024 * 1024)
VIGIE_MAX_ZIP_ENTRIES = env_int("VIGIE_MAX_ZIP_ENTRIES", 10_000)
VIGIE_MAX_ZIP_TOTAL_BYTES = env_int("VIGIE_MAX_ZIP_TOTAL_BYTES", 1024 * 1024 * 1024)
# A bulk import file (CSV/JSONL/ZIP) may be larger than one article file.
VIGIE_MAX_IMPORT_BYTES = env_int("VIGIE_MAX_IMPORT_BYTES", 2 * 1024 * 1024 * 1024)
# Ingest writes articles in batches of this many rows.
VIGIE_IMPORT_BATCH_SIZE = env_int("VIGIE_IMPORT_BATCH_SIZE", 500)
# Jaccard similarity (MinHash estimate) above which a new article is a near-duplicate.
VIGIE_NEAR_DUPLICATE_THRESHOLD = float(os.environ.get("VIGIE_NEAR_DUPLICATE_THRESHOLD", "0.8"))
# An article stuck in "extracting" longer than this may be claimed again.
VIGIE_EXTRACTION_CLAIM_SECONDS = env_int("VIGIE_EXTRACTION_CLAIM_SECONDS", 15 * 60)
# A review claim ("Review next") lasts this long without activity, then anyone may take the article.
VIGIE_REVIEW_CLAIM_MINUTES = env_int("VIGIE_REVIEW_CLAIM_MINUTES", 30)
# The queue counts matching articles up to this many, then shows "more than".
VIGIE_QUEUE_COUNT_CAP = env_int("VIGIE_QUEUE_COUNT_CAP", 1_000)
# Articles per extraction message: big enough for nlp.pipe to pay off, small
# enough to spread an import over every worker.
VIGIE_EXTRACTION_CHUNK = env_int("VIGIE_EXTRACTION_CHUNK", 16)
# A running import whose worker wrote nothing for this long may be resumed by another.
VIGIE_IMPORT_LEASE_SECONDS = env_int("VIGIE_IMPORT_LEASE_SECONDS", 10 * 60)
# Extraction results written per transaction by a worker (one spaCy batch).
VIGIE_STORE_BATCH = env_int("VIGIE_STORE_BATCH", 32)
# Longer texts are stored but not extracted (the article fails with the reason): spaCy's own limit.
VIGIE_MAX_EXTRACT_CHARS = env_int("VIGIE_MAX_EXTRACT_CHARS", 1_000_000)
# Tasks that meet a transient database error retry this many times, with exponential
# backoff and full jitter capped at this many seconds; bad input is never retried.
VIGIE_TASK_MAX_RETRIES = env_int("VIGIE_TASK_MAX_RETRIES", 5)
VIGIE_TASK_RETRY_BACKOFF_MAX = env_int("VIGIE_TASK_RETRY_BACKOFF_MAX", 120)
# The relay (articles/relay.py, `manage.py relay`, and a periodic task every
# VIGIE_RELAY_INTERVAL seconds) publishes queued rows the broker never accepted once
# they are VIGIE_RELAY_GRACE_SECONDS old, and republishes queued rows whose message
# the broker lost (its queue is empty, yet they have waited VIGIE_RELAY_LOST_SECONDS).
VIGIE_RELAY_INTERVAL = env_int("VIGIE_RELAY_INTERVAL", 60)
VIGIE_RELAY_GRACE_SECONDS = env_int("VIGIE_RELAY_GRACE_SECONDS", 30)
VIGIE_RELAY_LOST_SECONDS = env_int("VIGIE_RELAY_LOST_SECONDS", 10 * 60)
# Fault-test hook (articles.tasks.fault_point): empty in production.
VIGIE_TEST_PAUSE_AT = os.environ.get("VIGIE_TEST_PAUSE_AT", "")
VIGIE_TEST_PAUSE_DIR = os.environ.get("VIGIE_TEST_PAUSE_DIR", "")
# Cross-article linking at extraction (entities/linking.py). Off, every name of a batch becomes a new
# entity with no lookup: only for measuring what linking costs (bench/link_bench.py).
VIGIE_CROSS_LINKING = env_bool("VIGIE_CROSS_LINKING", True)
# Event clustering at extraction (entities/clustering.py), off only for the same measure.
VIGIE_EVENT_CLUSTERING = env_bool("VIGIE_EVENT_CLUSTERING", True)

# Django accepts the upload in memory up to this size, then spools to disk;
# the body limit must allow a bulk import file.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 200

# Celery: no REDIS_URL means no broker, so tasks run in-process right after
# the transaction that queued them commits.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL or env_bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "vigie")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "vigie-relay": {"task": "articles.tasks.relay", "schedule": float(VIGIE_RELAY_INTERVAL)},
}
# A publish to an unreachable broker must not hang a web request.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
    "max_retries": 2,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}

# Security headers; the secure-only ones are on whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (config/middleware.py) on every response: our own origin only, and no
# 'unsafe-inline' or 'unsafe-eval', so markup that ever slipped past escaping could not run.
# Cytoscape's canvas may draw data: images; frame-ancestors repeats X_FRAME_OPTIONS for CSP browsers.
VIGIE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
