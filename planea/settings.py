"""Planea settings, read from environment variables with safe demo defaults.

PLANEA_ENV=production turns on the production mode: it refuses to start without PLANEA_SECRET_KEY and
PLANEA_ALLOWED_HOSTS, and sets the secure-cookie, HSTS and HTTPS options that `check --deploy` asks for.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = os.environ.get("PLANEA_ENV", "development")
PRODUCTION = ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "si", "sí", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("PLANEA_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("PLANEA_SECRET_KEY es obligatoria en producción (PLANEA_ENV=production).")
    SECRET_KEY = "planea-demo-insecure-key-only-for-development-and-tests-0123456789"

DEBUG = env_bool("PLANEA_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("PLANEA_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("PLANEA_ALLOWED_HOSTS es obligatoria en producción.")
CSRF_TRUSTED_ORIGINS = env_list("PLANEA_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "planea.core",
    "planea.audit",
    "planea.spreadsheets",
    "planea.org",
    "planea.accounts",
    "planea.jobs",
    "planea.documents",
    "planea.procedures",
    "planea.strategy",
    "planea.operations",
    "planea.statistics",
    "planea.forecasting",
    "planea.execution",
    "planea.shell",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "planea.core.middleware.IncomingHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "planea.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "planea.core.middleware.RequestInputMiddleware",
    "planea.core.middleware.FormAddressMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "planea.org.access.AuthorizationMiddleware",
]

ROOT_URLCONF = "planea.urls"
WSGI_APPLICATION = "planea.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "planea" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "planea.shell.context_processors.page",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL ----------------------------
DATA_DIR = Path(os.environ.get("PLANEA_DATA_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'planea.sqlite3'}"),
        conn_max_age=int(os.environ.get("PLANEA_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so concurrent writers queue up
        # instead of failing half-way; WAL lets readers go on while one writer works.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-planea.sqlite3")}
else:
    DATABASES["default"]["OPTIONS"] = {
        # Parameters travel apart from the statement, so a statement run again is the same text: psycopg prepares
        # it on the server after a few runs, and PostgreSQL plans it once per connection instead of on every run
        # (planning a step's join costs more than running it). PLANEA_DB_PREPARE=0 turns it off behind a pooler.
        "server_side_binding": True,
        "prepare_threshold": int(os.environ.get("PLANEA_DB_PREPARE", "5")) or None,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication --------------------------------------------------------------------------------
AUTH_USER_MODEL = "org.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "planea.org.backends.PersonBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "shell:home"
LOGOUT_REDIRECT_URL = "accounts:login"
DEMO_PASSWORD = os.environ.get("PLANEA_DEMO_PASSWORD", "planea2026")

# Lockout after repeated failures (django-axes): per user name and address, and per address whatever the user
# names (accounts/throttle.py). Addresses are read behind the trusted proxies only (core/client_address.py).
AXES_FAILURE_LIMIT = int(os.environ.get("PLANEA_LOGIN_FAILURE_LIMIT", "5"))
PLANEA_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("PLANEA_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("PLANEA_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "planea.accounts.throttle.AddressLimitedHandler"
AXES_CLIENT_IP_CALLABLE = "planea.core.client_address.client_address"
AXES_USERNAME_CALLABLE = "planea.accounts.throttle.username_of"
AXES_USERNAME_FORM_FIELD = "username"  # axes's default, named here for throttle.username_of
# Addresses or networks of the reverse proxies in front of Planea, e.g. "127.0.0.1" or "10.0.0.0/24".
PLANEA_TRUSTED_PROXIES = env_list("PLANEA_TRUSTED_PROXIES")
for _proxy in PLANEA_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"PLANEA_TRUSTED_PROXIES: «{_proxy}» no es una dirección ni una red IP.") from _error
AXES_LOCKOUT_CALLABLE = "planea.accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions: server side, HTTP only, expire after a working day or when the browser closes.
SESSION_ENGINE = "planea.accounts.sessions"  # Django's database sessions, read with a statement written once
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("PLANEA_SESSION_SECONDS", str(9 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("PLANEA_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("PLANEA_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("PLANEA_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: everything is served by Planea itself (no CDN, works offline).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Language and formats: Spanish (Guatemala) by default, English switchable ----------------------
LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "planea" / "locale"]
FORMAT_MODULE_PATH = ["planea.formats"]
TIME_ZONE = "America/Guatemala"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("PLANEA_STATIC_ROOT", BASE_DIR / "var" / "static"))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/bpmn-js", NODE_MODULES / "bpmn-js" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/quill", NODE_MODULES / "quill" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Outside production WhiteNoise serves straight from the app and node_modules folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("PLANEA_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
MAX_UPLOAD_MB = int(os.environ.get("PLANEA_MAX_UPLOAD_MB", "10"))
# Spreadsheets are parsed in a child process with this much memory (MB) and CPU time (seconds) at most.
PLANEA_XLSX_MEMORY_MB = int(os.environ.get("PLANEA_XLSX_MEMORY_MB", "1024"))
PLANEA_XLSX_SECONDS = int(os.environ.get("PLANEA_XLSX_SECONDS", "20"))  # within a web worker's 30 s
# Key that signs each backup's manifest (HMAC-SHA256); kept off the backup disks, it lets `restore` refuse a copy
# whose files were altered together with their manifest. Without it the manifest proves only that nothing was
# damaged or lost.
PLANEA_BACKUP_KEY = os.environ.get("PLANEA_BACKUP_KEY", "")
# An uploaded spreadsheet larger than this (bytes) is imported by the task worker, with a progress bar, instead of
# inside the request: about 1,500 rows of the goals template (one area's at national scale stays inline).
PLANEA_IMPORT_INLINE_BYTES = int(os.environ.get("PLANEA_IMPORT_INLINE_BYTES", str(128 * 1024)))
# A running background job that reports nothing (no progress) for this many minutes was left by a stopped worker: it
# is marked failed, with a sentence saying it can be asked again (jobs/services.fail_abandoned).
PLANEA_JOB_SILENT_MINUTES = int(os.environ.get("PLANEA_JOB_SILENT_MINUTES", "15"))
# P6: how far (in %, either way) a month's execution may stray from the current goal before its cause must be written.
PLANEA_EXECUTION_TOLERANCE = os.environ.get("PLANEA_EXECUTION_TOLERANCE", "10")
# The execution dashboard's traffic lights: year-to-date % of execution from which a line is green (in its goal) and
# amber (at risk); below amber it is red.
PLANEA_EXECUTION_GREEN = os.environ.get("PLANEA_EXECUTION_GREEN", "90")
PLANEA_EXECUTION_AMBER = os.environ.get("PLANEA_EXECUTION_AMBER", "75")
# Procedures: working days a step may take when its definition sets none, and how close to its due date a step
# counts as "at risk" (in working days).
PLANEA_STEP_WORKING_DAYS = int(os.environ.get("PLANEA_STEP_WORKING_DAYS", "5"))
# Years a POM spans unless the person creating it says otherwise (SEGEPLAN guidelines: five).
PLANEA_POM_YEARS = int(os.environ.get("PLANEA_POM_YEARS", "5"))
PLANEA_AT_RISK_WORKING_DAYS = int(os.environ.get("PLANEA_AT_RISK_WORKING_DAYS", "1"))
# Links in notification e-mails: by default the address `scripts/demo` serves, on PLANEA_PORT when it is given.
PLANEA_PORT = int(os.environ.get("PLANEA_PORT", "8000"))
PLANEA_BASE_URL = os.environ.get("PLANEA_BASE_URL", f"http://127.0.0.1:{PLANEA_PORT}")
# Reprogramming a month already past (or already executed, once execution is registered), as the institution's rules
# decide: "justify" (default) takes the request only with a justification of its own for those months, recorded
# with it; "refuse" refuses it (and the approval of a request whose months have passed since it was made).
PLANEA_REPROGRAMMING_PAST_MONTHS = os.environ.get("PLANEA_REPROGRAMMING_PAST_MONTHS", "justify")
if PLANEA_REPROGRAMMING_PAST_MONTHS not in ("justify", "refuse"):
    raise ImproperlyConfigured("PLANEA_REPROGRAMMING_PAST_MONTHS es «justify» o «refuse».")
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024
# The goal grid posts two fields per cell (the value and the value seen): a subproduct delivered by 60 cost centers
# posts 1,442, past Django's default of 1,000. This admits a grid of 800 cost centers × 12 months.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024

# --- Background jobs: django.tasks with the database backend; `manage.py db_worker` runs them ------
# An office adds workers on more machines with the Redis backend (PLANEA_TASKS_BACKEND=django_tasks_rq.RQBackend,
# PLANEA_REDIS_URL): every machine with the code and the settings runs
# `manage.py rqworker default` (README).
TASKS_BACKEND = os.environ.get("PLANEA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
if TASKS_BACKEND.startswith("django_tasks_rq."):
    INSTALLED_APPS[INSTALLED_APPS.index("django_tasks_db") + 1 : 0] = ["django_rq", "django_tasks_rq"]
# A forecast run of a whole institution takes minutes: RQ's default job timeout (3 minutes) would kill it.
RQ_QUEUES = {
    "default": {
        "URL": os.environ.get("PLANEA_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DEFAULT_TIMEOUT": int(os.environ.get("PLANEA_TASK_TIMEOUT_SECONDS", "3600")),
    }
}
# RQ's workers run django.tasks tasks through django-tasks-rq's job class (`rqworker` needs no --job-class).
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

# --- E-mail: console in the demo (as a person reads it), SMTP in production --------------------------
MAIL_BACKEND = os.environ.get(
    "PLANEA_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "planea.core.mail.ReadableConsoleBackend",
)
MAIL_OPTIONS: dict[str, object] = {}
if MAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAIL_OPTIONS = {
        "host": os.environ.get("PLANEA_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("PLANEA_EMAIL_PORT", "25")),
        "username": os.environ.get("PLANEA_EMAIL_USER", ""),
        "password": os.environ.get("PLANEA_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("PLANEA_EMAIL_TLS", False),
    }
MAILERS = {"default": {"BACKEND": MAIL_BACKEND, "OPTIONS": MAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = os.environ.get("PLANEA_EMAIL_FROM", "planea@igm.gob.gt")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PLANEA_LOG_LEVEL", "WARNING")},
    "loggers": {"django_tasks_db": {"level": "WARNING"}},
}
