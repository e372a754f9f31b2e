import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse

from cms.roles import roles_ensure
from content_models.models import ArticlePage, MedicalReviewer
from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    article_index,
    body,
    editor,
    writer,
)
from tests.workflows.admin_forms import article_form
from workflows.roles import EDITORS
from workflows.services import medical_review_workflow_ensure


@pytest.fixture
def index():
    page = article_index()
    roles_ensure(article_index=page)
    medical_review_workflow_ensure(page=page, editors_group=Group.objects.get(name=EDITORS))
    return page


def test_an_article_needs_an_author(index):
    page = ArticlePage(title="No author", summary="x", body=body("Text."), live=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        index.add_child(instance=page)


def test_a_medical_reviewer_needs_a_user():
    reviewer = MedicalReviewerFactory.build(user=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        reviewer.save()


def test_reviewer_credentials_lapse_after_their_date():
    import datetime

    reviewer = MedicalReviewerFactory(credentials_verified_until=datetime.date(2026, 1, 31))
    assert reviewer.credentials_valid_on(datetime.date(2026, 1, 31))
    assert not reviewer.credentials_valid_on(datetime.date(2026, 2, 1))


def test_editor_creates_an_article_draft_through_the_admin(client, index):
    client.force_login(editor())
    author, reviewer = AuthorFactory(), MedicalReviewerFactory()
    url = reverse("wagtailadmin_pages:add", args=["content_models", "articlepage", index.pk])
    data = article_form(
        title="Living with HER2",
        summary="A teaser.",
        author=author,
        reviewer=reviewer,
        slug="living-with-her2",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="living-with-her2")
    assert page.author == author and page.medical_reviewer == reviewer
    assert not page.live


def test_submitting_without_a_reviewer_is_refused_with_a_reason(client, index):
    client.force_login(writer())
    url = reverse("wagtailadmin_pages:add", args=["content_models", "articlepage", index.pk])
    data = article_form(
        title="No reviewer",
        summary="A teaser.",
        author=AuthorFactory(),
        slug="no-reviewer",
        **{"action-submit": "action-submit"},
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Choose the medical reviewer before submitting" in response.content.decode()
    assert not ArticlePage.objects.filter(slug="no-reviewer").exists()


def test_review_metadata_cannot_be_set_from_the_admin_form(client, index):
    client.force_login(editor())
    author, reviewer = AuthorFactory(), MedicalReviewerFactory()
    url = reverse("wagtailadmin_pages:add", args=["content_models", "articlepage", index.pk])
    data = article_form(
        title="Sneaky",
        summary="A teaser.",
        author=author,
        reviewer=reviewer,
        slug="sneaky",
        reviewed_at="2026-01-01 10:00",
        reviewed_by=reviewer.pk,
        next_review_due="2099-01-01",
    )
    client.post(url, data)
    page = ArticlePage.objects.get(slug="sneaky")
    assert page.reviewed_at is None and page.reviewed_by is None and page.next_review_due is None
    edit_html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "Medical review (set by the workflow)" in edit_html
    assert 'name="next_review_due"' not in edit_html


def test_writer_cannot_edit_reviewer_profiles(client, index):
    reviewer = MedicalReviewerFactory()
    client.force_login(writer())
    edit_url = reverse("wagtailsnippets_content_models_medicalreviewer:edit", args=[reviewer.pk])
    response = client.post(edit_url, {"name": "Changed"})
    assert response.status_code == 302
    assert MedicalReviewer.objects.get(pk=reviewer.pk).name == reviewer.name
    add_url = reverse("wagtailsnippets_content_models_medicalreviewer:add")
    assert client.get(add_url).status_code == 302


def test_editor_can_edit_reviewer_profiles(client, index):
    reviewer = MedicalReviewerFactory()
    client.force_login(editor())
    edit_url = reverse("wagtailsnippets_content_models_medicalreviewer:edit", args=[reviewer.pk])
    assert client.get(edit_url).status_code == 200
