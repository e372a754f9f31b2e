"""Sending the workflow's mail: one helper, below everything that sends.

Templates are ``templates/workflows/email/<name>.txt`` and ``<name>_subject.txt``.
Mail goes out after the transaction commits, so a rolled-back change sends
nothing, and only to active accounts with an address that have not turned the
matching Wagtail notification preference off.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from wagtail.users.models import UserProfile


def _wants(user, preference):
    return (
        user is not None
        and user.is_active
        and bool(user.email)
        and getattr(UserProfile.get_for_user(user), preference, True)
    )


def mail_send(*, template, recipients, context, preference):
    """Mail `template` to each of `recipients` who wants it, once the transaction commits.

    `preference` names the Wagtail ``UserProfile`` flag the mail falls under
    (``rejected_notifications``, for instance).
    """
    recipients = [user for user in recipients if _wants(user, preference)]
    if not recipients:
        return
    context = {"admin_base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"), **context}

    def deliver():
        for user in recipients:
            body = render_to_string(f"workflows/email/{template}.txt", {**context, "user": user})
            subject = render_to_string(
                f"workflows/email/{template}_subject.txt", {**context, "user": user}
            )
            send_mail(" ".join(subject.split()), body.strip(), None, [user.email])

    transaction.on_commit(deliver)
