import pytest
from django.contrib.auth.models import Group

from workflows.roles import CLINICIANS, EDITORS, WRITERS


@pytest.fixture(autouse=True)
def _roles(db):
    """The role groups exist in every test, as they do on every install."""
    for name in (WRITERS, EDITORS, CLINICIANS):
        Group.objects.get_or_create(name=name)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
