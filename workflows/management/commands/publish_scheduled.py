"""Wagtail's `publish_scheduled`, made safe for the clinical gate.

Wagtail's command stops at the first revision that fails to publish, so one
refused article would hold back every other scheduled page. This version
publishes each scheduled revision on its own: a refusal is logged (by the
command), the revision is unscheduled so it is not retried every run, and the
others still go live.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.management.commands import publish_scheduled
from wagtail.models import Revision

from workflows import audit


class Command(publish_scheduled.Command):
    def handle(self, *args, **options):
        if options["dryrun"]:
            return super().handle(*args, **options)
        due = list(
            Revision.objects.filter(approved_go_live_at__lt=timezone.now())
            .order_by("approved_go_live_at")
            .values_list("pk", flat=True)
        )
        refused = []
        for pk in due:
            revision = Revision.objects.get(pk=pk)
            try:
                with transaction.atomic():
                    revision.publish(log_action="wagtail.publish.scheduled")
            except PermissionDenied as refusal:
                # The atomic block rolled back the gate's own log entry with
                # everything else; record the refusal once, outside it.
                Revision.objects.filter(pk=pk).update(approved_go_live_at=None)
                audit.refusal_log(
                    page=revision.content_object, reason=str(refusal), revision=revision
                )
                refused.append((revision, refusal))
        # Expired content is unpublished by Wagtail's own command; nothing is
        # left for it to publish, since every due revision was handled above.
        super().handle(*args, **options)
        for revision, refusal in refused:
            self.stderr.write(f"Not published: {revision.object_str} ({refusal})")
