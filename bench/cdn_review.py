"""One edit through the real review workflow, for `bench.cdn_check`, in a process of its own.

Run by the check with the server's own settings and environment (the same
database, Redis and purge targets), so the approval commits and purges exactly
as the admin's would. The conversation is one JSON line each way on stdio:

1. it edits the live article `--slug` as the demo writer (`--marker` in the
   summary and the first paragraph), submits it, approves the editorial step as
   the demo editor, and prints ``{"ready": …}``;
2. it waits for a line on stdin, then approves the medical step as the assigned
   clinician (`MedicalReviewTask`, as the admin's approve action does) and
   prints ``{"called_at": …, "approved_at": …}`` (wall-clock seconds: the check
   compares them with its readers' clocks).
"""

import argparse
import json
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.cdn_review")
    parser.add_argument("--slug", required=True)
    parser.add_argument("--marker", required=True)
    parser.add_argument("--writer", default="writer")
    parser.add_argument("--editor", default="editor")
    options = parser.parse_args(argv)

    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from content_models.models import ArticlePage

    from . import measure

    users = get_user_model().objects
    page = ArticlePage.objects.get(slug=options.slug, live=True)
    medical, clinician = measure.review_submit(
        page=page,
        writer=users.get(username=options.writer),
        editor=users.get(username=options.editor),
        marker=options.marker,
        summary=True,
    )
    _say({"ready": True, "clinician": clinician.get_username(), "page_id": page.pk})
    if not sys.stdin.readline():
        return 1  # the check went away before asking for the approval
    called_at = time.time()
    medical.task.specific.on_action(
        medical, clinician, "approve", comment="Checked for the CDN drill."
    )
    _say({"called_at": called_at, "approved_at": time.time()})
    return 0


def _say(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
