import pytest
from django.contrib.auth.models import Group

from cms.roles import roles_ensure
from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    UserFactory,
    article_draft,
    article_index,
    clinician,
    editor,
    writer,
)
from workflows.roles import EDITORS
from workflows.services import medical_review_workflow_ensure


@pytest.fixture
def index():
    page = article_index()
    roles_ensure(article_index=page)
    medical_review_workflow_ensure(page=page, editors_group=Group.objects.get(name=EDITORS))
    return page


@pytest.fixture
def people(index):
    """The cast of one article: its writer, an editor, its clinician, and bystanders."""
    writer_user = writer(username="wendy", email="wendy@example.org")
    reviewer = MedicalReviewerFactory(user=clinician(username="dr_rao", email="rao@example.org"))
    return {
        "writer": writer_user,
        "editor": editor(username="eddie", email="eddie@example.org"),
        "clinician": reviewer.user,
        "reviewer": reviewer,
        "other_clinician": MedicalReviewerFactory(user=clinician(username="dr_other")).user,
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
        "author": AuthorFactory(user=writer_user),
    }


@pytest.fixture
def article(people):
    return article_draft(author=people["author"], medical_reviewer=people["reviewer"])


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit work (such as sending mail) as a committed transaction would."""
    return django_capture_on_commit_callbacks
