"""Django settings. Defaults run on a developer's machine with an embedded SQLite database;
production sets ZIELWERK_* variables and DATABASE_URL (PostgreSQL)."""

import json
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("ZIELWERK_VAR_DIR", BASE_DIR.parent / "var"))

DEBUG = os.environ.get("ZIELWERK_DEBUG", "1") == "1"
# The fallback key only serves local development; production must set its own.
SECRET_KEY = os.environ.get("ZIELWERK_SECRET_KEY", "dev-only-not-secret-zielwerk")
ALLOWED_HOSTS = os.environ.get("ZIELWERK_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "zielwerk",
    "zielwerk.org",
    "zielwerk.goals",
    "zielwerk.indicators",
    "zielwerk.evaluation",
    "zielwerk.measures",
    "zielwerk.updates",
    "zielwerk.council",
    "zielwerk.cases",
    "zielwerk.report",
    "zielwerk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/ in production without a separate web server (after collectstatic).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "zielwerk.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Innermost, so that headers added on the way out (X-Frame-Options …) apply to cached pages.
    "zielwerk.report.middleware.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "zielwerk.urls"

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
                "zielwerk.report.context_processors.static_export",
            ],
        },
    },
]

WSGI_APPLICATION = "zielwerk.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'zielwerk.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["zielwerk.api.permissions.ReadPublishedWriteByRules"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "zielwerk API",
    "DESCRIPTION": "Zielsystem des Stadtentwicklungskonzepts: Ausgaben, Handlungsfelder, Ziele, "
    "Organisationseinheiten, Indikatoren mit Zielwerten, Werten und Meilensteinen sowie die "
    "gespeicherten Bewertungen. Lesen ist für veröffentlichte Ausgaben und freigegebene Werte "
    "frei, Schreiben nur für berechtigte Mitarbeitende.",
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "Light": "zielwerk.measures.models.Light",
        "PaperStatus": "zielwerk.council.checks.PaperStatus",
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Reminder e-mails (`zielwerk send-reminders`). Without ZIELWERK_EMAIL_HOST mails are printed to
# the console, so a developer machine never needs a mail server.
ZIELWERK_BASE_URL = os.environ.get("ZIELWERK_BASE_URL", "http://127.0.0.1:8000")
ZIELWERK_REMINDER_DAYS_BEFORE = int(os.environ.get("ZIELWERK_REMINDER_DAYS_BEFORE", "7"))
DEFAULT_FROM_EMAIL = os.environ.get("ZIELWERK_EMAIL_FROM", "zielwerk <zielwerk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("ZIELWERK_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("ZIELWERK_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("ZIELWERK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ZIELWERK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("ZIELWERK_EMAIL_TLS", "1") == "1"
EMAIL_TIMEOUT = 30
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# No page may be shown inside a frame of another site (clickjacking), except the cards under
# /einbetten/ that cities put on their own websites (report/info_views.py). When set, only these
# origins (space-separated, e.g. "https://www.example.de") may frame the cards.
# Seconds an anonymous visitor's copy of a public page is reused (report/middleware.py); off
# while developing so that a change in the staff area shows at once.
ZIELWERK_PUBLIC_CACHE_SECONDS = int(
    os.environ.get("ZIELWERK_PUBLIC_CACHE_SECONDS", "0" if DEBUG else "60")
)

X_FRAME_OPTIONS = "DENY"
ZIELWERK_EMBED_ALLOWED_ORIGINS = os.environ.get("ZIELWERK_EMBED_ALLOWED_ORIGINS", "").split()

# Erklärung zur Barrierefreiheit (/barrierefreiheit/, § 10 L-BGG with the model statement of
# Implementing Decision (EU) 2018/1523). Every name and address is the city's to fill in, as JSON
# in ZIELWERK_ACCESSIBILITY; until then the page marks the values below as examples. In
# Baden-Württemberg the enforcement procedure is the Schlichtungsstelle at the Landeszentrum
# Barrierefreiheit (LZ-BARR, § 10b L-BGG since 2023); check its current address before publishing.
# compliance: full | partial | none; method: self_assessment | third_party (name the assessor);
# dates as YYYY-MM-DD; known_issues: [{"content": ..., "reason": ..., "alternative": ...}].
ZIELWERK_ACCESSIBILITY_PLACEHOLDER = "Beispielangaben — bitte ersetzen"
_EXAMPLE = ZIELWERK_ACCESSIBILITY_PLACEHOLDER
ZIELWERK_ACCESSIBILITY = {
    "organisation": f"{_EXAMPLE}: Name der Stadt",
    "contact_name": f"{_EXAMPLE}: zuständige Stelle für Barrierefreiheit",
    "contact_email": "barrierefreiheit@beispiel.invalid",
    "contact_phone": f"{_EXAMPLE}: Telefonnummer",
    "contact_address": f"{_EXAMPLE}: Postanschrift der Stadt",
    "enforcement_name": f"{_EXAMPLE}: Schlichtungsstelle nach § 10b L-BGG",
    "enforcement_address": f"{_EXAMPLE}: Anschrift der Schlichtungsstelle",
    "enforcement_email": "",
    "enforcement_url": "",
    "compliance": "partial",
    "method": "self_assessment",
    "assessor": "",
    "statement_date": "",
    "review_date": "",
    "known_issues": [
        {
            "content": f"{_EXAMPLE}: Inhalte, die nicht barrierefrei sind",
            "reason": f"{_EXAMPLE}: Begründung",
            "alternative": "",
        }
    ],
    "privacy_url": "",
} | json.loads(os.environ.get("ZIELWERK_ACCESSIBILITY", "{}"))
# Feedback on barriers: at most this many messages per client address and hour. The limit lives
# in Django's cache, by default in each server process's memory.
# SEK-Check of council papers (METHODS.md §5): which paper types need one, how many days before
# the first meeting it is due, and from which date coverage counts (operative goal 12.4.4).
ZIELWERK_SEK_CHECK_PAPER_TYPES = [
    name.strip()
    for name in os.environ.get("ZIELWERK_SEK_CHECK_PAPER_TYPES", "Beschlussvorlage").split(",")
    if name.strip()
]
ZIELWERK_SEK_CHECK_DAYS_BEFORE_MEETING = int(
    os.environ.get("ZIELWERK_SEK_CHECK_DAYS_BEFORE_MEETING", "14")
)
ZIELWERK_SEK_CHECK_START = os.environ.get("ZIELWERK_SEK_CHECK_START", "2021-01-01")

# Impulses and complaints (C6, C7): public form limit per client and hour, the Land whose
# public holidays count for working-day deadlines, and how long personal data is kept after a
# case was answered (DSGVO; `zielwerk purge-personal-data`).
ZIELWERK_CASE_FORM_LIMIT = int(os.environ.get("ZIELWERK_CASE_FORM_LIMIT", "5"))
ZIELWERK_HOLIDAY_SUBDIVISION = os.environ.get("ZIELWERK_HOLIDAY_SUBDIVISION", "BW")
ZIELWERK_CASE_RETENTION_DAYS = int(os.environ.get("ZIELWERK_CASE_RETENTION_DAYS", "365"))
# Who answers questions on data protection, named in the privacy notice of the public form;
# the city's to fill in, as JSON in ZIELWERK_CASE_PRIVACY_CONTACT (keys name, email, address).
ZIELWERK_CASE_PRIVACY_CONTACT = {
    "name": f"{_EXAMPLE}: Datenschutzbeauftragte Person der Stadt",
    "email": "datenschutz@beispiel.invalid",
    "address": f"{_EXAMPLE}: Postanschrift der Stadt",
} | json.loads(os.environ.get("ZIELWERK_CASE_PRIVACY_CONTACT", "{}"))

ZIELWERK_FEEDBACK_LIMIT = int(os.environ.get("ZIELWERK_FEEDBACK_LIMIT", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZIELWERK_LOG_LEVEL", "WARNING")},
}
