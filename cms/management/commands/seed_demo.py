import os

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from cms.demo import demo_load
from cms.options import vetted_option


class Command(BaseCommand):
    help = (
        "Load Vetted's demo: groups, the Medical review workflow, demo users, authors, "
        "reviewers, topics and articles published through the workflow. Safe to run again. "
        "Demo passwords come from VETTED_DEMO_PASSWORD, or are generated and printed once."
    )

    def handle(self, *args, **options):
        if not vetted_option("ALLOW_DEMO_DATA"):
            raise CommandError(
                "seed_demo refuses to run under these settings (ALLOW_DEMO_DATA is off, as in "
                "production): demo accounts must never exist there. Create real accounts "
                "with `createsuperuser` and the admin instead."
            )
        # The demo's own review notifications would only flood the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            created, articles = demo_load(password=os.environ.get("VETTED_DEMO_PASSWORD"))
        for username, password in created.items():
            self.stdout.write(f"Created demo user {username!r} with password {password!r}")
        if not created:
            self.stdout.write("Demo users already exist; their passwords are unchanged.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready: {articles} new article(s) published through review.")
        )
