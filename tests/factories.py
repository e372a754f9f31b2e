"""Factories for Vetted's content; tests build data through these."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from content_models.models import ArticleIndexPage, ArticlePage, Author, MedicalReviewer, Topic
from content_models.models.people import interests_declare, reviewer_credentials_verify
from workflows.roles import CLINICIANS, EDITORS, WRITERS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct horse battery staple")
    is_active = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get(name=name))


def writer(**kwargs):
    return UserFactory(groups=[WRITERS], **kwargs)


def editor(**kwargs):
    return UserFactory(groups=[EDITORS], **kwargs)


def clinician(**kwargs):
    return UserFactory(groups=[CLINICIANS], **kwargs)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")
    bio = "Writes about cancer care for patients and families."


class MedicalReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicalReviewer
        skip_postgeneration_save = True

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"reviewer-{n}")
    credentials = "M.D."
    specialty = "Hematology and oncology"
    organization = "Northside Clinical Review"
    bio = "A practising oncologist who reviews patient information."
    user = factory.SubFactory(UserFactory, groups=[CLINICIANS])
    credentials_verified_until = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=365)
    )

    @factory.post_generation
    def declared(self, create, extracted, **kwargs):
        """A reviewer declares their interests before approving: by default, none;
        ``declared=[…]`` declares those, ``declared=False`` nothing at all."""
        if create and extracted is not False:
            interests_declare(reviewer=self, declared_by=self.user, interests=extracted or [])


def article_index():
    """The site's article index, created under the root page on first use."""
    existing = ArticleIndexPage.objects.first()
    if existing:
        return existing
    home = Page.objects.get(depth=2)
    index = ArticleIndexPage(title="Articles", slug="articles")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def body(*paragraphs, heading="What it is"):
    blocks = [{"type": "heading", "value": heading}]
    blocks += [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]
    return blocks


def article_draft(*, title="What is HER2?", author=None, medical_reviewer=None, topics=(), **kw):
    """An unpublished article with one saved revision."""
    page = ArticlePage(
        title=title,
        summary=kw.pop("summary", "HER2 is a protein that can make breast cancer grow faster."),
        key_takeaways=kw.pop(
            "key_takeaways",
            [{"type": "takeaway", "value": "HER2-positive cancers respond to targeted drugs."}],
        ),
        body=kw.pop("body", body("HER2 is a growth receptor found on breast cells.")),
        author=author or AuthorFactory(),
        medical_reviewer=medical_reviewer,
        live=False,
        **kw,
    )
    article_index().add_child(instance=page)
    if topics:
        page.topics.set(topics)
    page.save_revision()
    return ArticlePage.objects.get(pk=page.pk)


def approve_revision(page, *, revision=None, comment="Clinically accurate."):
    """Record the assigned reviewer's approval of `page`'s latest (or given) revision."""
    from workflows.services import approval_record

    revision = revision or page.get_latest_revision()
    content = revision.as_object()
    return approval_record(
        article=content,
        revision=revision,
        reviewer_user=content.medical_reviewer.user,
        comment=comment,
    )


def published_article(**kwargs):
    """A live article whose content its assigned reviewer approved (through the gate)."""
    kwargs.setdefault("medical_reviewer", MedicalReviewerFactory())
    page = article_draft(**kwargs)
    approve_revision(page)
    page.get_latest_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


def published_correction(page, note, *, paragraph=None):
    """Correct live `page` with `note` (and a new `paragraph`), approved and published."""
    draft = page.get_latest_revision_as_object()
    draft.body = body(paragraph or f"Corrected: {note}")
    draft.change_kind, draft.correction_note = "correction", note
    revision = draft.save_revision()
    approve_revision(page, revision=revision)
    revision.publish()
    return ArticlePage.objects.get(pk=page.pk)


def credentials_verified(reviewer, until, *, by=None):
    """Record, as an editor would, that `reviewer`'s credentials are verified until `until`."""
    return reviewer_credentials_verify(
        reviewer=reviewer,
        verified_by=by or editor(username="verifying_editor"),
        verified_until=until,
        registry="GMC",
        licence_number="7012345",
    )
