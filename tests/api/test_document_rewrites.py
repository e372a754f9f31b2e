"""A shared change reaches live articles through the task worker, in batches.

Saving an author, reviewer, topic or image no longer rewrites, in the editor's
request, every document that shows it: the rewrite is a durable task written in
the change's own transaction (django-tasks-db), run after commit by the worker,
a batch of documents per transaction. A photo taken off a profile is a removal
and leaves at once. Read as readers read it: the API's JSON.
"""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from api import tasks
from tests.factories import AuthorFactory, published_article

from .helpers import image

REWRITE = "api.tasks.documents_rewrite_shown"


def author_served(slug):
    response = Client(HTTP_HOST="127.0.0.1").get(f"/api/v1/articles/{slug}/")
    assert response.status_code == 200
    return response.json()["author"]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(tasks, "REWRITE_BATCH", 2)


def articles_by(author, count):
    return [
        published_article(slug=f"article-{n}", title=f"Article {n}", author=author)
        for n in range(count)
    ]


def test_a_bio_edit_reaches_every_article_once_the_worker_has_run(
    durable_tasks, small_batches, django_capture_on_commit_callbacks
):
    author = AuthorFactory(bio="Writes about cancer care.")
    articles = articles_by(author, 5)

    with django_capture_on_commit_callbacks(execute=True):
        author.bio = "Writes about cancer care and heart health."
        author.save()

    # The editor's save has returned; readers keep the documents as they were…
    assert {author_served(a.slug)["bio"] for a in articles} == {"Writes about cancer care."}

    durable_tasks.run()

    # …until the worker has rewritten them all, two per transaction.
    assert {author_served(a.slug)["bio"] for a in articles} == {
        "Writes about cancer care and heart health."
    }
    runs = DBTaskResult.objects.filter(task_path=REWRITE).order_by("enqueued_at")
    assert [run.status for run in runs] == ["SUCCESSFUL"] * 3
    assert [run.return_value for run in runs] == [2, 2, 1]


def test_the_editor_s_save_costs_the_same_for_one_article_as_for_many(durable_tasks):
    one, many = AuthorFactory(), AuthorFactory()
    published_article(slug="only", author=one)
    articles_by(many, 6)

    def save_costs(person):
        person.bio = "A new bio."
        with CaptureQueriesContext(connection) as queries:
            person.save()
        return len(queries)

    assert save_costs(many) == save_costs(one)


def test_a_photo_taken_off_a_profile_leaves_at_once(durable_tasks):
    author = AuthorFactory(photo=image(title="Portrait"))
    article = published_article(slug="her2", author=author)
    assert author_served(article.slug)["photo"] is not None

    author.photo = None
    author.save()

    # No worker has run: the removal did not wait for one.
    assert author_served(article.slug)["photo"] is None
    assert not DBTaskResult.objects.filter(task_path=REWRITE).exists()


def test_a_save_that_rolls_back_leaves_no_rewrite_to_do(durable_tasks):
    author = AuthorFactory(bio="Writes about cancer care.")
    published_article(slug="her2", author=author)

    with pytest.raises(RuntimeError), transaction.atomic():
        author.bio = "Never saved."
        author.save()
        raise RuntimeError("the editor's request failed")

    assert not DBTaskResult.objects.filter(task_path=REWRITE).exists()
    durable_tasks.run()
    assert author_served("her2")["bio"] == "Writes about cancer care."
