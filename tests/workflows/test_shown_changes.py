"""Something an approved article shows changes elsewhere: readers keep the approved
document, and the article goes back to its reviewer, who is told what changed."""

from django.core import mail
from django.urls import reverse

from tests.factories import TopicFactory, approve_revision, published_article
from tests.served import served_as_approved, served_detail
from tests.workflows.flow import act, approve_all, edit, fresh


def test_a_renamed_topic_sends_its_live_articles_to_re_review(article, people, on_commit, client):
    topic = TopicFactory(name="Breast cancer", slug="breast-cancer")
    edit(article, topics=[topic])
    approve_all(article, people)
    mail.outbox.clear()

    with on_commit(execute=True):
        topic.name = "Breast cancers"
        topic.save()

    page = fresh(article)
    assert served_detail(page.slug)["topics"][0]["name"] == "Breast cancer"
    assert page.workflow_in_progress
    [notice] = [m for m in mail.outbox if "Re-review needed" in m.subject]
    assert notice.to == [people["clinician"].email]
    assert '"Breast cancer (breast-cancer)" → "Breast cancers (breast-cancer)"' in notice.body

    # The clinician sees the change marked, approves it, and readers get the new name.
    act(article, people["editor"], "approve")
    state = fresh(article).current_workflow_task_state
    client.force_login(people["clinician"])
    screen = client.get(reverse("workflows:medical_review", args=[state.pk]))
    assert ("Topic", "changed") in {(e["label"], e["status"]) for e in screen.context["diff"]}
    act(article, people["clinician"], "approve")
    assert served_as_approved(fresh(article))["topics"][0]["name"] == "Breast cancers"


def test_a_retitled_linked_article_sends_the_linking_article_to_re_review(
    article, people, on_commit
):
    target = published_article(slug="target", title="Old title")
    edit(article, body=[{"type": "read_more", "value": {"article": target.pk, "text": ""}}])
    approve_all(article, people)

    with on_commit(execute=True):
        # The linked article's own retitle is approved and published through the gate.
        draft = target.get_latest_revision_as_object()
        draft.title = "New title"
        revision = draft.save_revision()
        approve_revision(target, revision=revision)
        revision.publish()

    assert served_detail(fresh(article).slug)["body"][0]["value"]["title"] == "Old title"
    assert fresh(article).workflow_in_progress


def test_a_link_that_only_went_private_is_not_a_re_review(article, people, on_commit):
    target = published_article(slug="target", title="Target")
    edit(article, body=[{"type": "read_more", "value": {"article": target.pk, "text": ""}}])
    approve_all(article, people)

    with on_commit(execute=True):
        target.unpublish()

    assert served_detail(fresh(article).slug)["body"] == []
    assert not fresh(article).workflow_in_progress
