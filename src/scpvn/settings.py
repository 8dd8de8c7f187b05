"""Settings, all configurable from the environment.

Development defaults (DEBUG on, embedded SQLite under var/) make `make demo` work on a
fresh machine; production is selected by DEBUG=0, which also turns every hardening
setting on and refuses to start without SECRET_KEY.
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SCPVN_VAR_DIR", BASE_DIR / "var"))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG=0")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the default widget templates, for the TemplatesSetting renderer below
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # before django_tasks_db: its `db_worker` command is the one `scpvn db_worker` runs
    "scpvn.core",
    "django_tasks",
    "django_tasks_db",
    "scpvn.geo",
    "scpvn.orgs",
    "scpvn.notifications",
    "scpvn.plans",
    "scpvn.registry",
    "scpvn.progress",
    "scpvn.assessments",
    "scpvn.indicators",
    "scpvn.trace",
    "scpvn.fairs",
    "scpvn.greenpoints",
    "scpvn.outreach",
    "scpvn.surveys",
    "scpvn.network",
    "scpvn.reports",
    "scpvn.portal",
    "scpvn.audit",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "scpvn.core.replicas.ReplicaMiddleware",
    # core (issue 8): CSP with a per-request script nonce; 503 instead of a traceback when the
    # database is unreachable; login throttling last, as django-axes requires.
    "scpvn.core.middleware.ContentSecurityPolicyMiddleware",
    "scpvn.core.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
    # JSON bodies: refused when too large or too deep, before any view parses them.
    "scpvn.core.jsonlimits.JSONLimitsMiddleware",
    # Form fields and query strings in Unicode NFC, so a decomposed name is stored and found.
    "scpvn.core.text.NormalizeTextMiddleware",
]

ROOT_URLCONF = "scpvn.urls"
WSGI_APPLICATION = "scpvn.wsgi.application"
ASGI_APPLICATION = "scpvn.asgi.application"  # uvicorn: HTTP and the EPCIS WebSockets

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
                "scpvn.core.context_processors.navigation",
            ],
        },
    },
]

# Forms render through Bootstrap templates in core (labels, help, errors, widget classes).
FORM_RENDERER = "scpvn.core.forms.BootstrapFormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'scpvn.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker write while pages read; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A PostgreSQL streaming replica for the read-only public pages (scpvn.core.replicas).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["scpvn.core.replicas.ReplicaRouter"]
SCPVN_REPLICA_VIEWS = [
    "portal:*",
    "trace:resolve-gtin",
    "trace:resolve-lot",
    "trace:resolve-serial",
    "trace:resolve-path",
    "trace:resolve-compressed",
]
# how long a browser that wrote reads from the primary (longer than any replica lag we accept)
SCPVN_REPLICA_STICKY_SECONDS = int(os.environ.get("SCPVN_REPLICA_STICKY_SECONDS", "10"))

# One cache for every app server when REDIS_URL (or CACHE_URL) names a Redis server: the
# consumer page's ETags and the portal snapshot are then retired everywhere at once.
# Unset, each process keeps its own local cache.
CACHE_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "scpvn"),
        }
    }
    # Sessions are read from the shared cache and written through to the database: a query
    # less on every signed-in request. Only with a shared cache: with each process's own, a
    # session ended on one server (signing out) would live on in another's cache.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
# Each language is named in itself, so a reader finds their own whichever is active.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["scpvn.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
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
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "scpvn.core.tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "scpvn.core.paging.CappedPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "scpvn.core.problems.api_exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "scpvn API",
    "DESCRIPTION": "API của hệ thống quản lý Kế hoạch sản xuất và tiêu dùng bền vững",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The status engine's status shares its field name with other choice sets.
    "ENUM_NAME_OVERRIDES": {"ProgressStatusEnum": "scpvn.progress.status.Status"},
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "scpvn <no-reply@localhost>")

# The plan file `make demo` and `scpvn demo load` start from.
SCPVN_DEFAULT_PLAN_FILE = Path(
    os.environ.get("SCPVN_DEFAULT_PLAN_FILE", BASE_DIR / "plans" / "hanoi-96-kh-ubnd-2020.yaml")
)
# The province this installation serves (official 2025 code); its districts, wards and
# communes are the units records point at. Chosen once, at install time.
SCPVN_PROVINCE = os.environ.get("SCPVN_PROVINCE", "01")
# Plans the demo loads besides the default one, side by side (paths, separated by ":").
SCPVN_DEMO_PLAN_FILES = [
    Path(p)
    for p in os.environ.get(
        "SCPVN_DEMO_PLAN_FILES",
        f"{BASE_DIR / 'plans' / 'hanoi-263-kh-ubnd-2023.yaml'}:{BASE_DIR / 'plans' / 'hanoi-2026.yaml'}",
    ).split(":")
    if p
]
# Public base URL used in QR codes and e-mails (GS1 Digital Link resolver lives here).
SCPVN_PUBLIC_URL = os.environ.get("SCPVN_PUBLIC_URL", "http://127.0.0.1:8000")
# The most rows of each kind (events of a chain, lots, certificates) one public resolver page
# reads: a GTIN with 100,000 events costs what one with 100 does.
SCPVN_TRACE_PAGE_MAX_ROWS = int(os.environ.get("SCPVN_TRACE_PAGE_MAX_ROWS", "200"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# ── core (issue 8): hardening ─────────────────────────────────────────────────────────────
# Login throttling: 5 wrong passwords for one user name from one address lock that pair for
# 15 minutes (the 6th attempt is refused even with the right password). Locking the pair, not
# the account, keeps an attacker elsewhere from locking a real officer out.
AUTHENTICATION_BACKENDS = [
    "scpvn.core.auth.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
# A user name from one address, and also one address whatever the user names it tries (so
# one address cannot try four passwords on every account).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Behind a reverse proxy, set AXES_IPWARE_META_PRECEDENCE_ORDER to the header it sets.
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("AXES_IPWARE_META_PRECEDENCE_ORDER", "REMOTE_ADDR")
# Content-Security-Policy (Django 5.2 has none built in): scripts only from this origin or with
# the per-request nonce (`request.csp_nonce`), no plugins, no framing, forms post here only.
CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'nonce-{nonce}'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Precompressing static files (gzip + brotli) makes `collectstatic` take a minute; throwaway
# production-mode sites (the load test) switch it off with STATIC_COMPRESS=0.
if not DEBUG and not env_bool("STATIC_COMPRESS", True):
    STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    )
# Uploads: the default ceiling `scpvn.core.files.validate_upload` applies when a caller gives none.
SCPVN_MAX_UPLOAD_BYTES = int(os.environ.get("SCPVN_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# One OpenRosa submission (the instance and its photos), announced to ODK Collect as
# X-OpenRosa-Accept-Content-Length: Collect splits larger sends.
SCPVN_OPENROSA_MAX_BYTES = int(os.environ.get("SCPVN_OPENROSA_MAX_BYTES", str(30 * 1024 * 1024)))
# HTTP Digest on the OpenRosa endpoints (ODK Collect's default scheme): the realm a user's
# partial digest MD5(username:realm:password) is kept for (changing it invalidates every stored
# one until each user signs in again), how long a nonce lives before the device is told
# `stale=true`, and a switch: SCPVN_OPENROSA_DIGEST=0 stores no partial digests (an MD5 of the
# password is quicker to guess from a stolen database than the password hash) and offers Basic
# over HTTPS and tokens only.
SCPVN_OPENROSA_DIGEST = env_bool("SCPVN_OPENROSA_DIGEST", True)
SCPVN_DIGEST_REALM = os.environ.get("SCPVN_DIGEST_REALM", "scpvn")
SCPVN_DIGEST_NONCE_SECONDS = int(os.environ.get("SCPVN_DIGEST_NONCE_SECONDS", "300"))
# How far (metres) a visit's GPS point may be from the place's own point before the visit is
# flagged for the reviewer (it is kept, not refused: a market spans a block, phones drift).
SCPVN_VISIT_GPS_TOLERANCE_M = float(os.environ.get("SCPVN_VISIT_GPS_TOLERANCE_M", "200"))
# Imports (registry, sign-in sheets, trace CSV; `scpvn.core.imports`): the largest file, the
# most its zip members may unpack to, the most data rows read, and the most problems collected
# before checking stops; a job still "validating" after the timeout is marked failed.
SCPVN_IMPORT_MAX_BYTES = int(os.environ.get("SCPVN_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
SCPVN_IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("SCPVN_IMPORT_MAX_UNPACKED_BYTES", str(200 * 1024 * 1024))
)
SCPVN_IMPORT_MAX_ROWS = int(os.environ.get("SCPVN_IMPORT_MAX_ROWS", "200000"))
SCPVN_IMPORT_MAX_PROBLEMS = int(os.environ.get("SCPVN_IMPORT_MAX_PROBLEMS", "1000"))
# JSON request bodies (`scpvn.core.jsonlimits`): largest size (413) and deepest nesting (400).
SCPVN_JSON_MAX_BYTES = int(os.environ.get("SCPVN_JSON_MAX_BYTES", str(10 * 1024 * 1024)))
SCPVN_JSON_MAX_DEPTH = int(os.environ.get("SCPVN_JSON_MAX_DEPTH", "64"))
# EPCIS capture (`scpvn.trace.capture`): the most events one document may carry (413), and the
# most events an enterprise's members may capture per day together (429).
SCPVN_EPCIS_MAX_EVENTS = int(os.environ.get("SCPVN_EPCIS_MAX_EVENTS", "10000"))
SCPVN_EPCIS_DAILY_EVENTS = int(os.environ.get("SCPVN_EPCIS_DAILY_EVENTS", "50000"))
# EPCIS subscriptions (trace/subscriptions.py): webhook attempts before giving up, the first
# retry's delay in seconds (doubling each time, at most an hour), the HTTP timeout, events per
# delivered document, how long a scheduled run waits for captures still committing, and
# whether dest may be a loopback/private address (SSRF guard; only for a closed network).
SCPVN_EPCIS_WEBHOOK_ATTEMPTS = int(os.environ.get("SCPVN_EPCIS_WEBHOOK_ATTEMPTS", "6"))
SCPVN_EPCIS_WEBHOOK_BACKOFF = float(os.environ.get("SCPVN_EPCIS_WEBHOOK_BACKOFF", "30"))
SCPVN_EPCIS_WEBHOOK_TIMEOUT = float(os.environ.get("SCPVN_EPCIS_WEBHOOK_TIMEOUT", "10"))
SCPVN_EPCIS_WEBHOOK_BATCH = int(os.environ.get("SCPVN_EPCIS_WEBHOOK_BATCH", "500"))
SCPVN_EPCIS_SUBSCRIPTION_SETTLE = float(os.environ.get("SCPVN_EPCIS_SUBSCRIPTION_SETTLE", "60"))
SCPVN_EPCIS_WEBHOOK_ALLOW_PRIVATE = os.environ.get("SCPVN_EPCIS_WEBHOOK_ALLOW_PRIVATE", "") == "1"
# EPCIS subscriptions by WebSocket (trace/sockets.py, served by `uvicorn scpvn.asgi`): sockets
# per user and in all per server process, captures waiting per socket before a client that
# does not read is closed, and seconds between re-checks of a socket's credentials.
SCPVN_EPCIS_WS_MAX_PER_USER = int(os.environ.get("SCPVN_EPCIS_WS_MAX_PER_USER", "5"))
SCPVN_EPCIS_WS_MAX = int(os.environ.get("SCPVN_EPCIS_WS_MAX", "1000"))
SCPVN_EPCIS_WS_QUEUE = int(os.environ.get("SCPVN_EPCIS_WS_QUEUE", "1000"))
SCPVN_EPCIS_WS_RECHECK = float(os.environ.get("SCPVN_EPCIS_WS_RECHECK", "60"))
# API tokens expire this many days after they are made (`scpvn.core.tokens`).
SCPVN_TOKEN_TTL_DAYS = int(os.environ.get("SCPVN_TOKEN_TTL_DAYS", "90"))
SCPVN_IMPORT_STALE_SECONDS = int(os.environ.get("SCPVN_IMPORT_STALE_SECONDS", "3600"))
# --- progress (issue 4) ---
# "Today" for the status engine, dashboard and reminders (YYYY-MM-DD); unset: the real date.
# Lets a demo or a training session look at the 2020 plan as it stood on a chosen day.
SCPVN_TODAY = os.environ.get("SCPVN_TODAY", "")
# Status engine thresholds; the rule itself is in scpvn/progress/status.py (docs/status-rule.md).
SCPVN_STATUS = {
    # Share of the window that may pass with nothing achieved before "not started" turns
    # into "at risk".
    "GRACE_SHARE": float(os.environ.get("SCPVN_STATUS_GRACE_SHARE", "0.15")),
    # On track while progress ≥ this × elapsed share of the window; below it, at risk.
    "ON_TRACK_RATIO": float(os.environ.get("SCPVN_STATUS_ON_TRACK_RATIO", "0.8")),
    # Deliverables without a number: one milestone expected per this many months of window.
    "MILESTONE_MONTHS": int(os.environ.get("SCPVN_STATUS_MILESTONE_MONTHS", "3")),
    # A task not done whose window ends within this many days of the date shown is due soon.
    "DUE_SOON_DAYS": int(os.environ.get("SCPVN_STATUS_DUE_SOON_DAYS", "30")),
}
# Evidence uploads: the largest file accepted (bytes); types are checked by content.
# How far apart (days) a hand-entered activity and a module's record of the same deliverable
# may be and still be listed as one output possibly counted twice (an announcement precedes
# the fair; flyers are printed weeks before they are handed out).
SCPVN_OVERLAP_DAYS = int(os.environ.get("SCPVN_OVERLAP_DAYS", "62"))
SCPVN_EVIDENCE_MAX_BYTES = int(os.environ.get("SCPVN_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# Reminders: how many days ahead a deadline is announced, and how long a draft or a
# submitted activity may wait before its author or the reviewers are reminded.
SCPVN_REMIND_DAYS_AHEAD = int(os.environ.get("SCPVN_REMIND_DAYS_AHEAD", "7"))
SCPVN_REMIND_STALE_DAYS = int(os.environ.get("SCPVN_REMIND_STALE_DAYS", "7"))

# --- reports (issue 4) ---
# A periodic report is due this many days after its period ends.
SCPVN_REPORT_DUE_DAYS = int(os.environ.get("SCPVN_REPORT_DUE_DAYS", "15"))
# Directory of the PDF typeface (Liberation Serif 2.x or Tinos files); empty: the Debian paths
# listed in core/data/pdf_fonts.txt.
SCPVN_PDF_FONT_DIR = os.environ.get("SCPVN_PDF_FONT_DIR", "")
# Signed documents (issue 16). Each agency's own key (its seal), by agency code, as JSON:
# {"SCT": {"kind": "pkcs12", "path": "/srv/keys/sct.p12", "pin": "…"}} (or kind pkcs11 / remote,
# see reports/keys.py). The CAs trusted for signing and verifying (PEM files), CRLs at hand,
# whether to fetch revocation on line, and the RFC 3161 time-stamping authority (empty: none).
SCPVN_AGENCY_SIGNERS = json.loads(os.environ.get("SCPVN_AGENCY_SIGNERS", "{}"))
SCPVN_SIGN_TRUST_ROOTS = [p for p in os.environ.get("SCPVN_SIGN_TRUST_ROOTS", "").split(",") if p]
SCPVN_SIGN_CRLS = [p for p in os.environ.get("SCPVN_SIGN_CRLS", "").split(",") if p]
SCPVN_SIGN_FETCH_REVOCATION = os.environ.get("SCPVN_SIGN_FETCH_REVOCATION", "1") == "1"
SCPVN_SIGN_TSA_URL = os.environ.get("SCPVN_SIGN_TSA_URL", "")
SCPVN_SIGN_TSA_TIMEOUT = int(os.environ.get("SCPVN_SIGN_TSA_TIMEOUT", "10"))
