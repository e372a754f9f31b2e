from wagtail.models import PageViewRestriction

from api import selectors
from content_models.models import ArticlePage
from tests.factories import article_draft, article_index, published_article

from .helpers import private_article, unapproved_edit, unpublished_article


def wagtail_public_ids():
    return set(ArticlePage.objects.live().public().values_list("pk", flat=True))


def public_ids():
    return set(selectors.articles_public().values_list("pk", flat=True))


def test_articles_public_is_wagtails_live_and_public():
    shown = published_article(slug="shown")
    edited = unapproved_edit(published_article(slug="edited"), title="Unapproved")
    article_draft(slug="draft")
    unpublished_article(slug="withdrawn")
    private_article(slug="private")

    assert public_ids() == wagtail_public_ids() == {shown.pk, edited.pk}


def test_a_restriction_on_the_index_hides_every_article():
    published_article(slug="one")
    published_article(slug="two")
    PageViewRestriction.objects.create(page=article_index(), restriction_type="login")

    assert public_ids() == wagtail_public_ids() == set()


def test_articles_public_builds_without_querying(django_assert_num_queries):
    with django_assert_num_queries(0):
        selectors.articles_public()
        selectors.topics_public()
        selectors.authors_public()
        selectors.reviewers_public()


def test_article_links_name_only_public_targets():
    shown = published_article(slug="shown", title="Shown")
    draft = article_draft(slug="draft")
    withdrawn = unpublished_article(slug="withdrawn")

    links = selectors.article_links(ids={shown.pk, draft.pk, withdrawn.pk, 999_999})

    assert links == {shown.pk: ("shown", "Shown")}


def test_articles_matching_narrows_without_reordering():
    published_article(slug="first", title="Kidney stones")
    published_article(slug="second", title="Kidney disease")
    published_article(slug="other", title="Migraine")
    queryset = selectors.articles_ordered(queryset=selectors.article_documents(), ordering="title")

    matching = selectors.articles_matching(queryset=queryset, text="kidney")

    assert [document.slug for document in matching] == ["second", "first"]
