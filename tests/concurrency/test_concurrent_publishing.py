"""Approving, editing, publishing and unpublishing the same articles at once, on PostgreSQL.

Real threads with their own database connections race while readers poll the
API. Afterwards: no reader saw a 5xx or text its reviewer never approved, no
thread deadlocked or lost a revision, and every live article is approved.
"""

import json
import random
import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections
from django.test import Client

from cms.roles import roles_ensure
from content_models.models import ArticlePage
from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    article_index,
    clinician,
    editor,
    published_article,
    writer,
)
from tests.served import served_as_approved
from workflows.models import MedicalApproval
from workflows.roles import EDITORS
from workflows.services import medical_review_workflow_ensure

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = 12
TIME_LIMIT = 90  # seconds: the threads stop by themselves
# Outcomes a racing user may meet: a refusal, or Wagtail's "one workflow at a
# time" rule. Anything else (a deadlock, a server error) fails the test.
EXPECTED_REFUSALS = (PermissionDenied, ValidationError, IntegrityError)


@pytest.fixture
def world():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (run with DATABASE_URL=postgres://…)")
    index = article_index()
    roles_ensure(article_index=index)
    medical_review_workflow_ensure(page=index, editors_group=Group.objects.get(name=EDITORS))
    reviewer = MedicalReviewerFactory(user=clinician())
    author = AuthorFactory(user=writer())
    pages = [
        published_article(
            title=f"Race {n}", slug=f"race-{n}", author=author, medical_reviewer=reviewer
        ).pk
        for n in range(3)
    ]
    return {"pages": pages, "clinician": reviewer.user, "editor": editor(), "writer": author.user}


class Worker(threading.Thread):
    def __init__(self, name, body, deadline):
        super().__init__(name=name)
        self.body, self.deadline = body, deadline
        self.errors, self.done, self.refused = [], 0, 0

    def run(self):
        try:
            for round_ in range(ROUNDS):
                if time.monotonic() > self.deadline:
                    break
                try:
                    self.body(round_)
                    self.done += 1
                except EXPECTED_REFUSALS:
                    self.refused += 1
        except Exception as error:  # noqa: BLE001 - any other error is the finding
            self.errors.append(repr(error))
        finally:
            connections.close_all()


def test_concurrent_editing_approving_publishing_and_reading(world):
    deadline = time.monotonic() + TIME_LIMIT
    created_revisions = []
    observed = []
    listed = []
    rng = random.Random(7)

    def page(n):
        return ArticlePage.objects.get(pk=world["pages"][n % len(world["pages"])])

    def edit_and_review(round_):
        article = page(round_)
        draft = article.get_latest_revision_as_object()
        draft.summary = f"Reviewed text, round {round_} of {threading.current_thread().name}"
        created_revisions.append(draft.save_revision(user=world["writer"]).pk)
        article = page(round_)
        if article.current_workflow_state is None:
            article.get_workflow().start(article, world["writer"])
        for decider in (world["editor"], world["clinician"]):
            state = page(round_).current_workflow_task_state
            if state is None or state.status != "in_progress":
                return
            state.task.specific.on_action(state, decider, "approve", comment="ok")

    def publish_latest(round_):
        page(round_).get_latest_revision().publish(user=world["editor"])

    def unpublish_and_republish(round_):
        article = page(rng.randrange(3))
        if article.live:
            article.unpublish(user=world["editor"])
        else:
            approved = article.live_revision or article.get_latest_revision()
            approved.publish(user=world["editor"])

    def read(round_):
        client = Client(HTTP_HOST="127.0.0.1")
        for _ in range(5):
            cache.clear()
            listing = client.get("/api/v1/articles/", {"page_size": 100})
            assert listing.status_code == 200, listing.status_code
            listed.append(len(json.loads(listing.content)["results"]))
            for item in json.loads(listing.content)["results"]:
                detail = client.get(f"/api/v1/articles/{item['slug']}/")
                assert detail.status_code in (200, 404), detail.status_code
                if detail.status_code == 200:
                    observed.append((item["id"], json.loads(detail.content)["summary"]))

    workers = [
        Worker("reviewer-1", edit_and_review, deadline),
        Worker("reviewer-2", edit_and_review, deadline),
        Worker("publisher", publish_latest, deadline),
        Worker("unpublisher", unpublish_and_republish, deadline),
        Worker("reader-1", read, deadline),
        Worker("reader-2", read, deadline),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(TIME_LIMIT + 60)
    assert not any(worker.is_alive() for worker in workers), "a thread hung (deadlock?)"
    assert [error for worker in workers for error in worker.errors] == []

    operations = sum(worker.done + worker.refused for worker in workers)
    print(
        f"concurrency: {operations} operations, {len(listed)} listings and "
        f"{len(observed)} article reads checked"
    )
    assert observed, "the readers saw no article: the race was not exercised"
    assert sum(w.done for w in workers if w.name.startswith("reviewer")) > 0

    # Nothing lost: every revision a writer saved is still there.
    from wagtail.models import Revision

    assert Revision.objects.filter(pk__in=created_revisions).count() == len(created_revisions)
    # Readers only ever saw text its reviewer approved.
    approved = {
        (approval.page_id, approval.revision.as_object().summary)
        for approval in MedicalApproval.objects.select_related("revision")
    }
    assert set(observed) <= approved
    # And what is live now is approved.
    for article in ArticlePage.objects.live():
        assert served_as_approved(article) is not None
