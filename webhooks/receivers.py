"""Turn the clinical workflow's signals into outbox events.

Connected by `cms.apps` through `receivers_connect()`. ``live_content_changed``
is sent inside the transaction that writes the live row, so the event is
committed with the change or not at all. If writing the event fails, the
publish fails with it: nothing goes live that subscribers will not hear about.
"""

from workflows.signals import live_content_changed, review_overdue

from .events import PUBLISHED, REVIEW_OVERDUE, UNPUBLISHED, article_data
from .services import event_record


def article_live_content_changed(sender, instance, was_live, is_live, **kwargs):
    if is_live:
        event_type = PUBLISHED
        change = "updated" if was_live else "went_live"
        data = {"article": article_data(instance), "change": change}
    elif was_live:
        event_type = UNPUBLISHED
        data = {"article": article_data(instance)}
    else:
        return
    event_record(event_type=event_type, article=instance, data=data)


def article_review_overdue(sender, instance, **kwargs):
    event_record(
        event_type=REVIEW_OVERDUE, article=instance, data={"article": article_data(instance)}
    )


def receivers_connect():
    live_content_changed.connect(
        article_live_content_changed, dispatch_uid="vetted_webhooks_live_content_changed"
    )
    review_overdue.connect(article_review_overdue, dispatch_uid="vetted_webhooks_review_overdue")
