"""Settings for the benchmark server: production's, plus what the comparison needs.

Derived from `cms.settings.production` so the middleware, DEBUG and security
settings are what a deployment runs. Only the benchmark sets these:

- a fixed secret key and loopback hosts (production refuses to start without them),
  and no HTTPS redirect (the load generator speaks plain HTTP on 127.0.0.1);
- ``VETTED_API_THROTTLE_RATE`` defaults to ``1000000/s``: the anonymous throttle
  still runs on every API request, ours and v2's (as in production), but never
  refuses one;
- persistent database connections (``CONN_MAX_AGE``);
- Wagtail's API v2 (``wagtail.api.v2``) and the `bench` app, which gives
  `ArticlePage` the ``api_fields`` v2 needs (see `bench.v2`);
- the Redis cache when ``REDIS_URL`` is set (as in base), under a key prefix of
  its own per benchmark database.
"""

import os

_BENCH_ENV = {
    "DJANGO_SECRET_KEY": "bench-only-fixed-secret-key-0f4c2b7e9a1d5c3e8b6a4f2d0c9e7b5a3f1d",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
}
os.environ.update(_BENCH_ENV)
os.environ.setdefault("VETTED_API_THROTTLE_RATE", "1000000/s")

from cms.settings.production import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"

DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

if REDIS_URL:  # noqa: F405
    _database_name = str(DATABASES["default"]["NAME"]).rsplit("/", 1)[-1]  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"vetted-bench-{_database_name}"  # noqa: F405

# The workflow's notifications are not what is measured.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# No collected static files: the API serves none (WhiteNoise would warn about the folder).
STATIC_ROOT = None
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# The benchmark's own paths (the ceiling's bytes) come from the driver.
BENCH_CEILING_FILE = os.environ.get("BENCH_CEILING_FILE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
