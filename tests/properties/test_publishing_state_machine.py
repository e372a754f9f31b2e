"""Random use of the workflow against the publishing gate.

A Hypothesis state machine lets several people (writers, editors, the assigned
and an unassigned clinician, a clinician who is also a writer, a superuser in
Clinicians with a reviewer profile of their own) do anything to a few articles
by any path: edit, reassign the reviewer, submit, decide any step as anyone,
send live text to re-review and reject it (as unsafe or not), resume, cancel,
publish, force a live save, schedule behind the gate's back and run
`publish_scheduled`, revert, copy, alias, unpublish, let credentials lapse or
deactivate a clinician, declare interests in an article's topic (current, ended,
elsewhere, or none; by the clinician, an editor or a writer), mark a change as a
correction (with a new public note) or an update, write a correction note onto
the live row;
and change what the articles show from elsewhere (an image's file, a linked
article's title, privacy or presence, the reviewer's name, credentials or
account, a topic's name) or write around the gate (a base `Page` save,
`queryset.update()`, review metadata, an edited revision).

After every step, read through the API as a reader would: everything served
is exactly a document one of its assigned reviewer's approvals holds (less
only links and images since withdrawn), with that approval's reviewer; no
served link names an article that is not public; nothing unpublished or
unapproved is listed; every live article nobody wrote around the gate
is served; every correction shown is a note a clinician approved in that
article's document, once, and the corrections log lists exactly the public
articles' corrections; and whenever a step puts new content live, the approval it is
served under is in good standing at that moment (checked here from the records,
not through the rules): its reviewer active, in Clinicians, no administrator,
verified, not its writer, the review not overdue, and no later rejection of
the same content.

CI runs a bounded profile; ``make soak`` runs the long one
(``HYPOTHESIS_PROFILE=soak``).
"""

import datetime
import io
import json
import os
import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from PIL import Image as PillowImage
from rest_framework.fields import DateTimeField
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Revision

from api.documents import documents_rewrite
from api.models import DocumentDependency
from cms.roles import roles_ensure
from content_models.models import ArticlePage, InterestDeclaration, MedicalReviewer, Topic
from content_models.models.people import interests_declare
from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    TopicFactory,
    UserFactory,
    article_draft,
    article_index,
    body,
    clinician,
    credentials_verified,
    editor,
    writer,
)
from tests.served import approved_views, reader_view
from workflows.models import MedicalApproval, MedicalRejection
from workflows.roles import CLINICIANS, EDITORS, WRITERS
from workflows.services import medical_review_workflow_ensure, rereview_start

settings.register_profile(
    "ci",
    max_examples=20,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "soak",
    # `make soak` runs 1,000; a run split across processes (each with its own
    # --hypothesis-seed) may set how many each one runs.
    max_examples=int(os.environ.get("VETTED_SOAK_EXAMPLES", "1000")),
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

PEOPLE = ["writer", "editor", "clin_a", "clin_b", "superuser"]
REVIEWERS = ["a", "b", "admin"]
ARTICLES = 3


class PublishingMachine(RuleBasedStateMachine):
    cast = None  # set by the test: ids of the people and articles it created

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        cache.clear()
        self.users = {
            name: UserFactory._meta.model.objects.get(pk=pk)
            for name, pk in self.cast["users"].items()
        }
        self.reviewers = {
            name: MedicalReviewer.objects.get(pk=pk) for name, pk in self.cast["reviewers"].items()
        }
        self.pages = list(self.cast["articles"])
        self.picture = get_image_model().objects.get(pk=self.cast["image"])
        # Articles whose live row was written around the gate: they may be withdrawn.
        self.tampered = set()
        # Per article, at the last check: whether it was live and at which revision,
        # and the document it was served with (None when it was not served).
        self.live_before = {}
        self.served_before = {}
        self.counter = 0
        self.steps = 0
        self.client = Client(HTTP_HOST="127.0.0.1")

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        PublishingMachine.total_steps += self.steps

    total_steps = 0
    outcomes = {"done": 0, "refused": 0, "went_live": 0}

    # --- helpers ---------------------------------------------------------------
    def page(self, i):
        return ArticlePage.objects.get(pk=self.pages[i % len(self.pages)])

    def unique(self, prefix):
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def attempt(self, action):
        """Run `action`; a refusal is an acceptable outcome, any other error is a bug."""
        self.steps += 1
        try:
            with transaction.atomic():
                action()
        except PermissionDenied:
            PublishingMachine.outcomes["refused"] += 1
        else:
            PublishingMachine.outcomes["done"] += 1

    # --- rules -------------------------------------------------------------------
    @rule(
        i=st.integers(0, ARTICLES - 1),
        words=st.sampled_from(["alpha", "beta", "gamma"]),
        who=st.sampled_from(["writer", "clin_a"]),
    )
    def edit_draft(self, i, words, who):
        def run():
            draft = self.page(i).get_latest_revision_as_object()
            draft.summary = f"{self.unique('draft')} {words}"
            draft.save_revision(user=self.users[who])

        self.attempt(run)

    @rule(
        i=st.integers(0, ARTICLES - 1),
        kind=st.sampled_from(["correction", "update", "correction without a note"]),
        reviewed=st.booleans(),
    )
    def mark_change(self, i, kind, reviewed):
        """The next change of the article is a correction (with a new public note) or an
        update; `reviewed`, it goes through review at once, as it should."""

        def run():
            draft = self.page(i).get_latest_revision_as_object()
            draft.body = body(f"{self.unique('fixed')} paragraph.")
            draft.change_kind = kind.split()[0]
            draft.correction_note = (
                f"{self.unique('An earlier version erred')}." if kind == "correction" else ""
            )
            draft.save_revision(user=self.users["editor"])
            if reviewed:
                self.through_review(i)

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1))
    def correction_note_around_the_gate(self, i):
        """A script writes a correction note onto the live row."""

        def run():
            page = self.page(i)
            page.change_kind, page.correction_note = "correction", "Nothing was ever wrong."
            page.save()

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1), to=st.sampled_from(REVIEWERS))
    def reassign_reviewer(self, i, to):
        def run():
            draft = self.page(i).get_latest_revision_as_object()
            draft.medical_reviewer = self.reviewers[to]
            draft.save_revision(user=self.users["editor"])

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1), who=st.sampled_from(["writer", "editor", "clin_a"]))
    def submit(self, i, who):
        page = self.page(i)
        if page.current_workflow_state is None:
            self.attempt(lambda: page.get_workflow().start(page, self.users[who]))

    @rule(
        i=st.integers(0, ARTICLES - 1),
        who=st.sampled_from(PEOPLE),
        action=st.sampled_from(["approve", "reject"]),
    )
    def decide(self, i, who, action):
        page = self.page(i)
        state = page.current_workflow_task_state
        if state is not None and state.status == "in_progress":
            task = state.task.specific
            self.attempt(lambda: task.on_action(state, self.users[who], action, comment="x"))

    @rule(i=st.integers(0, ARTICLES - 1), who=st.sampled_from(PEOPLE))
    def decide_behind_the_task(self, i, who):
        state = self.page(i).current_workflow_task_state
        if state is not None and state.status == "in_progress":
            self.attempt(lambda: state.approve(user=self.users[who]))

    @rule(i=st.integers(0, ARTICLES - 1))
    def review_properly(self, i):
        """The happy path, so that random runs spend time with live articles."""
        self.attempt(lambda: self.through_review(i))

    def through_review(self, i):
        """Submit article `i` if it is not in review, and approve each step as it should be."""
        page = self.page(i)
        if page.current_workflow_state is None:
            page.get_workflow().start(page, self.users["writer"])
        for _ in range(2):
            state = self.page(i).current_workflow_task_state
            if state is None or state.status != "in_progress":
                return
            article = state.revision.as_object()
            decider = (
                article.medical_reviewer.user
                if state.task.name == "Medical review"
                else self.users["editor"]
            )
            state.task.specific.on_action(state, decider, "approve", comment="ok")
        if self.page(i).live:
            PublishingMachine.outcomes["went_live"] += 1

    @rule(i=st.integers(0, ARTICLES - 1), unsafe=st.booleans())
    def rereview_and_reject(self, i, unsafe):
        """The live text goes back to review; its clinician asks for changes."""

        def run():
            page = self.page(i)
            if not page.live or page.current_workflow_state is not None:
                return
            rereview_start(article=page, user=self.users["editor"])
            state = self.page(i).current_workflow_task_state
            state.task.specific.on_action(state, self.users["editor"], "approve", comment="")
            state = self.page(i).current_workflow_task_state
            clinician = state.revision.as_object().medical_reviewer.user
            state.task.specific.on_action(
                state, clinician, "reject", comment="Unsafe dose.", live_unsafe=unsafe
            )

        self.attempt(run)

    @rule(who=st.sampled_from(["clin_a", "clin_b"]), active=st.booleans())
    def deactivate_clinician(self, who, active):
        self.steps += 1
        user = self.users[who]
        user.is_active = active
        user.save(update_fields=["is_active"])

    @rule(i=st.integers(0, ARTICLES - 1))
    def resume(self, i):
        workflow_state = self.page(i).current_workflow_state
        if workflow_state is not None and workflow_state.status == "needs_changes":
            self.attempt(lambda: workflow_state.resume(user=self.users["writer"]))

    @rule(i=st.integers(0, ARTICLES - 1))
    def cancel(self, i):
        workflow_state = self.page(i).current_workflow_state
        if workflow_state is not None:
            self.attempt(lambda: workflow_state.cancel(user=self.users["writer"]))

    @rule(i=st.integers(0, ARTICLES - 1), who=st.sampled_from(PEOPLE))
    def publish_latest(self, i, who):
        revision = self.page(i).get_latest_revision()
        self.attempt(lambda: revision.publish(user=self.users[who]))

    @rule(i=st.integers(0, ARTICLES - 1))
    def force_live_save(self, i):
        def run():
            obj = self.page(i).get_latest_revision().as_object()
            obj.live = True
            obj.save()

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1))
    def schedule_behind_the_gate_and_run_publish_scheduled(self, i):
        revision = self.page(i).get_latest_revision()
        Revision.objects.filter(pk=revision.pk).update(
            approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        self.steps += 1
        call_command("publish_scheduled", stdout=io.StringIO(), stderr=io.StringIO())

    @rule(i=st.integers(0, ARTICLES - 1), back=st.integers(1, 4))
    def revert(self, i, back):
        revisions = list(self.page(i).revisions.order_by("-created_at", "-id")[: back + 1])
        old = revisions[-1]

        def run():
            new = old.as_object().save_revision(user=self.users["editor"], previous_revision=old)
            new.publish(user=self.users["editor"], previous_revision=old)

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1), k=st.integers(0, 3))
    def revert_to_an_approved_revision(self, i, k):
        """Put back a text that was approved once, as an editor reverting would."""
        page = self.page(i)
        approvals = list(MedicalApproval.objects.filter(page_id=page.pk)[: k + 1])
        if not approvals:
            return
        old = Revision.objects.get(pk=approvals[-1].revision_id)

        def run():
            new = old.as_object().save_revision(user=self.users["editor"], previous_revision=old)
            new.publish(user=self.users["editor"], previous_revision=old)

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1))
    def copy_keep_live(self, i):
        slug = self.unique("copy")

        def run():
            copy = self.page(i).copy(keep_live=True, update_attrs={"slug": slug, "title": slug})
            self.pages.append(copy.pk)

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1))
    def alias(self, i):
        slug = self.unique("alias")

        def run():
            alias = self.page(i).create_alias(update_slug=slug)
            self.pages.append(alias.pk)

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1))
    def unpublish(self, i):
        page = self.page(i)
        if page.live:
            self.attempt(lambda: page.unpublish(user=self.users["editor"]))

    @rule(who=st.sampled_from(REVIEWERS), lapsed=st.booleans())
    def credentials(self, who, lapsed):
        reviewer = self.reviewers[who]
        # Refused when the profile now points at the editor's own account.
        self.attempt(
            lambda: credentials_verified(
                reviewer,
                timezone.localdate() + datetime.timedelta(days=-1 if lapsed else 365),
                by=self.users["editor"],
            )
        )

    @rule(
        who=st.sampled_from(REVIEWERS),
        interest=st.sampled_from(["none", "current", "ended", "elsewhere"]),
        by=st.sampled_from(["self", "editor", "writer"]),
    )
    def declare_interests(self, who, interest, by):
        """A declaration: nothing, or consultancy in Cardiology (the last article's second
        topic) that is current or has ended, or in a topic of no article; by the clinician,
        an editor, or a writer (refused)."""
        reviewer = self.reviewers[who]
        today = timezone.localdate()
        topic = Topic.objects.get(pk=self.cast["second_topic"])
        other, _ = Topic.objects.get_or_create(slug="dermatology", defaults={"name": "Skin"})
        interests = {
            "none": [],
            "current": [{"topics": [topic], "ended": None}],
            "ended": [{"topics": [topic], "ended": today - datetime.timedelta(days=1)}],
            "elsewhere": [{"topics": [other], "ended": None}],
        }[interest]
        declared_by = reviewer.user if by == "self" else self.users[by]
        self.attempt(
            lambda: interests_declare(
                reviewer=MedicalReviewer.objects.get(pk=reviewer.pk),
                declared_by=declared_by,
                interests=[
                    {
                        "organization": "Halvorsen",
                        "relation": "consultancy",
                        "products": "",
                        "started": today - datetime.timedelta(days=30),
                        **item,
                    }
                    for item in interests
                ],
            )
        )

    # --- changes elsewhere to what the articles show ----------------------------
    @rule(colour=st.sampled_from(["red", "green", "blue"]))
    def replace_image_file(self, colour):
        def run():
            picture = get_image_model().objects.get(pk=self.picture.pk)
            picture.file = png(colour, name=self.unique(colour))
            picture._set_image_file_metadata()
            picture.save()

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1))
    def retitle_draft(self, i):
        def run():
            draft = self.page(i).get_latest_revision_as_object()
            draft.title = self.unique("Title")
            draft.save_revision(user=self.users["writer"])

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1), private=st.booleans())
    def restrict(self, i, private):
        page = self.page(i)

        def run():
            if private:
                PageViewRestriction.objects.get_or_create(
                    page=page, restriction_type="password", defaults={"password": "x"}
                )
            else:
                for restriction in PageViewRestriction.objects.filter(page=page):
                    restriction.delete()

        self.attempt(run)

    @rule(who=st.sampled_from(["a", "b"]), field=st.sampled_from(["name", "credentials"]))
    def edit_reviewer_profile(self, who, field):
        def run():
            reviewer = MedicalReviewer.objects.get(pk=self.reviewers[who].pk)
            setattr(reviewer, field, self.unique(field))
            reviewer.save()

        self.attempt(run)

    @rule(who=st.sampled_from(REVIEWERS), to=st.sampled_from(PEOPLE))
    def point_reviewer_profile_at(self, who, to):
        def run():
            reviewer = MedicalReviewer.objects.get(pk=self.reviewers[who].pk)
            taken = MedicalReviewer.objects.filter(user=self.users[to]).exclude(pk=reviewer.pk)
            if not taken.exists() and reviewer.user_id != self.users[to].pk:
                reviewer.user = self.users[to]
                reviewer.save()  # refused once the profile has approvals

        self.attempt(run)

    @rule()
    def rename_topic(self):
        def run():
            topic = Topic.objects.get(pk=self.cast["topic"])
            topic.name = self.unique("Topic")
            topic.save()

        self.attempt(run)

    # --- writes around the gate --------------------------------------------------
    @rule(i=st.integers(0, ARTICLES - 1))
    def save_through_a_base_page(self, i):
        def run():
            base = Page.objects.get(pk=self.page(i).pk)
            base.title = self.unique("Base page title")
            base.save()

        self.attempt(run)

    @rule(
        i=st.integers(0, ARTICLES - 1),
        field=st.sampled_from(["title", "slug", "summary", "seo_title"]),
    )
    def queryset_update(self, i, field):
        page = self.page(i)
        self.steps += 1
        ArticlePage.objects.filter(pk=page.pk).update(**{field: self.unique(field)})
        if page.live:
            self.tampered.add(page.pk)

    @rule(i=st.integers(0, ARTICLES - 1))
    def write_review_metadata(self, i):
        def run():
            page = self.page(i)
            page.reviewed_by = self.reviewers["b"]
            page.next_review_due = datetime.date(2099, 1, 1)
            page.save(update_fields=["reviewed_by", "next_review_due"])

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1))
    def edit_a_revision_and_publish_it(self, i):
        revision = self.page(i).get_latest_revision()

        def run():
            content = dict(revision.content)
            content["summary"] = self.unique("edited revision")
            Revision.objects.filter(pk=revision.pk).update(content=content)
            Revision.objects.get(pk=revision.pk).publish(user=self.users["editor"])

        self.attempt(run)

    @rule()
    def rewrite_every_document(self):
        """What an author-bio edit or `rewrite_delivery_documents` would do."""
        self.steps += 1
        documents_rewrite(kind=DocumentDependency.Kind.AUTHOR, ids=[self.cast["author"]])

    # --- the invariant ---------------------------------------------------------
    @invariant()
    def readers_get_exactly_what_was_approved(self):
        cache.clear()
        listing = json.loads(self.client.get("/api/v1/articles/", {"page_size": 100}).content)
        assert listing["count"] == len(listing["results"])
        public = {page.pk: page for page in public_articles()}
        private_slugs = slugs_of_articles_not_public(set(public))
        served_ids = set()
        served_corrections = {}
        for item in listing["results"]:
            page = public.get(item["id"])
            assert page is not None, f"{item['slug']} is listed but not public"
            detail = json.loads(self.client.get(f"/api/v1/articles/{item['slug']}/").content)
            assert summary_within(detail, item) == item, "the list and the detail disagree"
            approvals = approvals_served(page, detail)
            served_by = {listing_moment(a.approved_at): a for a in approvals}
            approval = served_by.get(detail["reviewed_at"])
            assert approval is not None, f"{page.slug} names the date of another approval"
            assert detail["medical_reviewer"]["name"] == approval.reviewer_name
            assert detail["json_ld"]["reviewedBy"]["name"] == approval.reviewer_name
            assert not links_shown(detail) & private_slugs, "a link names an article not public"
            corrections_as_approved(page, detail)
            served_corrections[page.pk] = detail["corrections"]
            served_ids.add(page.pk)
            if self.went_live(page, detail):
                refusal = standing_breach(approval, page)
                assert refusal is None, f"{page.slug} went live on an approval {refusal}"
        log = json.loads(self.client.get("/api/v1/corrections/", {"page_size": 100}).content)
        assert {c["article"]["id"] for c in log["results"]} <= served_ids, "log not public"
        assert log["count"] == len(log["results"])
        for page_id, corrections in served_corrections.items():
            shown = [
                {"date": c["date"], "note": c["note"]}
                for c in log["results"]
                if c["article"]["id"] == page_id
            ]
            assert shown == corrections, "the log and the detail disagree"
        for page in public.values():
            if page.pk not in self.tampered and page.pk not in served_ids:
                raise AssertionError(f"{page.slug} is live and approved, but not served")
        for page in ArticlePage.objects.filter(pk__in=self.pages):
            self.live_before[page.pk] = (page.live, page.live_revision_id)
            if page.pk not in served_ids:
                self.served_before[page.pk] = None

    def went_live(self, page, detail):
        """Whether the last step put content of `page` live: it was not live, or another
        revision of different text went live. Not when it only became public again, or
        what it shows from elsewhere changed."""
        served = reader_view(detail)
        was_live, revision = self.live_before.get(page.pk, (False, None))
        before = self.served_before.get(page.pk)
        self.served_before[page.pk] = served
        if not was_live:
            return True
        return revision != page.live_revision_id and served != before


def corrections_as_approved(page, detail):
    """Every correction `detail` shows is a note a clinician approved in one of `page`'s
    documents, shown once, newest first."""
    approved = {
        approval.document["correction"]
        for approval in MedicalApproval.objects.filter(page_id=page.pk)
        if approval.document and "correction" in approval.document
    }
    notes = [c["note"] for c in detail["corrections"]]
    assert set(notes) <= approved, f"{page.slug} shows a correction nobody approved"
    assert len(notes) == len(set(notes)), f"{page.slug} shows a correction twice"
    dates = [c["date"] for c in detail["corrections"]]
    assert dates == sorted(dates, reverse=True)
    assert "Nothing was ever wrong." not in notes


def standing_breach(approval, page):
    """What keeps `approval` from being in good standing now, read from the records."""
    reviewer_user = approval.reviewer.__class__.objects.get(pk=approval.reviewer_id)
    today = timezone.localdate()
    if reviewer_user.is_superuser:
        return "by an administrator"
    if not reviewer_user.is_active:
        return "by an inactive account"
    if not reviewer_user.groups.filter(name=CLINICIANS).exists():
        return "by an account not in Clinicians"
    if MedicalReviewer.objects.get(pk=approval.reviewer_profile_id).credentials_verified_until < (
        today
    ):
        return "by a reviewer whose verification lapsed"
    if approval.next_review_due < today:
        return "overdue for re-review"
    latest = (
        InterestDeclaration.objects.filter(reviewer_id=approval.reviewer_profile_id)
        .order_by("-declared_at", "-pk")
        .first()
    )
    topics = set(page.topics.values_list("pk", flat=True))
    for interest in latest.interests.all() if latest else ():
        current = interest.started <= today and (interest.ended is None or interest.ended >= today)
        if current and topics & set(interest.topics.values_list("pk", flat=True)):
            return f"by a reviewer with a declared interest ({interest.organization})"
    revision = Revision.objects.get(pk=approval.revision_id)
    if revision.user_id == approval.reviewer_id:
        return "by the clinician who wrote it"
    for rejection in MedicalRejection.objects.filter(
        page_id=page.pk, rejected_at__gt=approval.approved_at
    ):
        if approval.pk in rejection.superseded or approval.fingerprint == rejection.fingerprint:
            return f"that a later rejection superseded ({rejection.comment})"
    return None


def summary_within(detail, item):
    """The fields of list item `item`, as the article's detail has them."""
    return {
        key: {name: detail[key][name] for name in value}
        if isinstance(value, dict)
        else detail[key]
        for key, value in item.items()
    }


def public_articles():
    restricted = [
        restriction.page.path for restriction in PageViewRestriction.objects.select_related("page")
    ]
    return [
        page
        for page in ArticlePage.objects.live().select_related("medical_reviewer")
        if not any(page.path.startswith(path) for path in restricted)
    ]


def slugs_of_articles_not_public(public_ids):
    """Every slug an article that is not public has had: its row's and its approved ones."""
    slugs = set()
    for page in ArticlePage.objects.exclude(pk__in=public_ids):
        slugs.add(page.slug)
        slugs |= {approved["slug"] for _approval, approved in approved_views(page.pk)}
    return slugs


def approvals_served(page, detail):
    """The approvals by the assigned reviewer whose document `detail` shows, less only
    withdrawn links and images (several when the same document was approved again)."""
    served = reader_view(detail)
    approvals = [
        approval
        for approval, approved in approved_views(page.pk)
        if approval.reviewer_id == page.medical_reviewer.user_id
        and approval.reviewer_profile_id == page.medical_reviewer_id
        and withdrawn_from(approved, served)
    ]
    assert approvals, f"{page.slug} is served with a document its assigned reviewer never approved"
    return approvals


def withdrawn_from(approved, served):
    """Whether `served` is `approved` with nothing changed but links and images taken out."""
    if {k: v for k, v in approved.items() if k != "body"} != {
        k: v for k, v in served.items() if k != "body"
    }:
        return False
    remaining = iter(served["body"])
    current = next(remaining, None)
    for block in approved["body"]:
        if current is not None and block_withdrawn_to(block, current):
            current = next(remaining, None)
        elif block["type"] not in ("read_more", "image"):
            return False
    return current is None


def block_withdrawn_to(approved, served):
    if approved["type"] != served["type"]:
        return False
    if approved["type"] == "paragraph":
        return re.fullmatch(links_optional(approved["value"]), served["value"]) is not None
    if approved["type"] == "callout":
        rest_same = {**approved["value"], "text": ""} == {**served["value"], "text": ""}
        pattern = links_optional(approved["value"]["text"])
        return rest_same and re.fullmatch(pattern, served["value"]["text"]) is not None
    if approved["type"] == "image":
        same = {k: v for k, v in approved["value"].items() if k != "url"}
        return same == {k: v for k, v in served["value"].items() if k != "url"}
    return approved == served


LINK = re.compile(r'<a href="[^"]*">(.*?)</a>', re.S)


def links_optional(html):
    """A pattern matching `html` with any of its links unwrapped to their text."""
    pattern, position = "", 0
    for link in LINK.finditer(html):
        pattern += re.escape(html[position : link.start()])
        pattern += f"(?:{re.escape(link[0])}|{re.escape(link[1])})"
        position = link.end()
    return pattern + re.escape(html[position:])


def links_shown(detail):
    slugs = set()
    for block in detail["body"]:
        if block["type"] == "read_more":
            slugs.add(block["value"]["slug"])
        html = block["value"] if block["type"] == "paragraph" else ""
        if block["type"] == "callout":
            html = block["value"]["text"]
        slugs |= set(re.findall(r'href="/articles/([^/"]+)/"', html))
    return slugs


def listing_moment(moment):
    return DateTimeField().to_representation(moment)


def png(colour, *, name):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name=f"{name}.png")


@pytest.fixture
def cast(db):
    index = article_index()
    roles_ensure(article_index=index)
    medical_review_workflow_ensure(page=index, editors_group=Group.objects.get(name=EDITORS))
    users = {
        "writer": writer(),
        "editor": editor(),
        "clin_a": clinician(),
        "clin_b": clinician(),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    # A clinician who also writes, and an administrator who made themself a clinician.
    users["clin_a"].groups.add(Group.objects.get(name=WRITERS))
    users["superuser"].groups.add(Group.objects.get(name=CLINICIANS))
    reviewers = {
        "a": MedicalReviewerFactory(user=users["clin_a"]),
        "b": MedicalReviewerFactory(user=users["clin_b"]),
        "admin": MedicalReviewerFactory(user=users["superuser"]),
    }
    author = AuthorFactory(user=users["writer"])
    topic = TopicFactory(name="HER2", slug="her2")
    second_topic = TopicFactory(name="Cardiology", slug="cardiology")
    picture = get_image_model().objects.create(title="Scan", file=png("white", name="scan"))
    articles = [
        article_draft(
            title=f"Article {n}",
            slug=f"article-{n}",
            author=author,
            medical_reviewer=reviewers["ab"[n % 2]],
            topics=[topic] if n < ARTICLES - 1 else [topic, second_topic],
        )
        for n in range(ARTICLES)
    ]
    for n, article in enumerate(articles):
        # Each links to the next, points a "read more" at the one after, and shows the image.
        following, after = articles[(n + 1) % ARTICLES], articles[(n + 2) % ARTICLES]
        article.body = [
            {"type": "heading", "value": "What it is"},
            {
                "type": "paragraph",
                "value": f'<p>See <a linktype="page" id="{following.pk}">the next one</a>.</p>',
            },
            {"type": "read_more", "value": {"article": after.pk, "text": ""}},
            {"type": "image", "value": {"image": picture.pk, "alt_text": "A scan", "caption": ""}},
        ]
        article.save_revision()
    return {
        "users": {name: user.pk for name, user in users.items()},
        "reviewers": {name: reviewer.pk for name, reviewer in reviewers.items()},
        "articles": [article.pk for article in articles],
        "image": picture.pk,
        "topic": topic.pk,
        "second_topic": second_topic.pk,
        "author": author.pk,
    }


def test_gate_holds_under_random_workflows(cast):
    PublishingMachine.cast = cast
    PublishingMachine.total_steps = 0
    PublishingMachine.outcomes = {"done": 0, "refused": 0, "went_live": 0}
    run_state_machine_as_test(PublishingMachine, settings=settings.get_profile(PROFILE))
    outcomes = PublishingMachine.outcomes
    print(
        f"state machine: profile {PROFILE}, {PublishingMachine.total_steps} steps, "
        f"{outcomes['done']} done, {outcomes['refused']} refused, "
        f"{outcomes['went_live']} reviews that went live"
    )
    # The run must have exercised both sides of the gate.
    assert outcomes["refused"] > 0 and outcomes["went_live"] > 0


def test_the_invariant_checks_the_standing_of_what_goes_live(cast):
    """Two runs written out step by step: each ends by putting back a text whose
    approval is no longer in good standing, which the gate must refuse and the
    invariant would report."""
    PublishingMachine.cast = cast
    machine = PublishingMachine()
    try:
        machine.review_properly(0)  # article 0, reviewed by "a"
        machine.edit_draft(0, "beta", "writer")
        machine.review_properly(0)
        machine.readers_get_exactly_what_was_approved()
        machine.credentials("a", lapsed=True)
        machine.revert_to_an_approved_revision(0, 1)
        machine.readers_get_exactly_what_was_approved()

        machine.review_properly(1)  # article 1, reviewed by "b"
        machine.readers_get_exactly_what_was_approved()
        machine.rereview_and_reject(1, unsafe=False)
        machine.cancel(1)
        machine.edit_draft(1, "gamma", "writer")
        machine.review_properly(1)
        machine.readers_get_exactly_what_was_approved()
        machine.revert_to_an_approved_revision(1, 1)
        machine.readers_get_exactly_what_was_approved()
        assert PublishingMachine.outcomes["refused"] >= 2
    finally:
        machine.teardown()
