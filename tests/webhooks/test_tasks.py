"""The task worker sends webhooks (`webhooks.tasks`), on the durable database backend."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.workflows.flow import approve_all
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.usefixtures("private_targets_allowed")

SEND = "webhooks.tasks.deliveries_send"


def test_the_task_worker_sends_an_event_once_the_change_commits(
    article, people, make_endpoint, receiver, durable_tasks, django_capture_on_commit_callbacks
):
    make_endpoint(url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(article, people)
    assert receiver.requests == []  # not sent by the editor's request: by the worker
    assert DBTaskResult.objects.filter(task_path=SEND, status="READY").exists()

    durable_tasks.run()

    [request] = receiver.requests
    assert request["headers"]["X-Vetted-Event"] == "article.published"
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED
    # Nothing left to send, so nothing is waiting to run again.
    assert not DBTaskResult.objects.filter(task_path=SEND, status="READY").exists()


def test_a_receiver_that_is_down_gets_the_event_from_the_task_scheduled_for_the_retry(
    article, people, make_endpoint, receiver, durable_tasks, django_capture_on_commit_callbacks
):
    make_endpoint(url=receiver.url)
    receiver.stop()
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(article, people)
    durable_tasks.run()

    failed_once = WebhookDelivery.objects.get()
    assert (failed_once.status, failed_once.attempts) == (WebhookDelivery.Status.PENDING, 1)
    [waiting] = DBTaskResult.objects.filter(task_path=SEND, status="READY")
    assert waiting.run_after == failed_once.next_attempt_at

    receiver.start()
    earlier = timezone.now() - datetime.timedelta(seconds=1)
    WebhookDelivery.objects.update(next_attempt_at=earlier)
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=earlier)
    durable_tasks.run()

    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


def test_the_send_is_enqueued_only_once_the_change_commits(
    article, people, make_endpoint, receiver, durable_tasks, django_capture_on_commit_callbacks
):
    make_endpoint(url=receiver.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        approve_all(article, people)
    # Until the commit (here it never comes: a rollback), nothing is enqueued.
    assert callbacks
    assert not DBTaskResult.objects.filter(task_path=SEND).exists()


def test_without_a_durable_backend_the_request_never_waits_on_a_receiver(
    article, people, make_endpoint, receiver, django_capture_on_commit_callbacks
):
    make_endpoint(url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(article, people)

    # The test settings run tasks inline: deliver_webhooks sends instead.
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING
    call_command("deliver_webhooks", "--once")
    assert len(receiver.requests) == 1
