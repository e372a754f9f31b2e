"""Loading the demo: roles, the review workflow, people, topics and articles.

Articles are published through the real `Medical review` workflow: the demo
writer submits, the demo editor approves the editorial step and the assigned
demo clinician approves the medical step.
"""

import datetime
import json
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from api.documents import document_write
from cms import demo_content
from cms.roles import roles_ensure
from content_models.models import (
    ArticleIndexPage,
    ArticlePage,
    Author,
    DeclaredInterest,
    MedicalReviewer,
    Specialty,
    Topic,
)
from content_models.models.people import interests_declare, reviewer_credentials_verify
from feedback.models import ReaderReport
from feedback.services import report_receive
from reader.document import document_fingerprint
from workflows import gate
from workflows.models import Correction
from workflows.roles import CLINICIANS, EDITORS, WRITERS
from workflows.services import medical_review_workflow_ensure

DEMO_USERS = (
    # username, group, superuser
    ("writer", WRITERS, False),
    ("editor", EDITORS, False),
    ("clinician", CLINICIANS, False),
    ("clinician2", CLINICIANS, False),
    ("admin", None, True),
)


def home_page_ensure():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page if site else Page.objects.get(depth=2)
    if home.title != "Vetted":
        home.title = "Vetted"
        home.draft_title = "Vetted"
        home.save(update_fields=["title", "draft_title"])
    return home


def article_index_ensure(*, home):
    index = ArticleIndexPage.objects.first()
    if index is None:
        index = ArticleIndexPage(
            title="Articles",
            slug="articles",
            intro="<p>Health articles reviewed by practising clinicians.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def demo_users_ensure(*, groups, password=None):
    """Create the demo accounts that are missing; return {username: (user, new password)}."""
    User = get_user_model()
    created = {}
    for username, group_name, superuser in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            chosen = password or secrets.token_urlsafe(12)
            user = User.objects.create_user(
                username=username,
                email=f"{username}@vetted.example",
                password=chosen,
                first_name=username.capitalize(),
                is_staff=superuser,
                is_superuser=superuser,
            )
            created[username] = chosen
        if group_name:
            user.groups.add(groups[group_name])
    return {username: User.objects.get(username=username) for username, *_ in DEMO_USERS}, created


def people_ensure(*, users):
    specialties = {}
    for data in demo_content.SPECIALTIES:
        specialties[data["slug"]], _ = Specialty.objects.update_or_create(
            slug=data["slug"], defaults={"name": data["name"]}
        )
    for data in demo_content.TOPICS:
        topic, created = Topic.objects.update_or_create(
            slug=data["slug"], defaults={"name": data["name"]}
        )
        if created or not topic.specialties.exists():
            topic.specialties.set(specialties[slug] for slug in data["specialties"])
    for data in demo_content.AUTHORS:
        Author.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "bio": data["bio"],
                "user": users.get(data["username"]) if data["username"] else None,
            },
        )
    for data in demo_content.REVIEWERS:
        reviewer, created = MedicalReviewer.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "credentials": data["credentials"],
                "specialty": data["specialty"],
                "organization": data["organization"],
                "bio": data["bio"],
            },
            # Who the profile is and how long it is verified for are set once; a
            # verification is then recorded, as an editor would record it.
            create_defaults={
                "name": data["name"],
                "credentials": data["credentials"],
                "specialty": data["specialty"],
                "organization": data["organization"],
                "bio": data["bio"],
                "user": users[data["username"]],
                "credentials_verified_until": timezone.localdate(),
            },
        )
        if created:
            reviewer_credentials_verify(
                reviewer=reviewer,
                verified_by=users["editor"],
                verified_until=timezone.localdate() + datetime.timedelta(days=730),
                note="Demo data: checked against the demo register.",
            )
        if not reviewer.specialties.exists():
            reviewer.specialties.set(specialties[slug] for slug in data["specialties"])
        if not reviewer.declarations.exists():
            # Nothing to declare, for now: a reviewer declares before approving.
            interests_declare(reviewer=reviewer, declared_by=reviewer.user, interests=[])


def later_declarations_ensure():
    """The declarations made once the demo articles are live (`LATER_DECLARATIONS`)."""
    for slug, interests in demo_content.LATER_DECLARATIONS.items():
        reviewer = MedicalReviewer.objects.get(slug=slug)
        if DeclaredInterest.objects.filter(declaration__reviewer=reviewer).exists():
            continue
        interests_declare(
            reviewer=reviewer,
            declared_by=reviewer.user,
            interests=[
                {
                    **interest,
                    "topics": list(Topic.objects.filter(slug__in=interest["topics"])),
                    "started": timezone.localdate(),
                }
                for interest in interests
            ],
        )


def _stream(blocks, *, pages):
    stream = []
    for block_type, value in blocks:
        if block_type == "read_more":
            value = {"article": pages[value["article"]].pk, "text": value.get("text", "")}
        stream.append({"type": block_type, "value": value})
    return stream


def _article_draft(*, data, index, writer):
    page = ArticlePage(
        title=data["title"],
        slug=data["slug"],
        summary=data["summary"],
        key_takeaways=[{"type": "takeaway", "value": text} for text in data["key_takeaways"]],
        # "Read more" targets may not exist yet: the full body is written once they do.
        body=[{"type": t, "value": v} for t, v in data["body"] if t != "read_more"],
        author=Author.objects.get(slug=data["author"]),
        medical_reviewer=MedicalReviewer.objects.get(slug=data["reviewer"]),
        owner=writer,
    )
    index.add_child(instance=page)
    return page


def _through_workflow(*, page, users):
    """Submit, approve editorially, then approve medically as the assigned clinician."""
    workflow = page.get_workflow()
    workflow.start(page, users["writer"])
    editorial = page.current_workflow_task_state
    editorial.task.specific.on_action(editorial, users["editor"], "approve", comment="")
    page.refresh_from_db()
    medical = page.current_workflow_task_state
    clinician = page.medical_reviewer.user
    medical.task.specific.on_action(
        medical, clinician, "approve", comment="Accurate and clearly explained."
    )


@transaction.atomic
def demo_load(*, password=None, stdout=None):
    """Load the demo; idempotent. Returns the passwords of accounts it created."""
    home = home_page_ensure()
    index = article_index_ensure(home=home)
    groups = roles_ensure(article_index=index)
    medical_review_workflow_ensure(page=index, editors_group=groups[EDITORS])
    users, created = demo_users_ensure(groups=groups, password=password)
    people_ensure(users=users)

    existing = set(ArticlePage.objects.values_list("slug", flat=True))
    new = [data for data in demo_content.ARTICLES if data["slug"] not in existing]
    pages = {page.slug: page for page in ArticlePage.objects.all()}
    for data in new:
        pages[data["slug"]] = _article_draft(data=data, index=index, writer=users["writer"])
    for data in _in_link_order(new):
        page = ArticlePage.objects.get(pk=pages[data["slug"]].pk)
        page.body = _stream(_as_first_published(data), pages=pages)
        page.topics.set(Topic.objects.filter(slug__in=data["topics"]))
        page.save_revision(user=users["writer"], log_action=True)
        _through_workflow(page=page, users=users)
        posted = datetime.datetime.combine(
            datetime.date.fromisoformat(data["posted"]), datetime.time(9, 0), datetime.UTC
        )
        ArticlePage.objects.filter(pk=page.pk).update(first_published_at=posted)
        # The posting date is bookkeeping, not reviewed content: the document follows it.
        document_write(page)
    for data in new:
        # Articles that link to each other: the first approved saw its link as plain
        # text. Now that the other is live, its reviewer approves the linked version.
        page = ArticlePage.objects.get(pk=pages[data["slug"]].pk)
        if gate.covering_approval(page).fingerprint != document_fingerprint(
            page.reader_document()
        ):
            _through_workflow(page=page, users=users)
    correction_ensure(users=users)
    later_declarations_ensure()
    reader_report_ensure()
    return created, len(new)


def _as_first_published(data):
    """The body of `data` as it first went live: the demo correction's earlier words."""
    correction = demo_content.CORRECTION
    if data["slug"] != correction["article"]:
        return data["body"]
    return json.loads(
        json.dumps(data["body"]).replace(correction["corrected"], correction["earlier"])
    )


def correction_ensure(*, users):
    """The demo's published correction (`CORRECTION`), made through the workflow."""
    correction = demo_content.CORRECTION
    page = ArticlePage.objects.live().filter(slug=correction["article"]).first()
    if page is None or Correction.objects.filter(page_id=page.pk).exists():
        return
    draft = page.get_latest_revision_as_object()
    body = json.dumps(list(draft.body.raw_data))
    if correction["earlier"] not in body:
        return
    draft.body = json.loads(body.replace(correction["earlier"], correction["corrected"]))
    draft.change_kind = ArticlePage.ChangeKind.CORRECTION
    draft.correction_note = correction["note"]
    draft.save_revision(user=users["editor"], log_action=True)
    _through_workflow(page=ArticlePage.objects.get(pk=page.pk), users=users)


def reader_report_ensure():
    """One open reader report, for the clinician's queue (Reports → Reader reports)."""
    if ReaderReport.objects.exists():
        return
    article = ArticlePage.objects.live().filter(slug=demo_content.READER_REPORT["article"]).first()
    if article is not None:
        report_receive(article=article, message=demo_content.READER_REPORT["message"])


def _in_link_order(articles):
    """`articles` with each one after the articles its "read more" blocks point to.

    A clinician approves the article as readers will get it: a link to an
    article not yet live is plain text in that document, and stays so until
    the article is reviewed again. Publishing targets first keeps the links.
    """
    slugs = {data["slug"] for data in articles}
    ordered, placed = [], set()
    pending = list(articles)
    while pending:
        ready = [
            data
            for data in pending
            if {value["article"] for kind, value in data["body"] if kind == "read_more"} & slugs
            <= placed
        ]
        batch = ready or pending[:1]  # a cycle: one of them has to go first
        for data in batch:
            ordered.append(data)
            placed.add(data["slug"])
            pending.remove(data)
    return ordered
