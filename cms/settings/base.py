"""Settings shared by every environment.

All configuration comes from the environment through the one reader below
(`env`); Vetted's own options live in the namespaced ``VETTED`` dict and are
read through ``cms.options.vetted_option``.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from corsheaders.defaults import default_headers
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Vetted's own apps come first so their templates and commands
    # (for instance the gate-aware `publish_scheduled`) take precedence.
    "content_models",
    "workflows",
    "reader",
    "api",
    "frontend",
    "webhooks",
    "wagtail_headless_preview",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "corsheaders",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "feedback",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Last: it wires the apps together once every other app is ready.
    "cms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with a health check that costs no round trip (`cms.db.postgresql`).
    DATABASES["default"]["ENGINE"] = "cms.db.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vetted",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "vetted",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

LOGIN_URL = "wagtailadmin_login"

# --- Sign-in lockout (django-axes) ----------------------------------------------
# After AXES_FAILURE_LIMIT failed sign-ins for one username from one address,
# that pair is refused for AXES_COOLOFF_TIME (templates/security/lockout.html
# says what to do). Attempts are stored in the database, so every app server
# sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("VETTED_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("VETTED_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Retrying while locked out does not push the end of the lockout further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

# --- Email -----------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="vetted@localhost")

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Vetted"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
# Only the people who must act are notified: not every superuser.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# The clinical workflow: an edit restarts review, and the final approval
# publishes exactly the revision the clinician approved (see workflows.services).
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Refuses replacing the file of an image that live articles show (`api.shared_changes`).
WAGTAILIMAGES_IMAGE_FORM_BASE = "api.forms.ImageForm"
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = False
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.finish.workflow_state_publish"
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# The admin makes no requests to third parties: no Gravatar (it would send a hash of
# each user's email address) and no release check (upgrades come through requirements.txt).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Headless preview ----------------------------------------------------------
PREVIEW_CLIENT_URL = env("VETTED_PREVIEW_CLIENT_URL", default="http://127.0.0.1:8000/preview/")
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": PREVIEW_CLIENT_URL},
    "SERVE_BASE_URL": None,
    "REDIRECT_ON_PREVIEW": False,
    "ENFORCE_TRAILING_SLASH": True,
}

# --- API ---------------------------------------------------------------------
# Swagger UI's assets are served from this app, not from a CDN.
INSTALLED_APPS += ["drf_spectacular_sidecar"]
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
# POST: a reader's report of a problem (`feedback.api`), the API's only write.
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST"]
# A browser frontend may read these to revalidate with If-None-Match itself.
CORS_EXPOSE_HEADERS = ["ETag"]
# ...and send it back: If-None-Match is not a CORS-safelisted request header.
CORS_ALLOW_HEADERS = (*default_headers, "if-none-match")

API_THROTTLE_RATE = env("VETTED_API_THROTTLE_RATE", default="120/min")
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", API_THROTTLE_RATE):
    raise ImproperlyConfigured(
        f"VETTED_API_THROTTLE_RATE must look like 120/min (requests per s, min, hour or day), "
        f"not {API_THROTTLE_RATE!r}."
    )

REST_FRAMEWORK = {
    # No accounts: a server-side frontend may send a delivery key (api.keys), and a
    # key that is unknown or revoked is a 401 rather than read as anonymous.
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.DeliveryKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.ExplainedContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    # Anonymous clients share this rate per address; a request with a delivery key is
    # counted per key at the key's rate, and the reference frontend's own in-process
    # requests not at all (api.throttling). A throttled request gets 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.DeliveryThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_RATE},
    # How many proxies (load balancer, CDN) sit in front of the app servers: the client's
    # address is read that many hops from the right of X-Forwarded-For. With 0 it is the
    # connecting address, and a client cannot dodge the limit by sending the header.
    "NUM_PROXIES": env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0),
}
# Reader reports (`feedback.api`): per client address, and per article from everyone.
VETTED_FEEDBACK_RATES = {
    "address": env("VETTED_FEEDBACK_RATE_PER_ADDRESS", default="5/hour"),
    "article": env("VETTED_FEEDBACK_RATE_PER_ARTICLE", default="30/hour"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vetted delivery API",
    "DESCRIPTION": "Medically reviewed, published health articles, read-only; and readers' "
    "reports of problems with them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # 3.1 states "this object or null" in a way every validator reads alike.
    "OAS_VERSION": "3.1.0",
    "PREPROCESSING_HOOKS": ["api.schema.api_endpoints_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.api_description",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security headers ---------------------------------------------------------------
# SecurityMiddleware sends nosniff, the referrer policy and (in production) HSTS;
# XFrameOptionsMiddleware forbids framing except where Wagtail allows its own preview.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# Content-Security-Policy (django-csp) for HTML: the Wagtail admin and the API docs.
# JSON responses get `default-src 'none'` instead (cms.csp). Wagtail 8's admin
# writes inline <script> (widget set-up such as `new SnippetChooser(...)`) and
# inline styles into its pages, so scripts and styles need 'unsafe-inline': the
# policy still confines every load, connection, frame, form and <base> to this
# site, and blocks plugins. See SECURITY.md.
_HTML_SOURCES = [SELF, *filter(None, [_origin(MEDIA_URL), _origin(STATIC_URL)])]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [*_HTML_SOURCES, UNSAFE_INLINE],
        "style-src": [*_HTML_SOURCES, UNSAFE_INLINE],
        "img-src": [*_HTML_SOURCES, "data:", "blob:"],
        "font-src": [*_HTML_SOURCES, "data:"],
        "media-src": _HTML_SOURCES,
        "connect-src": [SELF],
        # The editor's preview panel frames the headless preview client.
        "frame-src": [SELF, *filter(None, [_origin(PREVIEW_CLIENT_URL)])],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Vetted's own options (read through cms.options.vetted_option) -------------
VETTED = {
    "REVIEW_INTERVAL_DAYS": env.int("VETTED_REVIEW_INTERVAL_DAYS", default=365),
    "INTEREST_DECLARATION_MAX_AGE_DAYS": env.int(
        "VETTED_INTEREST_DECLARATION_MAX_AGE_DAYS", default=365
    ),
    "FRONTEND_BASE_URL": env("VETTED_FRONTEND_BASE_URL", default="/articles/"),
    "PREVIEW_TOKEN_MAX_AGE_SECONDS": env.int("VETTED_PREVIEW_TOKEN_MAX_AGE", default=600),
    "API_CACHE_SECONDS": env.int("VETTED_API_CACHE_SECONDS", default=60),
    "API_NOT_FOUND_CACHE_SECONDS": env.int("VETTED_API_NOT_FOUND_CACHE_SECONDS", default=5),
    "API_RESPONSE_CACHE": env.bool("VETTED_API_RESPONSE_CACHE", default=bool(REDIS_URL)),
    # The public origin readers use (https://health.example.org): URL purges carry its
    # host, whatever the Wagtail Site's hostname says. Defaults to WAGTAILADMIN_BASE_URL.
    "PUBLIC_BASE_URL": env("VETTED_PUBLIC_BASE_URL", default=""),
    "CACHE_PURGE_RETRY_HOURS": env.int("VETTED_CACHE_PURGE_RETRY_HOURS", default=24),
    "SEARCH_COUNT_LIMIT": env.int("VETTED_SEARCH_COUNT_LIMIT", default=1000),
    "PREPARED_STATEMENTS": env.bool("VETTED_PREPARED_STATEMENTS", default=True),
    "ALLOW_DEMO_DATA": True,
    # Webhooks (defaults and the other WEBHOOK_ options: webhooks/options.py).
    "WEBHOOK_MAX_ATTEMPTS": env.int("VETTED_WEBHOOK_MAX_ATTEMPTS", default=12),
    "WEBHOOK_MAX_AGE_HOURS": env.int("VETTED_WEBHOOK_MAX_AGE_HOURS", default=72),
    "WEBHOOK_ALLOW_PRIVATE_TARGETS": env.bool(
        "VETTED_WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False
    ),
}

# --- CDN purging ------------------------------------------------------------------
# Configured only when a CDN is named in the environment; otherwise nothing is
# purged. Every response names what it shows in cache tags (api.cache_tags); once
# a change commits, the tags it affects are purged by a background task that
# retries until the CDN accepts (api.tasks):
# - VETTED_VARNISH_URL: Varnish with the xkey module (bench/varnish/vetted.vcl), for
#   example http://varnish:6081.
# - VETTED_FASTLY_SERVICE_ID with VETTED_FASTLY_API_TOKEN (a token allowed to purge).
# - VETTED_CLOUDFLARE_ZONE_ID with VETTED_CLOUDFLARE_API_TOKEN (a token allowed to purge).
# Caches that purge only by URL use Wagtail's frontend-cache backend:
# - VETTED_FRONTEND_CACHE_URL: an HTTP cache that accepts PURGE requests (nginx,
#   Varnish without xkey). It is sent the public addresses (VETTED_PUBLIC_BASE_URL)
#   of a changed article and the first page of the lists.
_PURGE_BACKENDS = {}
if env("VETTED_VARNISH_URL", default=""):
    _PURGE_BACKENDS["varnish"] = {
        "BACKEND": "api.purging.VarnishXkeyBackend",
        "LOCATION": env("VETTED_VARNISH_URL"),
    }
if env("VETTED_FASTLY_SERVICE_ID", default="") and env("VETTED_FASTLY_API_TOKEN", default=""):
    _PURGE_BACKENDS["fastly"] = {
        "BACKEND": "api.purging.FastlyBackend",
        "SERVICE_ID": env("VETTED_FASTLY_SERVICE_ID"),
        "API_TOKEN": env("VETTED_FASTLY_API_TOKEN"),
    }
if env("VETTED_CLOUDFLARE_ZONE_ID", default="") and env("VETTED_CLOUDFLARE_API_TOKEN", default=""):
    _PURGE_BACKENDS["cloudflare"] = {
        "BACKEND": "api.purging.CloudflareBackend",
        "ZONE_ID": env("VETTED_CLOUDFLARE_ZONE_ID"),
        "API_TOKEN": env("VETTED_CLOUDFLARE_API_TOKEN"),
    }
VETTED["CACHE_PURGE_BACKENDS"] = _PURGE_BACKENDS
if env("VETTED_FRONTEND_CACHE_URL", default=""):
    WAGTAILFRONTENDCACHE = {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env("VETTED_FRONTEND_CACHE_URL"),
        }
    }

# --- Background work (Wagtail's task framework, django-tasks) ----------------------
# Tasks are rows in the database (django-tasks-db): they survive a restart, and
# `manage.py db_worker` runs them. Wagtail's own background work runs there too.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
