"""A reader's report of a problem with an article, and how it was closed.

A report keeps what the reader typed (the message, and a contact address only
if they gave one) and nothing else about them: no address, no browser. It is
closed once, with an outcome the page history keeps too.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

MESSAGE_MAX_LENGTH = 2000


class ReaderReport(models.Model):
    class Outcome(models.TextChoices):
        NO_CHANGE = "no_change", "No change needed"
        CORRECTED = "corrected", "Corrected"
        REREVIEW = "rereview", "Sent to re-review"

    article = models.ForeignKey(
        "content_models.ArticlePage",
        on_delete=models.SET_NULL,
        null=True,
        related_name="reader_reports",
    )
    article_title = models.CharField(max_length=255, help_text="As the reader saw it.")
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    email = models.EmailField(blank=True, help_text="Only if the reader chose to give one.")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    correction = models.ForeignKey(
        "workflows.Correction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reader_reports",
        help_text="The published correction a report closed as corrected led to.",
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        default_permissions = ("view", "change")

    def __str__(self):
        return f"Report on {self.article_title} ({self.received_at:%d %B %Y})"

    @property
    def is_open(self):
        return self.closed_at is None
