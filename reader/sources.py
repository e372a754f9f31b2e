"""What a reader document shows from outside its article, read at one moment.

A document is rendered from an article and its *sources*: the public articles
its body links to (slug and title), the images it shows (rendition and file
hash), its topics and its people (names and credentials as shown). Sources are
plain JSON-ready data, so an approval keeps the very snapshot its document was
rendered from, and rendering the same article with that snapshot gives the
approved document again, whatever has changed elsewhere since.

Ids are keys as strings (as JSON keeps them).
"""

from django.db.models import Q
from wagtail.images import get_image_model

from .body import body_article_ids, body_article_slugs, body_image_ids
from .images import BODY_IMAGE_FILTER, image_file_hash, image_rendition
from .public import pages_public

EMPTY = {"articles": {}, "images": {}, "topics": {}, "authors": {}, "reviewers": {}}


def sources_read(article):
    """The sources of `article` (a live row or a revision's content) as they are now."""
    blocks = list(article.body.raw_data)
    article_ids, slugs, image_ids = (
        body_article_ids(blocks),
        body_article_slugs(blocks),
        body_image_ids(blocks),
    )
    return {
        "articles": _articles_public(type(article), ids=article_ids, slugs=slugs),
        "images": _images(ids=image_ids),
        # Everything looked up, found or not: a target missing from here was added
        # to the article after this snapshot, and renders as unreviewed.
        "looked_up": {
            "articles": sorted(str(pk) for pk in article_ids),
            "images": sorted(str(pk) for pk in image_ids),
        },
        "topics": {
            str(topic.pk): {"name": topic.name, "slug": topic.slug}
            for topic in article.topics.all()
        },
        "authors": _people([related_or_none(article, "author")], fields=("name", "slug")),
        "reviewers": _people(
            [related_or_none(article, "medical_reviewer")],
            fields=("name", "slug", "credentials", "specialty", "organization"),
        ),
    }


def sources_withdrawn(sources, *, model):
    """`sources` less what has since been withdrawn from readers, with today's addresses.

    The one change from elsewhere that reaches a live document at once, because
    it only removes: a linked article that is no longer public (unpublished,
    deleted or made private) and an image that was deleted or whose file is no
    longer the one approved (its hash or its name in storage changed). The
    document then renders that link as plain text
    and leaves that block out. Images keep their approved file, served from
    where the media storage keeps its rendition today.
    """
    articles = sources.get("articles", {})
    public = {
        str(pk)
        for pk in pages_public(model.objects)
        .filter(pk__in=[int(pk) for pk in articles])
        .values_list("pk", flat=True)
    }
    images = _images(ids=[int(pk) for pk in sources.get("images", {})])
    return {
        **sources,
        "articles": {pk: value for pk, value in articles.items() if pk in public},
        "images": {
            pk: {**approved, "url": images[pk]["url"]}
            for pk, approved in sources.get("images", {}).items()
            if pk in images
            and images[pk]["file_hash"] == approved["file_hash"]
            and images[pk]["file"] == approved.get("file", images[pk]["file"])
        },
    }


def _articles_public(model, *, ids, slugs=()):
    if not ids and not slugs:
        return {}
    rows = (
        pages_public(model.objects)
        .filter(Q(pk__in=ids) | Q(slug__in=slugs))
        .values_list("pk", "slug", "title")
    )
    return {str(pk): {"slug": slug, "title": title} for pk, slug, title in rows}


def _images(*, ids):
    if not ids:
        return {}
    found = get_image_model().objects.prefetch_renditions(BODY_IMAGE_FILTER).in_bulk(ids)
    images = {}
    for pk, image in found.items():
        rendition = image_rendition(image=image, filter_spec=BODY_IMAGE_FILTER, alt="")
        if rendition is None:  # the file is unreadable: the block is left out
            continue
        images[str(pk)] = {
            "url": rendition["url"],
            "width": rendition["width"],
            "height": rendition["height"],
            "file_hash": image_file_hash(image),
            "file": image.file.name,
        }
    return images


def _people(people, *, fields):
    return {
        str(person.pk): {name: getattr(person, name) or "" for name in fields}
        for person in people
        if person is not None
    }


def related_or_none(article, name):
    # A draft may not have chosen its author yet; reading the relation would raise.
    return getattr(article, name) if getattr(article, f"{name}_id") is not None else None
