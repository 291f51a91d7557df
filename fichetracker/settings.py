"""Settings for fichetracker, driven by the environment.

Malformed values fail loudly at start-up (ImproperlyConfigured) instead of falling back silently.
See README.md for every variable.
"""

import datetime
import hashlib
import os
import re
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}.") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# Under pytest the suite runs with development defaults (plain HTTP, no manifest of static files).
TESTING = env_bool("FICHETRACKER_TESTING") or "pytest" in sys.modules

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        # Only ever used on a developer's machine: debugging or running the tests.
        SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
elif len(SECRET_KEY) < 50 and not (DEBUG or TESTING):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts.apps.FichetrackerAdminConfig",  # django.contrib.admin with our admin site (two-factor)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # one-time recovery codes
    "axes",
    "common",
    "accounts",
    "proposals",
    "positions",
    "pagecache",
    "importer",
    "followup",
    "outcomes",
    "public",
    "alerts",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fichetracker.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.language.LanguageMiddleware",  # the URL decides on public pages, the preference elsewhere
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Whole public pages cached for anonymous readers, keyed by a content version that database triggers
# raise on every write (pagecache/). Right after WhiteNoise: a hit gets the security headers and nothing
# else it does not need (issue 17: sessions, language, common and CSRF middleware cost a hit as much again as
# serving a static file). The headers the inner middleware add (language, Vary, CSP, X-Frame-Options) are
# stored with the page; a page with a form gets its reader's own CSRF token and cookie from Django's CSRF
# middleware, called by the page cache for that page only (pagecache/middleware.py).
PAGE_CACHE_MIDDLEWARE = "pagecache.middleware.PublicPageCacheMiddleware"


def with_page_cache(middleware):
    at = middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    return [*middleware[:at], PAGE_CACHE_MIDDLEWARE, *[name for name in middleware[at:] if name != PAGE_CACHE_MIDDLEWARE]]


if env_bool("FICHETRACKER_PAGE_CACHE"):
    MIDDLEWARE = with_page_cache(MIDDLEWARE)

ROOT_URLCONF = "fichetracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Django's own form templates; select, input, textarea and label written out in Python (issue 17, common/renderers.py).
FORM_RENDERER = "common.renderers.FastTemplates"

WSGI_APPLICATION = "fichetracker.wsgi.application"

# SQLite file when DATABASE_URL is unset; PostgreSQL in production and CI.
_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True)}
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {error}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / os.environ.get("SQLITE_FILE", "db.sqlite3"),
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"},
        }
    }
IS_POSTGRESQL = DATABASES["default"]["ENGINE"].endswith("postgresql")


def without_jit(database):
    """PostgreSQL's JIT compiler off for the application's connections (unless DATABASE_URL says otherwise).

    The planner prices the EXISTS gates of ``published()`` far above JIT's threshold, and compiling then
    costs more than running: the count of published Commission documents at 10,000 fiches took 445 ms,
    385 ms of it JIT, 60 ms without. Short OLTP queries never gain from it.
    """
    options = database.setdefault("OPTIONS", {})
    if "jit" not in options.get("options", ""):
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return database


if IS_POSTGRESQL:
    without_jit(DATABASES["default"])

# A PostgreSQL read replica for the public site (DEPLOYMENT.md): public reads go to it, writes, the admin
# and signed-in users stay on the primary (fichetracker/routers.py).
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _replica_url:
    if not IS_POSTGRESQL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs a PostgreSQL primary in DATABASE_URL.")
    try:
        DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is malformed: {error}") from None
    without_jit(DATABASES["replica"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["fichetracker.routers.PrimaryReplicaRouter"]
    MIDDLEWARE = ["fichetracker.routers.PinPrimaryMiddleware", *MIDDLEWARE]

# On a cache hit, the content version comes from memory, kept current by LISTEN/NOTIFY
# (pagecache/listener.py), instead of one query per hit. PostgreSQL only, and never with a read replica:
# notifications come from the primary, which runs ahead of the replica the pages are read from.
PAGE_CACHE_LISTEN = env_bool("FICHETRACKER_PAGE_CACHE_LISTEN", True) and IS_POSTGRESQL and not _replica_url


def source_digest(root=BASE_DIR):
    """A short digest of what renders the pages: every .py file, and every file under a ``templates``,
    ``static`` or ``locale`` folder, below ``root``; hidden folders (.venv, .git), caches and collected
    static files left out. Paths and contents both count, so any edit, addition or removal changes it."""
    skipped = {"__pycache__", "node_modules", "staticfiles", "backups", "media"}
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if not name.startswith(".") and name not in skipped)
        relative = Path(folder).relative_to(root)
        rendering = bool({"templates", "static", "locale"} & set(relative.parts))
        for name in sorted(files):
            if name.endswith(".py") or (rendering and not name.startswith(".")):
                try:
                    content = (Path(folder) / name).read_bytes()
                except OSError:  # removed while we walked, or unreadable: not part of what runs
                    continue
                digest.update(f"{(relative / name).as_posix()}\0".encode())
                digest.update(content)
                digest.update(b"\0")
    return digest.hexdigest()[:12]


# The release, part of every cache key prefix: pages and results cached by older code (another
# template, another serialisation) are never served by newer code, even from a Redis shared across a
# deploy. Set it to the release's tag or commit; by default a digest of the source, computed at start.
RELEASE = os.environ.get("FICHETRACKER_RELEASE", "").strip() or source_digest()
if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", RELEASE):
    raise ImproperlyConfigured(f"FICHETRACKER_RELEASE may hold only letters, digits, '.', '_' and '-' (at most 64); got {RELEASE!r}.")

# Cache: local memory per process by default; one Redis shared by every application server when REDIS_URL is set.
_redis_url = os.environ.get("REDIS_URL", "").strip()
if _redis_url:
    if not _redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://; got {_redis_url!r}.")
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url,
                    "KEY_PREFIX": f"fichetracker-{RELEASE}"},
        "exports": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url,
                    "KEY_PREFIX": f"fichetracker-exports-{RELEASE}"},
    }
else:
    CACHES = {
        # Room for the rows of the lists (public/rows.py, about 1 KB each) beside whole pages, page bodies and rendered lists (up to
        # about 100 KB): Django's default of 300 entries would evict a page's rows while the next page is read.
        # Production with several processes uses Redis (REDIS_URL) with its own memory limit.
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fichetracker",
                    "KEY_PREFIX": f"fichetracker-{RELEASE}", "OPTIONS": {"MAX_ENTRIES": 3000}},
        # Finished CSV/JSON exports (public/exports.py), up to 32 MB each: a few per process at most.
        "exports": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fichetracker-exports",
                    "KEY_PREFIX": f"fichetracker-exports-{RELEASE}", "OPTIONS": {"MAX_ENTRIES": 4, "CULL_FREQUENCY": 2}},
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Development and tests serve static files straight from the finders; production from STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
# `make bench` only: a saved copy of public pages, served by whitenoise through the same gunicorn as the
# dynamic pages, so the benchmark can compare the two (bench/http.py).
if os.environ.get("FICHETRACKER_BENCH_STATIC_ROOT"):
    WHITENOISE_ROOT = os.environ["FICHETRACKER_BENCH_STATIC_ROOT"]

LOGIN_URL = "admin:login"

# Login throttling (django-axes): failures lock out that username from that address, and are logged.
AUTHENTICATION_BACKENDS = ["accounts.backends.AxesBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("FICHETRACKER_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("FICHETRACKER_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_CLIENT_IP_CALLABLE = "accounts.backends.client_ip"
# Two-factor authentication (TOTP, django-otp) for the admin: required unless debugging.
FICHETRACKER_REQUIRE_2FA = env_bool("FICHETRACKER_REQUIRE_2FA", not DEBUG and not TESTING)
OTP_TOTP_ISSUER = "fichetracker"

# Security: strict by default; the development server over plain HTTP relaxes what it must.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Mail (Django 6.1 MAILERS): to the console when debugging or testing unless an SMTP host is given;
# in production always SMTP, to DJANGO_EMAIL_HOST or the conventional local MTA on localhost:25.
if os.environ.get("DJANGO_EMAIL_HOST") or not (DEBUG or TESTING):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
                "port": env_int("DJANGO_EMAIL_PORT", 587 if os.environ.get("DJANGO_EMAIL_HOST") else 25),
                "username": os.environ.get("DJANGO_EMAIL_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", bool(os.environ.get("DJANGO_EMAIL_HOST"))),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "fichetracker <noreply@fichetracker.localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Days before a Council meeting that the annotated agenda reaches parliament.
ANNOTATED_AGENDA_LEAD_DAYS = env_int("FICHETRACKER_ANNOTATED_AGENDA_LEAD_DAYS", 7)

# Absolute address of the site, for links in e-mail (reminders) and calendar feeds.
SITE_URL = os.environ.get("FICHETRACKER_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Where readers report problems; the accessibility statement names it (WCAG statements need a contact route).
CONTACT_EMAIL = os.environ.get("FICHETRACKER_CONTACT_EMAIL", "").strip()
if CONTACT_EMAIL and (CONTACT_EMAIL.count("@") != 1 or " " in CONTACT_EMAIL or "." not in CONTACT_EMAIL.split("@")[1]):
    raise ImproperlyConfigured(f"FICHETRACKER_CONTACT_EMAIL must be one e-mail address such as toegankelijkheid@example.nl, not {CONTACT_EMAIL!r}.")
