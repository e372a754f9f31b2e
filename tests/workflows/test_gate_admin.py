"""The gate as people meet it in the admin: refused early, said clearly, logged, nothing lost."""

from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import PageLogEntry

from content_models.models import ArticlePage
from tests.workflows.admin_forms import article_form
from tests.workflows.flow import act, approve_all, edit, fresh, through_editorial


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def refusals(page):
    return PageLogEntry.objects.filter(page_id=page.pk, action="vetted.publish_refused")


def test_create_view_publish_saves_a_draft_and_says_why(as_user, index, people):
    client = as_user(people["editor"])
    url = reverse("wagtailadmin_pages:add", args=["content_models", "articlepage", index.pk])
    data = article_form(
        title="New article",
        summary="A teaser.",
        author=people["author"],
        reviewer=people["reviewer"],
        slug="new-article",
        **{"action-publish": "action-publish"},
    )
    response = client.post(url, data)
    page = ArticlePage.objects.get(slug="new-article")
    assert response.status_code == 302
    assert not page.live
    assert page.get_latest_revision() is not None  # nothing lost: the draft is saved
    assert any("not published" in m and "Submit it for review" in m for m in messages_of(response))
    assert refusals(page).exists()


def test_create_view_offers_no_publish_button(as_user, index, people):
    client = as_user(people["editor"])
    url = reverse("wagtailadmin_pages:add", args=["content_models", "articlepage", index.pk])
    html = client.get(url).content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html


def test_edit_view_publish_of_unapproved_text_is_refused(as_user, article, people):
    client = as_user(people["editor"])
    data = article_form(
        title=article.title,
        summary="Changed in the editor.",
        author=people["author"],
        reviewer=people["reviewer"],
        **{"action-publish": "action-publish"},
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 302
    page = fresh(article)
    assert not page.live
    assert page.get_latest_revision_as_object().summary == "Changed in the editor."
    assert refusals(article).exists()


def test_edit_view_publish_of_an_edit_to_live_article_keeps_approved_text(
    as_user, article, people
):
    approved = approve_all(article, people)
    client = as_user(people["editor"])
    data = article_form(
        title=approved.title,
        summary="Unreviewed change.",
        author=people["author"],
        reviewer=people["reviewer"],
        **{"action-publish": "action-publish"},
    )
    client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    page = fresh(article)
    assert page.live and page.summary == approved.summary
    assert page.live_revision_id == approved.live_revision_id


def test_edit_view_hides_publish_until_approved_and_offers_submit(as_user, article, people):
    client = as_user(people["editor"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html


def test_editor_can_unpublish_and_republish_approved_text(as_user, article, people):
    approve_all(article, people)
    client = as_user(people["editor"])
    client.post(
        reverse("wagtailadmin_pages:unpublish", args=[article.pk]), {"reason": "Dosing error."}
    )
    assert not fresh(article).live
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert 'name="action-publish"' in html  # the draft is exactly the approved text
    page = fresh(article)
    data = article_form(
        title=page.title,
        summary=page.summary,
        author=people["author"],
        reviewer=people["reviewer"],
        **{"action-publish": "action-publish"},
    )
    client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert fresh(article).live


def test_scheduling_unapproved_text_in_the_editor_is_refused(as_user, article, people):
    client = as_user(people["editor"])
    data = article_form(
        title=article.title,
        summary="Scheduled change.",
        author=people["author"],
        reviewer=people["reviewer"],
        go_live_at="2030-01-01 09:00",
        **{"action-publish": "action-publish"},
    )
    client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    page = fresh(article)
    assert not page.live
    assert not page.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_revert_view_refuses_unapproved_version(as_user, article, people):
    first = fresh(article).get_latest_revision()
    edit(article, summary="The approved text.")
    approve_all(article, people)
    client = as_user(people["editor"])
    old = first.as_object()
    data = article_form(
        title=old.title,
        summary=old.summary,
        author=people["author"],
        reviewer=people["reviewer"],
        **{"action-publish": "action-publish"},
    )
    url = reverse("wagtailadmin_pages:revisions_revert", args=[article.pk, first.pk])
    client.post(url, data)
    assert fresh(article).summary == "The approved text."
    assert refusals(article).exists()


def test_bulk_publish_leaves_unapproved_articles_alone(as_user, article, people):
    from tests.factories import article_draft, published_article

    approved = published_article(
        title="Approved",
        slug="approved-one",
        author=people["author"],
        medical_reviewer=people["reviewer"],
    )
    approved.unpublish()
    other = article_draft(
        title="Unapproved",
        slug="unapproved-one",
        author=people["author"],
        medical_reviewer=people["reviewer"],
    )
    client = as_user(people["editor"])
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = client.post(
        f"{url}?id={approved.pk}&id={other.pk}&id={article.pk}", {"include_descendants": ""}
    )
    assert response.status_code in (200, 302)
    assert fresh(approved).live
    assert not fresh(other).live and not fresh(article).live


def test_bulk_publish_with_descendants_skips_unapproved_and_logs(as_user, index, article, people):
    from tests.factories import published_article

    approved = published_article(
        title="Approved",
        slug="approved-two",
        author=people["author"],
        medical_reviewer=people["reviewer"],
    )
    approved.unpublish()
    client = as_user(people["superuser"])
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = client.post(f"{url}?id={index.pk}", {"include_descendants": "on"})
    assert response.status_code == 302
    assert fresh(approved).live
    assert not fresh(article).live
    assert refusals(article).exists()


def test_copy_view_with_publish_copies_starts_unpublished(as_user, article, people):
    approve_all(article, people)
    client = as_user(people["superuser"])
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[article.pk]),
        {
            "new_title": "Copy of HER2",
            "new_slug": "copy-of-her2",
            "new_parent_page": fresh(article).get_parent().pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    assert not ArticlePage.objects.get(slug="copy-of-her2").live
    assert any("needs its own medical review" in m for m in messages_of(response))


def test_admin_api_publish_action_is_refused(as_user, article, people):
    client = as_user(people["superuser"])
    url = f"/admin/api/main/pages/{article.pk}/action/publish/"
    response = client.post(url, content_type="application/json", data={})
    assert response.status_code == 403
    assert "approved" in response.json()["detail"]
    assert not fresh(article).live


def test_superuser_sees_no_approve_action_for_medical_step(as_user, article, people):
    through_editorial(article, people)
    client = as_user(people["superuser"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert (
        "data-workflow-action-url" not in html
        or "approve" not in html.split("data-workflow-action-url")[-1][:200]
    )
    state = fresh(article).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", state.pk])
    assert client.post(url, {"comment": "ok"}).status_code == 302  # refused, with a message
    assert not fresh(article).live
    assert fresh(article).current_workflow_task_state.status == "in_progress"


def test_clinician_approves_from_the_review_screen(as_user, article, people):
    state = through_editorial(article, people)
    client = as_user(people["clinician"])
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Awaiting my medical review" in dashboard and article.title in dashboard
    url = reverse("workflows:medical_review", args=[state.pk])
    page = client.get(url).content.decode()
    assert "What changed since the last approved version" in page
    assert 'value="approve"' in page
    response = client.post(url, {"action": "approve", "comment": "Accurate."})
    assert response.status_code == 302
    assert fresh(article).live


def test_request_changes_needs_a_comment(as_user, article, people):
    state = through_editorial(article, people)
    client = as_user(people["clinician"])
    url = reverse("workflows:medical_review", args=[state.pk])
    response = client.post(url, {"action": "reject", "comment": ""})
    assert response.status_code == 200
    assert "the writer receives this comment" in response.content.decode()
    client.post(url, {"action": "reject", "comment": "Cite the trial."})
    assert fresh(article).current_workflow_state.status == "needs_changes"


def test_other_clinician_cannot_see_or_decide_the_review(as_user, article, people):
    state = through_editorial(article, people)
    client = as_user(people["other_clinician"])
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert article.title not in dashboard
    url = reverse("workflows:medical_review", args=[state.pk])
    # Refused: Wagtail's admin turns the refusal into a redirect with a message.
    assert client.get(url).status_code == 302
    assert client.post(url, {"action": "approve"}).status_code == 302
    assert not fresh(article).live


def test_review_screen_shows_changes_since_last_approval(as_user, article, people):
    approve_all(article, people)
    edit(article, summary="A clearer teaser.")
    state = through_editorial(article, people)
    client = as_user(people["clinician"])
    html = client.get(reverse("workflows:medical_review", args=[state.pk])).content.decode()
    assert "<ins>A clearer teaser.</ins>" in html
    assert "<del>HER2 is a protein that can make breast cancer grow faster.</del>" in html


def test_writer_sees_the_rejection_comment_in_the_editor(as_user, article, people):
    through_editorial(article, people)
    act(article, people["clinician"], "reject", comment="Please cite the trial.")
    client = as_user(people["writer"])
    history = client.get(reverse("wagtailadmin_pages:workflow_history", args=[article.pk]))
    assert history.status_code == 200
    detail_url = reverse(
        "wagtailadmin_pages:workflow_history_detail",
        args=[article.pk, fresh(article).current_workflow_state.pk],
    )
    assert "Please cite the trial." in client.get(detail_url).content.decode()


def test_overdue_report_lists_articles_past_review(as_user, article, people):
    from django.utils import timezone

    approve_all(article, people)
    ArticlePage.objects.filter(pk=article.pk).update(
        next_review_due=timezone.localdate() - timezone.timedelta(days=3)
    )
    client = as_user(people["editor"])
    html = client.get(reverse("overdue_reviews")).content.decode()
    assert article.title in html and "3 days" in html
