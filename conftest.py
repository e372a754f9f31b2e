import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

from api import keys, response_cache
from api.throttling import DeliveryThrottle
from workflows.roles import CLINICIANS, EDITORS, WRITERS


@pytest.fixture(autouse=True)
def _roles(db):
    """The role groups exist in every test, as they do on every install."""
    for name in (WRITERS, EDITORS, CLINICIANS):
        Group.objects.get_or_create(name=name)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _near_cache_forgotten():
    """Each process keeps API responses for a moment (`api.response_cache`); tests
    clear the shared cache between them, so the process's copies go too."""
    yield
    response_cache.near_forget()


@pytest.fixture(autouse=True)
def _keys_forgotten():
    """Each process remembers delivery keys for a moment (`api.keys`): not across tests."""
    yield
    keys.known_forget()


@pytest.fixture
def as_user(client):
    """The test client, signed in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def shared_cache(settings):
    """Redis as the cache every process shares, under a key prefix of this test's own,
    with the response cache on, as deployed.

    Redis runs on every machine and in CI, so a Redis that does not answer fails
    the test instead of skipping it.
    """
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).ping()
    settings.VETTED = {**settings.VETTED, "API_RESPONSE_CACHE": True}
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": REDIS_TEST_URL,
                "KEY_PREFIX": f"vetted-test-{uuid.uuid4().hex}",
            }
        }
    ):
        yield
        caches["default"].clear()


class Clock:
    """A clock that stands still until a test moves it on."""

    def __init__(self):
        # 40 s into a minute: a test's windows do not roll over unless it says so.
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    """The time the response cache, the delivery keys and the rate limits read."""
    clock = Clock()
    monkeypatch.setattr(response_cache, "_clock", clock)
    monkeypatch.setattr(keys, "_clock", clock)
    monkeypatch.setattr(DeliveryThrottle, "timer", lambda self: clock())
    return clock


class TaskWorker:
    """``manage.py db_worker`` run inside the test's transaction."""

    def run(self, *, max_tasks=None):
        """Run the tasks that are due, then return (``db_worker --batch``)."""
        extra = [] if max_tasks is None else ["--max-tasks", str(max_tasks)]
        call_command("db_worker", "--batch", "--no-startup-delay", *extra, verbosity=0)


@pytest.fixture
def durable_tasks(settings, monkeypatch):
    """Tasks on the durable database backend, as deployed, and its worker to run them.

    The worker closes database connections it finds obsolete between tasks; a
    test's connection is inside the test's transaction and must stay open.
    """
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return TaskWorker()
