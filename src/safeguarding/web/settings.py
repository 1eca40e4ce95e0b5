"""Django settings. Everything that differs between machines comes from the environment.

- ``SAFEGUARDING_DATA_DIR``: where the SQLite database and other local state live
  (default ``./.safeguarding``).
- ``DATABASE_URL``: a PostgreSQL (or other) database instead of the SQLite file.
- ``SAFEGUARDING_SECRET_KEY``: the signing key; a per-data-directory key is made when unset.
- ``SAFEGUARDING_DEBUG``: ``1`` for Django's debug pages (never in production).
- ``SAFEGUARDING_ALLOWED_HOSTS``: comma-separated host names (default localhost only).
- ``SAFEGUARDING_HTTPS``: ``1`` behind a TLS proxy that sets ``X-Forwarded-Proto``: secure
  ``__Host-`` cookies, HSTS and a redirect to HTTPS.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SAFEGUARDING_DATA_DIR", ".safeguarding")).resolve()


def _secret_key() -> str:
    """The signing key from the environment, or one kept private in the data directory."""
    if key := os.environ.get("SAFEGUARDING_SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("SAFEGUARDING_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get(
    "SAFEGUARDING_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"
).split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",
    "safeguarding.web.accounts",
    "safeguarding.web.audit",
    "safeguarding.web.records",
    "safeguarding.web.results",
    "safeguarding.web.dashboards",
    "safeguarding.web.reports",
    "safeguarding.web.alignment",
    "safeguarding.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "safeguarding.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safeguarding.web.urls"
WSGI_APPLICATION = "safeguarding.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeguarding.web.context_processors.platform",
            ],
            "builtins": ["safeguarding.web.templatetags.govuk"],
        },
    }
]

_sqlite_path = DATA_DIR / "safeguarding.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{_sqlite_path}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A busy SQLite file should make a writer wait, not fail straight away.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Charts and statements worked out from the stored figures, shared by the server's worker
    # processes and kept across restarts. Their keys change whenever the figures do.
    "dashboards": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "dashboards"),
        "TIMEOUT": 30 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
#: Behind a proxy that sets X-Forwarded-For itself, the audit trail records the address it
#: gives; otherwise the header could be forged, so the connection's own address is kept.
AUDIT_TRUST_X_FORWARDED_FOR = os.environ.get("SAFEGUARDING_TRUST_X_FORWARDED_FOR") == "1"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "safeguarding.web.security.SignInThrottle",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling: 5 failures for one username from one address lock that pair out for
# 15 minutes (each further try starts the 15 minutes again); a good sign-in clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "safeguarding.web.security.locked_out"
# Sign-ins go to the audit trail; axes keeps only the failures it counts, until they expire.
AXES_DISABLE_ACCESS_LOG = True
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "records:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"

STATIC_URL = "/static/"
# Only a deployment that runs collectstatic needs a STATIC_ROOT; the app serves from the package.
STATIC_ROOT = os.environ.get("SAFEGUARDING_STATIC_ROOT") or None
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Serve straight from the app's static folders: no collectstatic step for the demo.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "safeguarding.web.accounts.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.environ.get("SAFEGUARDING_HTTPS") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # HSTS preload is left to whoever owns the domain: it binds every host under it.
    # The TLS proxy in front says the request came over HTTPS (and must set the header itself).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Browsers keep __Host- cookies to this host, over HTTPS, for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Every upload form takes one file; a request with more is refused (400) at the second.
DATA_UPLOAD_MAX_NUMBER_FILES = 1
# The largest report (PDF, DOCX, HTML, Markdown or text) the shared-priorities analysis reads.
DOCUMENT_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
# An uploaded file too big to hold in memory waits here while its request reads it, and is
# removed when the request ends: in the private data directory, never the web root or /tmp.
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "uploads")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)

# Single sign-on with the organisation's own account (OpenID Connect), on only when
# SAFEGUARDING_OIDC_ISSUER and the client's id and secret are set: see safeguarding/web/oidc.py.
# It adds its backend after the AUTHENTICATION_BACKENDS above.
from safeguarding.web.oidc import single_sign_on_settings  # noqa: E402

globals().update(single_sign_on_settings(os.environ, AUTHENTICATION_BACKENDS))

PLATFORM_NAME = "Safeguarding Partnership Platform"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "safeguarding": {"handlers": ["console"], "level": "INFO"},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}
