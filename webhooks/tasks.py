"""Sending webhooks from the task worker (Wagtail's task framework, django-tasks).

Once a change that queued deliveries commits, `deliveries_send` is enqueued:
it sends everything due, then enqueues itself again for the moment the next
retry falls due, unless a run is already waiting. The deliveries themselves
stay in the outbox (`webhooks.services`), so this is only who sends them: a
``manage.py db_worker`` beside the app, a ``manage.py deliver_webhooks``, or
both at once (a delivery is claimed by one sender only).

Only a durable backend (django-tasks-db) is given the work. With the immediate
backend a task runs inside the request that enqueued it, which would make the
editor wait on every receiver: then ``deliver_webhooks`` sends them, as before.
"""

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django_tasks import task

from .models import WebhookDelivery
from .services import delivery_attempt
from .transport import session_create


def deliveries_send_soon():
    """Have the task worker send the deliveries due, once the transaction commits."""
    transaction.on_commit(_deliveries_enqueue, robust=True)


def _deliveries_enqueue(run_after=None):
    backend = deliveries_send.get_backend()
    if not backend.supports_defer:
        return
    if run_after is not None and _run_waiting(until=run_after):
        return
    deliveries_send.using(run_after=run_after).enqueue()


def _run_waiting(*, until):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status="READY", task_path=deliveries_send.module_path, run_after__lte=until
    ).exists()


@task()
def deliveries_send():
    """Send every delivery due now; come back when the next retry is due.

    Returns how many attempts were made.
    """
    attempts = 0
    with session_create() as session:
        while delivery_attempt(session=session) is not None:
            attempts += 1
    unsent = WebhookDelivery.objects.filter(endpoint__active=True)
    pending = unsent.filter(status=WebhookDelivery.Status.PENDING)
    # A sender that died mid-send leaves its claim until the lease runs out.
    abandoned = unsent.filter(status=WebhookDelivery.Status.SENDING)
    due_times = [
        pending.aggregate(at=Min("next_attempt_at"))["at"],
        abandoned.aggregate(at=Min("claimed_until"))["at"],
    ]
    due_times = [at for at in due_times if at is not None]
    if due_times:
        _deliveries_enqueue(run_after=max(min(due_times), timezone.now()))
    return attempts
