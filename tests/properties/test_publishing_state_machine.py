"""Random use of the workflow against the publishing gate.

A Hypothesis state machine lets several people (writers, editors, the assigned
and an unassigned clinician, a superuser) do anything to a few articles by any
path: edit, reassign the reviewer, submit, decide any step as anyone, resume,
cancel, publish, force a live save, schedule behind the gate's back and run
`publish_scheduled`, revert, copy, alias, unpublish, let credentials lapse.
After every step: each live article shows content its assigned reviewer
approved, and the API shows exactly the live articles with their live text
and no draft.

CI runs a bounded profile; ``make soak`` runs the long one
(``HYPOTHESIS_PROFILE=soak``).
"""

import datetime
import io
import json
import os

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from wagtail.models import Revision

from cms.roles import roles_ensure
from content_models.models import ArticlePage, MedicalReviewer
from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    UserFactory,
    article_draft,
    article_index,
    clinician,
    editor,
    writer,
)
from workflows.fingerprints import reviewed_content
from workflows.models import MedicalApproval
from workflows.roles import EDITORS
from workflows.services import medical_review_workflow_ensure

settings.register_profile(
    "ci",
    max_examples=20,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "soak",
    max_examples=1000,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

PEOPLE = ["writer", "editor", "clin_a", "clin_b", "superuser"]
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
    @rule(i=st.integers(0, ARTICLES - 1), words=st.sampled_from(["alpha", "beta", "gamma"]))
    def edit_draft(self, i, words):
        def run():
            draft = self.page(i).get_latest_revision_as_object()
            draft.summary = f"{self.unique('draft')} {words}"
            draft.save_revision(user=self.users["writer"])

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1), to=st.sampled_from(["a", "b"]))
    def reassign_reviewer(self, i, to):
        def run():
            draft = self.page(i).get_latest_revision_as_object()
            draft.medical_reviewer = self.reviewers[to]
            draft.save_revision(user=self.users["editor"])

        self.attempt(run)

    @rule(i=st.integers(0, ARTICLES - 1), who=st.sampled_from(["writer", "editor"]))
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

        def run():
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

        self.attempt(run)

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

    @rule(who=st.sampled_from(["a", "b"]), lapsed=st.booleans())
    def credentials(self, who, lapsed):
        reviewer = self.reviewers[who]
        reviewer.credentials_verified_until = timezone.localdate() + datetime.timedelta(
            days=-1 if lapsed else 365
        )
        reviewer.save()

    # --- the invariant ---------------------------------------------------------
    @invariant()
    def live_content_is_what_its_reviewer_approved(self):
        for page in ArticlePage.objects.live().select_related("medical_reviewer"):
            assert page.medical_reviewer is not None, page
            content = reviewed_content(page)
            approved = [
                reviewed_content(approval.revision.as_object())
                for approval in MedicalApproval.objects.filter(
                    page_id=page.pk, reviewer=page.medical_reviewer.user
                ).select_related("revision")
            ]
            assert content in approved, f"{page.slug} is live with unapproved content"

    @invariant()
    def api_shows_exactly_the_live_text(self):
        cache.clear()
        live = {p.slug: p for p in ArticlePage.objects.live()}
        listing = json.loads(self.client.get("/api/v1/articles/", {"page_size": 100}).content)
        assert {item["slug"] for item in listing["results"]} == set(live)
        assert listing["count"] == len(live)
        for slug, page in live.items():
            detail = json.loads(self.client.get(f"/api/v1/articles/{slug}/").content)
            assert (detail["title"], detail["summary"]) == (page.title, page.summary)
        drafts = json.loads(self.client.get("/api/v1/articles/", {"search": "draft"}).content)
        shown = {item["slug"] for item in drafts["results"]}
        assert all("draft" in live[slug].summary for slug in shown), "a draft leaked"


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
    reviewers = {
        "a": MedicalReviewerFactory(user=users["clin_a"]),
        "b": MedicalReviewerFactory(user=users["clin_b"]),
    }
    author = AuthorFactory(user=users["writer"])
    articles = [
        article_draft(
            title=f"Article {n}",
            slug=f"article-{n}",
            author=author,
            medical_reviewer=reviewers["ab"[n % 2]],
        ).pk
        for n in range(ARTICLES)
    ]
    return {
        "users": {name: user.pk for name, user in users.items()},
        "reviewers": {name: reviewer.pk for name, reviewer in reviewers.items()},
        "articles": articles,
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
