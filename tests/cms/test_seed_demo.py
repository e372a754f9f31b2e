import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Workflow

from cms import demo_content
from content_models.models import (
    ArticleIndexPage,
    ArticlePage,
    Author,
    InterestDeclaration,
    MedicalReviewer,
    Specialty,
    Topic,
)
from tests.served import served_as_approved
from workflows import rules
from workflows.models import Correction, MedicalApproval


def counts():
    return {
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "articles": ArticlePage.objects.count(),
        "live": ArticlePage.objects.live().count(),
        "approvals": MedicalApproval.objects.count(),
        "authors": Author.objects.count(),
        "reviewers": MedicalReviewer.objects.count(),
        "topics": Topic.objects.count(),
        "workflows": Workflow.objects.count(),
        "specialties": Specialty.objects.count(),
        "declarations": InterestDeclaration.objects.count(),
        "corrections": Correction.objects.count(),
    }


@pytest.fixture
def seeded(db, monkeypatch):
    monkeypatch.setenv("VETTED_DEMO_PASSWORD", "demo-password-for-tests")
    call_command("seed_demo")
    return counts()


def test_seed_demo_is_idempotent(seeded):
    call_command("seed_demo")
    assert counts() == seeded
    assert seeded["articles"] == len(demo_content.ARTICLES) >= 5


def test_demo_articles_went_through_the_real_workflow(seeded):
    index = ArticleIndexPage.objects.get()
    assert index.url_path.endswith("/articles/")
    assert index.get_workflow().name == "Medical review"
    for page in ArticlePage.objects.all():
        # Articles that link to each other were approved again once both were live.
        approval = MedicalApproval.objects.filter(page_id=page.pk).first()
        assert page.live
        assert served_as_approved(page) is not None
        assert approval.reviewer == page.medical_reviewer.user
        assert page.reviewed_at == approval.approved_at
        assert not page.workflow_in_progress, f"{page.slug} was left waiting for re-review"
    # Every "read more" of the demo leads to its article.
    written = sum(
        kind == "read_more" for data in demo_content.ARTICLES for kind, _ in data["body"]
    )
    served = sum(
        block["type"] == "read_more"
        for page in ArticlePage.objects.all()
        for block in served_as_approved(page)["body"]
    )
    assert served == written


def test_demo_has_each_role_and_can_log_in(seeded, client):
    for username, group in [
        ("writer", "Writers"),
        ("editor", "Editors"),
        ("clinician", "Clinicians"),
    ]:
        user = get_user_model().objects.get(username=username)
        assert user.groups.filter(name=group).exists()
        assert client.login(username=username, password="demo-password-for-tests")


def test_her2_article_links_to_other_articles(seeded):
    her2 = ArticlePage.objects.get(slug="what-is-her2")
    targets = [b.value["article"] for b in her2.body if b.block_type == "read_more"]
    assert targets and all(isinstance(t, ArticlePage) and t.live for t in targets)


def test_seed_demo_refuses_under_production_settings(db, settings):
    settings.VETTED = {**settings.VETTED, "ALLOW_DEMO_DATA": False}
    with pytest.raises(CommandError, match="refuses"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()


def test_production_settings_disable_demo_data(monkeypatch):
    import importlib
    import sys

    monkeypatch.setenv("DJANGO_SECRET_KEY", "p" * 64)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "cms.example.org")
    sys.modules.pop("cms.settings.production", None)
    production = importlib.import_module("cms.settings.production")
    assert production.VETTED["ALLOW_DEMO_DATA"] is False


def test_the_demo_shows_a_declared_interest_refusing_an_approval(seeded, client):
    """Rafael Mendes declared an interest in HER2 once his articles were live: they stay
    live, and the next review of his HER2 article is refused, saying why."""
    rafael = MedicalReviewer.objects.get(slug="rafael-mendes")
    article = ArticlePage.objects.get(slug="understanding-her2-low-breast-cancer")
    assert served_as_approved(article) is not None

    reason = rules.medical_review_refusal(user=rafael.user, article=article)

    assert "Halvorsen Therapeutics" in reason and "HER2" in reason
    assert "reassign" in reason
    amara = MedicalReviewer.objects.get(slug="amara-okafor")
    assert rules.declaration_refusal(reviewer=amara) is None
    shown = client.get("/api/v1/reviewers/rafael-mendes/").json()
    assert shown["declared_interests"][0]["topics"] == [{"name": "HER2", "slug": "her2"}]
    assert {s["slug"] for s in shown["specialties"]} == {"oncology", "haematology"}
    topic = client.get("/api/v1/topics/her2/").json()
    assert {s["slug"] for s in topic["specialties"]} == {"oncology", "pathology"}


def test_the_demo_has_one_published_correction_made_through_the_workflow(seeded, client):
    correction = demo_content.CORRECTION
    page = ArticlePage.objects.get(slug=correction["article"])
    detail = served_as_approved(page)

    assert [c["note"] for c in detail["corrections"]] == [correction["note"]]
    assert correction["corrected"] in str(detail["body"])
    assert correction["earlier"] not in str(detail["body"])
    # The earlier words went live first, under an approval of their own.
    approvals = MedicalApproval.objects.filter(page_id=page.pk)
    assert correction["earlier"] in str(approvals.last().document["body"])
    assert approvals.first().document["correction"] == correction["note"]
    listed = client.get("/api/v1/corrections/").json()
    assert [c["article"]["slug"] for c in listed["results"]] == [page.slug]
    assert "Corrected on" in client.get(f"/articles/{page.slug}/").content.decode()
