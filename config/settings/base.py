"""Settings shared by every environment; read from the environment with django-environ."""
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]  # zh-hans numbers grouped by thousands (config/formats/zh_Hans)

# DATABASES
# ------------------------------------------------------------------------------
# SQLite is the embedded default; production sets DATABASE_URL=postgres://...
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})
    # Concurrent readers while the dev server writes.
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
    # Writers queue for the lock (BEGIN IMMEDIATE) instead of failing at once with "database is locked" when a
    # read transaction tries to become a write (two requests storing results at the same time).
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
]
# Order matters only for templates; the layering is offices <- staffing,
# funding, facilities, training <- assessments.
LOCAL_APPS = [
    "offices",
    "staffing",
    "funding",
    "facilities",
    "regulations",
    "training",
    "supervision",
    "assessments",
    "reporting",
    "imports",
    "security",
]
# django-simple-history last: offices' own clean_old_history (which keeps 180 days) overrides its command.
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS + ["simple_history"]

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "offices.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Passwords (等保 level 3): 10 characters from 3 of 4 classes, not like the username, not a common one.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "offices.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "offices.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A password older than this many days must be changed at the next request; 0 = passwords never expire.
WUYOU_PASSWORD_MAX_AGE_DAYS = env.int("WUYOU_PASSWORD_MAX_AGE_DAYS", default=0)

# Login failures (django-axes): WUYOU_LOGIN_FAILURE_LIMIT failures for one username from one address lock
# that pair for WUYOU_LOCKOUT_MINUTES, on the app login and the admin login alike. The security
# administrator lists and lifts lockouts in the admin (axes' 访问尝试, "Access attempts").
WUYOU_LOGIN_FAILURE_LIMIT = env.int("WUYOU_LOGIN_FAILURE_LIMIT", default=5)
WUYOU_LOCKOUT_MINUTES = env.int("WUYOU_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = WUYOU_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=WUYOU_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # "5 failures" means 5 in a row: a successful login starts the count again
AXES_LOCKOUT_CALLABLE = "offices.accounts.views.lockout_response"  # the login page with a Chinese reason
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept, not only the running count
AXES_VERBOSE = False  # no start-up banner on every manage.py command

# Sessions: end after WUYOU_SESSION_IDLE_MINUTES without a request, WUYOU_SESSION_MAX_HOURS after login, or
# when the browser closes (offices.accounts.middleware). The page warns WUYOU_SESSION_WARNING_SECONDS before
# the idle logout and offers 「继续使用」.
WUYOU_SESSION_IDLE_MINUTES = env.int("WUYOU_SESSION_IDLE_MINUTES", default=30)
WUYOU_SESSION_MAX_HOURS = env.int("WUYOU_SESSION_MAX_HOURS", default=12)
WUYOU_SESSION_WARNING_SECONDS = env.int("WUYOU_SESSION_WARNING_SECONDS", default=120)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The stored session expires with the idle timeout too; every request that counts as activity saves it.
SESSION_COOKIE_AGE = WUYOU_SESSION_IDLE_MINUTES * 60

# MIDDLEWARE
# ------------------------------------------------------------------------------
# Reverse proxies whose X-Forwarded-For is believed (offices.client_address); none in development.
WUYOU_TRUSTED_PROXIES = env.list("WUYOU_TRUSTED_PROXIES", default=[])
MIDDLEWARE = [
    # First: the client's address as the trusted proxy saw it (login lockouts and the security log use it).
    "offices.client_address.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compress (a city's dashboard is ~10x smaller); whitenoise serves static files pre-compressed.
    "django.middleware.gzip.GZipMiddleware",
    # Below whitenoise: static files go out without these headers (they are not documents).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Before anything reads the body or a parameter: 413 for a body over the cap, 400 for a NUL byte.
    "offices.request_limits.RequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "offices.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second-factor device, if any, this session has passed (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # The signed-in user and address become the acting ones: the change history and the reporting locks read them.
    "offices.acting.ActingUserMiddleware",
    # Pages shown to a signed-in user (birth dates, ID numbers) are never stored by a browser or proxy.
    "offices.middleware.NoStoreForAuthenticatedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After authentication and messages, before the scope check: an idle or too-old session ends first,
    # then a password that must change sends the user to the change page.
    "offices.accounts.middleware.SessionLifetimeMiddleware",
    # Users named by WUYOU_2FA_REQUIRED_FOR pass the TOTP step before any page (the password change included).
    "security.middleware.TwoFactorRequiredMiddleware",
    "offices.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Deny by default: every view must declare its scope (offices.scoping).
    "offices.scoping.ScopeRequiredMiddleware",
    # Last, as django-axes requires: turns a refused login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site root (/favicon.ico), served by whitenoise: without it every page
# logs a 404 in the browser console.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded regulation documents (PDF/DOCX/images) are capped at this size.
WUYOU_MAX_UPLOAD_BYTES = env.int("WUYOU_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# A .docx (a zip) is inspected from its central directory before it is stored (regulations.archives): refused
# above this size unpacked, this many parts, or this compression ratio for any part over 100 KiB.
WUYOU_UPLOAD_MAX_UNPACKED_BYTES = env.int("WUYOU_UPLOAD_MAX_UNPACKED_BYTES", default=50 * 1024 * 1024)
WUYOU_UPLOAD_MAX_ARCHIVE_ENTRIES = env.int("WUYOU_UPLOAD_MAX_ARCHIVE_ENTRIES", default=1000)
WUYOU_UPLOAD_MAX_COMPRESSION_RATIO = env.int("WUYOU_UPLOAD_MAX_COMPRESSION_RATIO", default=100)
# The form fields of a request, files excluded (Django's default); a larger one is a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An uploaded file larger than this goes to a temporary file instead of memory (Django's default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# offices.request_limits answers 413 before reading a body longer than
# WUYOU_MAX_UPLOAD_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE (the largest file plus the largest form).

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "offices.context_processors.navigation",
            ],
        },
    },
]
# Apps above `offices` contribute navigation entries (offices.context_processors).
WUYOU_NAV_HOOKS = ["assessments.navigation.items", "reporting.navigation.items"]

# The rules modules of the one compliance computation, in display order (offices.compliance.engine).
WUYOU_RULE_MODULES = [
    "staffing.compliance",
    "funding.compliance",
    "facilities.compliance",
    "regulations.compliance",
    "training.compliance",
    "supervision.compliance",
]

# STORED RESULTS AND BACKGROUND JOBS
# ------------------------------------------------------------------------------
# Every service recomputes the township-years it touched before its transaction commits
# (offices.compliance.store). Only the benchmark switches this off, to measure what it costs.
WUYOU_RECOMPUTE_ON_WRITE = True
# Recomputes after a standard or hierarchy change and large exports run as background jobs on huey.
# Without WUYOU_QUEUE_URL the queue is a SQLite file beside the database (`make run` starts its worker);
# production sets WUYOU_QUEUE_URL=redis://127.0.0.1:6379/0 and runs `manage.py run_huey` as a service.
WUYOU_QUEUE_URL = env("WUYOU_QUEUE_URL", default="")
HUEY = {
    "name": "wuyou",
    "immediate": env.bool("WUYOU_QUEUE_IMMEDIATE", default=False),
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
}
if WUYOU_QUEUE_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "connection": {"url": WUYOU_QUEUE_URL}})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey",
                 "filename": env("WUYOU_QUEUE_FILE", default=str(BASE_DIR / "queue.sqlite3"))})
# A city export with more townships than this runs as a background job; smaller ones stream at once.
WUYOU_SYNC_EXPORT_MAX_TOWNSHIPS = env.int("WUYOU_SYNC_EXPORT_MAX_TOWNSHIPS", default=400)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Two factors (django-otp, TOTP): who must enter a code from an authenticator app after the password —
# "admin" (staff and superusers, the admin site included), "city" (city bureau users); empty: nobody.
# E.g. WUYOU_2FA_REQUIRED_FOR=admin,city. Users without an authenticator are sent to enrol one.
WUYOU_2FA_REQUIRED_FOR = env.list("WUYOU_2FA_REQUIRED_FOR", default=[])
OTP_TOTP_ISSUER = "五有"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's key or the recovery codes
# Security events (security.SecurityEvent) are kept at least this many days (never fewer than 180,
# 等保2.0 三级); `manage.py purge_security_events` deletes older ones.
WUYOU_SECURITY_EVENT_RETENTION_DAYS = env.int("WUYOU_SECURITY_EVENT_RETENTION_DAYS", default=180)
# Content-Security-Policy (django-csp): scripts, styles, fonts and requests only from this site; no inline code,
# no inline style attributes, no eval. Styles that scripts set through the CSSOM (Bootstrap, ECharts) are not
# inline styles and stay allowed. img-src allows data: for the 2FA enrolment QR code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Powerful browser features the system never uses are switched off (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation", "gyroscope",
        "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment", "picture-in-picture",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}

# LOGGING
# ------------------------------------------------------------------------------
# Django's default configuration gives the "django" logger a console handler of its
# own (when DEBUG) and lets it propagate to the root: with a root handler too, every
# line (runserver's "Watching for file changes", request errors) was printed twice.
# Here "django" writes through the one console handler and stops there; the
# "django.server" request log keeps Django's own handler and format.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"verbose": {"format": "%(levelname)s %(asctime)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "verbose"}},
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {"django": {"level": "INFO", "handlers": ["console"], "propagate": False}},
}
