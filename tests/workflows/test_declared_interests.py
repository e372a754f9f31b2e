"""Declared interests: a reviewer with a current interest in an article's topic cannot approve it,
and a reviewer whose declaration is missing or old is asked to declare before approving."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from content_models.models import (
    DeclaredInterest,
    DeclaredInterestTopic,
    InterestDeclaration,
)
from content_models.models.people import interests_declare
from tests.factories import (
    MedicalReviewerFactory,
    TopicFactory,
    approve_revision,
    article_draft,
    writer,
)
from tests.served import served_as_approved, served_detail
from tests.workflows.flow import act, edit, fresh, through_editorial
from workflows.models import ImmutableRecordError, MedicalApproval

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def her2(index):
    return TopicFactory(name="HER2", slug="her2")


@pytest.fixture
def her2_article(article, her2):
    article.topics.set([her2])
    article.save_revision()
    return fresh(article)


def declare(reviewer, *interests, by=None):
    return interests_declare(
        reviewer=reviewer, declared_by=by or reviewer.user, interests=list(interests)
    )


def consultancy(topics, *, started=TODAY - 30 * DAY, ended=None, organization="Halvorsen"):
    return {
        "organization": organization,
        "relation": DeclaredInterest.Relation.CONSULTANCY,
        "topics": topics,
        "products": "",
        "started": started,
        "ended": ended,
    }


def test_a_current_interest_in_a_topic_of_the_article_refuses_its_approval(
    her2_article, people, her2
):
    declare(people["reviewer"], consultancy([her2]))
    through_editorial(her2_article, people)

    with pytest.raises(PermissionDenied) as refused:
        act(her2_article, people["clinician"], "approve")

    message = str(refused.value)
    assert "consultancy or advisory role with Halvorsen" in message
    assert "HER2" in message
    assert "Ask an editor to reassign" in message
    assert not MedicalApproval.objects.filter(page_id=her2_article.pk).exists()
    assert not fresh(her2_article).live
    assert served_detail(her2_article.slug) is None


def test_an_interest_that_has_ended_does_not_refuse(her2_article, people, her2):
    declare(people["reviewer"], consultancy([her2], started=TODAY - 400 * DAY, ended=TODAY - DAY))
    through_editorial(her2_article, people)

    act(her2_article, people["clinician"], "approve")

    assert served_as_approved(fresh(her2_article)) is not None


def test_an_interest_ending_today_still_refuses(her2_article, people, her2):
    declare(people["reviewer"], consultancy([her2], ended=TODAY))
    through_editorial(her2_article, people)
    with pytest.raises(PermissionDenied, match="Halvorsen"):
        act(her2_article, people["clinician"], "approve")


def test_an_interest_starting_later_does_not_refuse_yet(her2_article, people, her2):
    declare(people["reviewer"], consultancy([her2], started=TODAY + DAY))
    through_editorial(her2_article, people)
    act(her2_article, people["clinician"], "approve")
    assert served_as_approved(fresh(her2_article)) is not None


def test_an_interest_in_another_topic_does_not_refuse(her2_article, people, index):
    declare(people["reviewer"], consultancy([TopicFactory(name="Cardiology")]))
    through_editorial(her2_article, people)
    act(her2_article, people["clinician"], "approve")
    assert served_as_approved(fresh(her2_article)) is not None


def test_only_the_latest_declaration_counts(her2_article, people, her2):
    declare(people["reviewer"], consultancy([her2]))
    declare(people["reviewer"])  # the role was given up: nothing to declare now
    through_editorial(her2_article, people)
    act(her2_article, people["clinician"], "approve")
    assert served_as_approved(fresh(her2_article)) is not None
    # The earlier declaration is kept, as history.
    assert people["reviewer"].declarations.count() == 3


def test_a_reviewer_who_never_declared_is_asked_to_declare(index, people):
    reviewer = MedicalReviewerFactory(declared=False)
    page = article_draft(author=people["author"], medical_reviewer=reviewer)
    through_editorial(page, people)

    with pytest.raises(PermissionDenied) as refused:
        act(page, reviewer.user, "approve")

    assert "You have not declared your interests yet" in str(refused.value)
    assert "Declare interests" in str(refused.value)
    assert not fresh(page).live


@pytest.mark.parametrize(("age_days", "refused"), [(40, True), (20, False)])
def test_a_declaration_older_than_the_period_must_be_renewed(
    settings, index, people, age_days, refused
):
    settings.VETTED = {**getattr(settings, "VETTED", {}), "INTEREST_DECLARATION_MAX_AGE_DAYS": 30}
    reviewer = MedicalReviewerFactory(declared=False)
    InterestDeclaration.objects.create(
        reviewer=reviewer,
        declared_by=reviewer.user,
        declared_at=timezone.now() - age_days * DAY,
    )
    page = article_draft(author=people["author"], medical_reviewer=reviewer)
    through_editorial(page, people)

    if refused:
        with pytest.raises(PermissionDenied, match="more than 30 days ago. Renew it"):
            act(page, reviewer.user, "approve")
        assert not fresh(page).live
        declare(reviewer)  # renewed
    act(page, reviewer.user, "approve")
    assert served_as_approved(fresh(page)) is not None


def test_an_interest_declared_after_the_approval_stops_it_putting_content_live(
    her2_article, people, her2
):
    revision = fresh(her2_article).get_latest_revision()
    approve_revision(her2_article, revision=revision)
    declare(people["reviewer"], consultancy([her2]))

    with pytest.raises(PermissionDenied, match="has declared consultancy or advisory role"):
        revision.publish()

    assert not fresh(her2_article).live
    assert served_detail(her2_article.slug) is None


def test_a_live_article_stays_live_when_its_reviewer_declares_an_interest(
    her2_article, people, her2
):
    """Declaring is not a takedown: the approved text stays until the article is reviewed
    again, by a reviewer without the interest."""
    through_editorial(her2_article, people)
    act(her2_article, people["clinician"], "approve")
    declare(people["reviewer"], consultancy([her2]))

    assert served_as_approved(fresh(her2_article)) is not None
    edit(her2_article, summary="A new summary about HER2.")
    through_editorial(her2_article, people)
    with pytest.raises(PermissionDenied, match="Halvorsen"):
        act(her2_article, people["clinician"], "approve")
    assert served_detail(her2_article.slug)["summary"] != "A new summary about HER2."


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"organization": " "}, "Name the organisation"),
        ({"relation": "friendship"}, "Choose what the relation is"),
        ({"started": None}, "Say from when"),
        ({"ended": TODAY - 100 * DAY}, "cannot end before it starts"),
        ({"topics": []}, "Name the topics or the products"),
    ],
)
def test_a_bad_declaration_is_refused_and_records_nothing(people, her2, change, complaint):
    reviewer = people["reviewer"]
    before = reviewer.declarations.count()
    with pytest.raises(ValidationError, match=complaint):
        declare(reviewer, {**consultancy([her2]), **change})
    assert reviewer.declarations.count() == before


def test_an_interest_may_concern_products_alone(people, her2_article):
    declare(
        people["reviewer"],
        {**consultancy([]), "products": "An investigational HER2-targeted antibody"},
    )
    through_editorial(her2_article, people)
    act(her2_article, people["clinician"], "approve")  # no topic named: the rule cannot tell
    assert DeclaredInterest.objects.filter(products__startswith="An investigational").exists()


def test_nobody_else_declares_for_a_reviewer(people, her2):
    with pytest.raises(PermissionDenied, match="Only the clinician, or an editor"):
        declare(people["reviewer"], by=writer(username="not_the_clinician"))
    with pytest.raises(PermissionDenied):
        declare(people["reviewer"], by=people["other_clinician"])
    declare(people["reviewer"], consultancy([her2]), by=people["editor"])
    latest = people["reviewer"].declarations.first()
    assert latest.declared_by == people["editor"]


def test_declarations_are_permanent_records(people, her2):
    declaration = declare(people["reviewer"], consultancy([her2]))
    interest = declaration.interests.get()
    refused_writes = [
        lambda: InterestDeclaration.objects.filter(pk=declaration.pk).update(
            declared_at=timezone.now()
        ),
        lambda: declaration.delete(),
        lambda: DeclaredInterest.objects.filter(pk=interest.pk).update(ended=TODAY),
        lambda: interest.topics.remove(her2),
        lambda: interest.topics.clear(),
    ]
    for write in refused_writes:
        with pytest.raises(ImmutableRecordError), transaction.atomic():
            write()
    assert list(fresh_interest(interest).topics.all()) == [her2]
    assert fresh_interest(interest).ended is None


def fresh_interest(interest):
    return DeclaredInterest.objects.get(pk=interest.pk)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the database trigger is PostgreSQL's (run with DATABASE_URL=postgres://…)",
)
@pytest.mark.parametrize(
    "table",
    [
        "content_models_interestdeclaration",
        "content_models_declaredinterest",
        "content_models_declaredinteresttopic",
    ],
)
def test_postgresql_refuses_raw_changes_to_declarations(people, her2, table):
    declare(people["reviewer"], consultancy([her2]))
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with (
            pytest.raises(DatabaseError, match="permanent record"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert DeclaredInterestTopic.objects.filter(topic=her2).count() == 1
