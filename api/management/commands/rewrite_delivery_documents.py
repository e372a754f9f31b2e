from django.core.management.base import BaseCommand
from django.db import transaction

from api.documents import document_write, documents_stray_remove
from content_models.models import ArticlePage


class Command(BaseCommand):
    help = (
        "Write the delivery document of every live article again. Run it after changing "
        "what documents are rendered with but no article saves: VETTED_FRONTEND_BASE_URL, "
        "the media storage's address, or the API's serializers in an upgrade. Migrations "
        "already write the documents that live articles lack. Documents of articles no "
        "longer live (taken down by a write that bypassed the gate) are removed."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            removed = documents_stray_remove()
        if removed:
            self.stdout.write(f"{removed} document(s) of articles no longer live removed.")
        written = 0
        for article in ArticlePage.objects.live().order_by("pk").iterator():
            # One transaction per article: readers see each new document as soon as it is written.
            with transaction.atomic():
                document_write(article)
            written += 1
        self.stdout.write(self.style.SUCCESS(f"{written} delivery document(s) written."))
