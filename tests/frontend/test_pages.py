"""The reference frontend's public pages: what a reader sees, built only from the API."""

import datetime
import re

import pytest
from django.utils import timezone

from content_models.models import MedicalReviewer
from content_models.models.people import interests_declare
from tests.api.helpers import (
    image,
    page_link,
    paragraph,
    private_article,
    unapproved_edit,
    unpublished_article,
)
from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    TopicFactory,
    article_draft,
    published_article,
    published_correction,
)
from tests.factories import body as article_body

from .html import assert_accessible_structure, elements, headings, text


def long_date(moment):
    return f"{moment:%B} {moment.day}, {moment.year}"


@pytest.fixture
def her2():
    return published_article(
        title="What Is HER2?",
        slug="what-is-her2",
        summary="HER2 is a protein that tells cells to grow.",
        key_takeaways=[
            {"type": "takeaway", "value": "HER2 is a protein that helps cells grow."},
            {"type": "takeaway", "value": "Testing tells your team your HER2 status."},
        ],
        body=[
            paragraph("<p>After a diagnosis you will hear <b>new words</b>.</p>"),
            {"type": "heading", "value": "What the HER2 gene does"},
            paragraph("<p>It relays a message to grow.</p>"),
            {"type": "bullet_list", "value": ["Immunohistochemistry (IHC)", "FISH"]},
            {
                "type": "callout",
                "value": {
                    "tone": "info",
                    "title": "Not an inherited change",
                    "text": "<p>It is not passed down through families.</p>",
                },
            },
            {
                "type": "citation",
                "value": {
                    "title": "Breast Cancer HER2 Status",
                    "source": "American Cancer Society",
                    "url": "https://www.cancer.org/her2.html",
                    "doi": "10.1000/xyz123",
                    "pubmed_id": "12345678",
                    "accessed": "2026-01-15",
                },
            },
        ],
        author=AuthorFactory(
            name="Priya Raman", slug="priya-raman", bio="Priya trained in cell biology."
        ),
        medical_reviewer=MedicalReviewerFactory(
            name="Amara Okafor",
            slug="amara-okafor",
            credentials="M.D.",
            specialty="Medical oncology",
            organization="Lakeshore Cancer Institute",
            bio="Dr. Okafor is a medical oncologist.",
        ),
        topics=[TopicFactory(name="HER2", slug="her2")],
    )


def test_article_page_is_laid_out_like_the_reference_article(client, her2):
    response = client.get("/articles/what-is-her2/")

    assert response.status_code == 200
    shown = text(response)
    assert f"Posted on {long_date(her2.first_published_at)}" in shown
    assert "Article written by Priya Raman" in shown
    assert f"Medically reviewed by Amara Okafor, M.D. on {long_date(her2.reviewed_at)}" in shown
    assert [text for _level, text in headings(response)][:4] == [
        "What Is HER2?",
        "Key takeaways",
        "What the HER2 gene does",
        "Sources",
    ]
    assert "HER2 is a protein that helps cells grow. Testing tells your team" in shown
    assert "It relays a message to grow. Immunohistochemistry (IHC) FISH" in shown
    assert "Not an inherited change It is not passed down through families." in shown
    # Bios at the foot, with links to everything each person wrote or reviewed.
    assert "Priya Raman Writer Priya trained in cell biology." in shown
    assert (
        "Amara Okafor, M.D. Medical reviewer · Medical oncology, Lakeshore Cancer Institute "
        "Dr. Okafor is a medical oncologist." in shown
    )
    hrefs = [attrs.get("href") for attrs in elements(response, "a")]
    assert {"/authors/priya-raman/", "/reviewers/amara-okafor/", "/topics/her2/"} <= set(hrefs)
    assert_accessible_structure(response)


def test_rich_text_keeps_its_markup_and_plain_text_is_escaped(client):
    published_article(
        title="Markup <b>in</b> a title",
        slug="markup",
        body=[
            {"type": "heading", "value": "Fish & <i>chips</i>"},
            paragraph("<p>Some <b>bold</b> text.<script>alert('x')</script></p>"),
        ],
    )

    html = client.get("/articles/markup/").content.decode()

    assert "Some <b>bold</b> text." in html
    assert "<script>alert" not in html
    assert "Markup &lt;b&gt;in&lt;/b&gt; a title" in html
    assert "Fish &amp; &lt;i&gt;chips&lt;/i&gt;" in html


def test_citations_are_listed_as_sources_with_safe_links_only(client, her2):
    published_article(
        title="Scripted source",
        slug="scripted-source",
        body=[
            {
                "type": "citation",
                "value": {"title": "A trap", "source": "Nowhere", "url": "javascript:alert(1)"},
            }
        ],
    )

    sources = client.get("/articles/what-is-her2/")
    trap = client.get("/articles/scripted-source/")

    assert (
        "Sources Breast Cancer HER2 Status. American Cancer Society. DOI: 10.1000/xyz123. "
        "PubMed: 12345678. Accessed January 15, 2026." in text(sources)
    )
    hrefs = {attrs.get("href") for attrs in elements(sources, "a")}
    assert {
        "https://www.cancer.org/her2.html",
        "https://doi.org/10.1000/xyz123",
        "https://pubmed.ncbi.nlm.nih.gov/12345678/",
    } <= hrefs
    assert "A trap" in text(trap)
    assert "javascript:" not in trap.content.decode()


def test_read_more_links_to_the_other_article_on_this_frontend(client):
    target = published_article(title="Tests for HER2", slug="tests-for-her2")
    published_article(
        title="What Is HER2?",
        slug="what-is-her2",
        body=[
            {"type": "read_more", "value": {"article": target.pk, "text": "HER2 tests"}},
            paragraph(f"<p>See {page_link(target, 'the tests')}.</p>"),
        ],
    )

    response = client.get("/articles/what-is-her2/")

    assert "Read more about HER2 tests." in text(response)
    links = {attrs.get("href") for attrs in elements(response, "a")}
    assert "/articles/tests-for-her2/" in links
    assert client.get("/articles/tests-for-her2/").status_code == 200


def test_a_read_more_to_a_draft_is_not_shown(client):
    draft = article_draft(title="Secret draft", slug="secret-draft")
    published_article(
        title="Public",
        slug="public",
        body=[{"type": "read_more", "value": {"article": draft.pk, "text": "the secret"}}],
    )

    response = client.get("/articles/public/")

    assert "Read more" not in text(response)
    assert "secret" not in response.content.decode().lower()


def test_images_show_with_their_alt_text_and_caption(client):
    picture = image(title="Mammogram")
    published_article(
        title="Screening",
        slug="screening",
        body=[
            {
                "type": "image",
                "value": {
                    "image": picture.pk,
                    "alt_text": "A mammogram of one breast",
                    "caption": "A screening mammogram.",
                },
            }
        ],
    )

    response = client.get("/articles/screening/")

    [img] = elements(response, "img")
    assert img["alt"] == "A mammogram of one breast"
    assert img["src"].endswith(".png")
    assert int(img["width"]) > 0
    assert "A screening mammogram." in text(response)


def test_recent_articles_are_the_newest_others(client):
    for number in range(4):
        published_article(title=f"Older {number}", slug=f"older-{number}")
    published_article(title="Current", slug="current")

    response = client.get("/articles/older-0/")

    recent = text(response).split("Recent articles", 1)[1]
    assert "Current" in recent
    assert "Older 3" in recent and "Older 2" in recent
    assert "Older 1" not in recent and "Older 0" not in recent


def test_two_sections_with_the_same_heading_get_distinct_anchors(client):
    published_article(
        title="Twice",
        slug="twice",
        body=[
            {"type": "heading", "value": "Overview"},
            paragraph("<p>One.</p>"),
            {"type": "heading", "value": "Overview"},
            paragraph("<p>Two.</p>"),
        ],
    )

    response = client.get("/articles/twice/")

    ids = [attrs.get("id") for attrs in elements(response, "h2")]
    assert "section-overview" in ids and "section-overview-2" in ids


def test_an_article_past_its_review_date_says_so(client, her2, monkeypatch):
    due = her2.next_review_due
    three_days_later = due + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: three_days_later)

    response = client.get("/articles/what-is-her2/")

    assert f"due for its regular medical re-review (due {long_date(due)})" in text(response)


def test_a_corrected_article_says_when_and_what_was_corrected(client, her2):
    note = "An earlier version said HER2 is a gene test; it is a protein test."
    published_correction(her2, note, paragraph="HER2 is a protein on some breast cells.")

    response = client.get("/articles/what-is-her2/")

    today = timezone.localdate()
    assert f"Corrected on {long_date(today)}: {note}" in text(response)
    assert {"datetime": today.isoformat()} in elements(response, "time")
    assert '"@type": "CorrectionComment"' in response.content.decode()


def test_article_page_describes_its_review_as_structured_data(client):
    published_article(title="A </script> title", slug="structured")

    html = client.get("/articles/structured/").content.decode()

    head = html.split("</head>", 1)[0]
    assert '<script type="application/ld+json">' in head
    assert '"@type": "MedicalWebPage"' in head
    assert '"reviewedBy"' in head
    assert "A \\u003C/script\\u003E title" in head


def test_public_pages_may_be_cached_like_the_api(client, her2, settings):
    settings.VETTED = {**settings.VETTED, "API_CACHE_SECONDS": 42}

    response = client.get("/articles/what-is-her2/")

    assert response["Cache-Control"] == "public, max-age=42"


# --- What never shows --------------------------------------------------------------------------


def test_the_list_shows_published_articles_and_nothing_else(client, her2):
    article_draft(title="Zebra draft", slug="zebra-draft")
    unpublished_article(title="Giraffe withdrawn", slug="giraffe-withdrawn")
    private_article(title="Walrus private", slug="walrus-private")

    response = client.get("/")

    assert response.status_code == 200
    assert "What Is HER2?" in text(response)
    assert "/articles/what-is-her2/" in {attrs.get("href") for attrs in elements(response, "a")}
    for hidden in ("zebra", "giraffe", "walrus"):
        assert hidden not in response.content.decode().lower()
    assert_accessible_structure(response)


def test_an_unapproved_edit_never_shows_on_the_public_page(client, her2):
    unapproved_edit(
        her2,
        title="Narwhal title",
        summary="A narwhal summary.",
        body=article_body("Narwhal facts nobody approved."),
    )

    for path in ("/", "/articles/what-is-her2/", "/topics/her2/", "/authors/priya-raman/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "narwhal" not in response.content.decode().lower(), path
        assert "What Is HER2?" in text(response), path


@pytest.mark.parametrize(
    "make, path",
    [
        (lambda: article_draft(title="Draft", slug="draft"), "/articles/draft/"),
        (lambda: unpublished_article(title="Gone", slug="gone"), "/articles/gone/"),
        (lambda: private_article(title="Private", slug="private"), "/articles/private/"),
        (lambda: None, "/articles/no-such-article/"),
        (lambda: None, "/topics/no-such-topic/"),
        (lambda: None, "/authors/no-such-author/"),
        (lambda: None, "/reviewers/no-such-reviewer/"),
    ],
)
def test_what_the_api_does_not_publish_is_the_frontends_404_page(client, make, path):
    make()

    response = client.get(path)

    assert response.status_code == 404
    assert "Page not found" in text(response)
    # Kept briefly, never as long as content: it may be published a moment later.
    assert response["Cache-Control"] == "public, max-age=5"
    assert_accessible_structure(response)


def test_people_and_topics_of_drafts_only_are_404(client):
    article_draft(
        title="Draft",
        author=AuthorFactory(slug="draft-writer"),
        medical_reviewer=MedicalReviewerFactory(slug="draft-doc"),
        topics=[TopicFactory(slug="draft-topic")],
    )

    for path in ("/authors/draft-writer/", "/reviewers/draft-doc/", "/topics/draft-topic/"):
        assert client.get(path).status_code == 404, path


def test_api_failure_is_a_friendly_error_page(client, her2, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("api.selectors.article_detail_row", broken)

    response = client.get("/articles/what-is-her2/")

    assert response.status_code == 502
    assert "Something went wrong" in text(response)
    assert "database on fire" not in response.content.decode()
    assert_accessible_structure(response)


# --- Listings ----------------------------------------------------------------------------------


def test_topic_page_lists_only_that_topics_articles(client, her2):
    published_article(title="Fatigue tips", topics=[TopicFactory(name="Fatigue", slug="fatigue")])

    response = client.get("/topics/her2/")

    assert response.status_code == 200
    assert [text for _level, text in headings(response)][:2] == ["HER2", "Articles about HER2"]
    assert "What Is HER2?" in text(response)
    assert "Fatigue tips" not in text(response)
    assert_accessible_structure(response)


def test_author_page_has_the_bio_and_only_their_articles(client, her2):
    published_article(title="Someone else's", author=AuthorFactory(name="Other Writer"))

    response = client.get("/authors/priya-raman/")

    assert response.status_code == 200
    shown = text(response)
    assert "Priya Raman" in shown and "Priya trained in cell biology." in shown
    assert "What Is HER2?" in shown
    assert "Someone else's" not in shown
    assert_accessible_structure(response)


def test_reviewer_page_has_credentials_and_only_their_reviews(client, her2):
    published_article(title="Reviewed by another", medical_reviewer=MedicalReviewerFactory())

    response = client.get("/reviewers/amara-okafor/")

    assert response.status_code == 200
    shown = text(response)
    assert "Amara Okafor, M.D." in shown
    assert "Medical oncology, Lakeshore Cancer Institute" in shown
    assert "What Is HER2?" in shown
    assert "Reviewed by another" not in shown
    assert_accessible_structure(response)


def test_the_home_page_offers_the_topics_with_their_counts(client, her2):
    response = client.get("/")

    assert "Browse by topic" in text(response)
    assert "HER2 (1)" in text(response)
    assert "/topics/her2/" in {attrs.get("href") for attrs in elements(response, "a")}


def test_long_lists_are_paged(client):
    for number in range(11):
        published_article(title=f"Article {number:02d}", slug=f"article-{number:02d}")

    first = client.get("/")
    second = client.get("/?page=2")

    assert len(re.findall(r"Article \d\d", text(first))) == 10
    assert "Page 1 of 2" in text(first)
    assert "?page=2" in {attrs.get("href") for attrs in elements(first, "a")}
    assert "Article 00" in text(second) and "Article 10" not in text(second)
    assert "?page=1" in {attrs.get("href") for attrs in elements(second, "a")}


@pytest.mark.parametrize("page", ["3", "0", "abc", "-1"])
def test_a_page_that_does_not_exist_is_404(client, page):
    for number in range(11):
        published_article(title=f"Article {number:02d}", slug=f"article-{number:02d}")

    assert client.get("/", {"page": page}).status_code == 404


def test_the_article_index_address_leads_to_the_list(client, her2):
    response = client.get("/articles/", follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert "What Is HER2?" in text(response)


def test_wagtails_view_live_address_is_the_frontends_article_page(client, her2):
    assert her2.url == "/articles/what-is-her2/"
    assert client.get(her2.url).status_code == 200


def test_reviewer_page_shows_their_declared_interests(client, her2):
    reviewer = MedicalReviewer.objects.get(slug="amara-okafor")
    assert "Amara Okafor has declared no interests." in text(
        client.get("/reviewers/amara-okafor/")
    )

    interests_declare(
        reviewer=reviewer,
        declared_by=reviewer.user,
        interests=[
            {
                "organization": "Halvorsen Therapeutics",
                "relation": "speaker_fees",
                "topics": list(her2.topics.all()),
                "products": "A HER2 antibody",
                "started": datetime.date(2026, 3, 1),
                "ended": None,
            }
        ],
    )
    response = client.get("/reviewers/amara-okafor/")

    shown = text(response)
    assert "Declared interests" in [heading for _level, heading in headings(response)]
    assert "Speaker fees: Halvorsen Therapeutics" in shown
    assert "A HER2 antibody" in shown and "from March 1, 2026" in shown
    assert_accessible_structure(response)
