import pytest
from django.contrib.auth.models import Group

from api import response_cache
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


@pytest.fixture
def as_user(client):
    """The test client, signed in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login
