from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
MEDIA_ROOT = str(BASE_DIR / ".test-media")  # noqa: F405
CORS_ALLOWED_ORIGINS = ["https://frontend.example"]
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests serve no collected static files (WhiteNoise would warn about the missing folder).
STATIC_ROOT = None
# Django's test Client.login() authenticates without a request, which django-axes
# refuses; the tests of the lockout (tests/security/test_login_lockout.py) and the
# browser tests that sign in turn it on.
AXES_ENABLED = False
# Tasks run in the request that enqueues them (after its commit); the tests of the
# durable queue (tests/api/test_purging.py) use the database backend and its worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
