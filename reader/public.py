"""What readers may see of the page tree: decided here and nowhere else.

The delivery API's selectors and the reader document's links both ask
`pages_public()`, so an article is public to a link exactly when it is public
to the API.
"""

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Substr
from wagtail.models import Page, PageViewRestriction


def pages_public(queryset):
    """`queryset` (of pages) narrowed to live pages outside any private section.

    This is Wagtail's ``live().public()`` with the restriction check written as
    a subquery: ``public()`` reads every restriction while the queryset is being
    built, a query each time, which every filter and count would repeat.
    """
    return queryset.filter(live=True).filter(~Exists(restrictions_above(path="path")))


def restrictions_above(*, path):
    """View restrictions on the page at `path` (an outer reference) or one above it."""
    return PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef(path), 1, F("page__depth") * Page.steplen)
    )
