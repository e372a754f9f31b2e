"""The query parameters of the article list: `topic`, `author`, `reviewer`, `search`, `ordering`.

Each names what is wrong with a bad value (400) instead of ignoring it. A slug
filter accepts exactly the slugs its own endpoint lists (`/api/v1/topics/`,
`/authors/`, `/reviewers/`); any other slug, unknown or not public, is a 400.
"""

import django_filters
from django import forms
from django.core.validators import slug_re

from . import selectors

SEARCH_MAX_LENGTH = 200
SLUG_MAX_LENGTH = 150


class PublicSlugField(forms.ModelChoiceField):
    def to_python(self, value):
        # Checked before the lookup: a malformed value never reaches the database.
        if value in self.empty_values:
            return None
        if len(value) > SLUG_MAX_LENGTH or not slug_re.fullmatch(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value[:50]},
            )
        return super().to_python(value)


class PublicSlugFilter(django_filters.ModelChoiceFilter):
    field_class = PublicSlugField

    def __init__(self, *, listed_at, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs["error_messages"] = {
            "invalid_choice": f"“%(value)s” is not one of the slugs listed at {listed_at}."
        }
        super().__init__(**kwargs)


class ArticleFilterSet(django_filters.FilterSet):
    topic = PublicSlugFilter(
        field_name="topics",
        queryset=lambda request: selectors.topics_public(),
        listed_at="/api/v1/topics/",
        help_text="Only articles filed under this topic (a slug from /api/v1/topics/).",
    )
    author = PublicSlugFilter(
        field_name="author",
        queryset=lambda request: selectors.authors_public(),
        listed_at="/api/v1/authors/",
        help_text="Only articles by this author (a slug from /api/v1/authors/).",
    )
    reviewer = PublicSlugFilter(
        field_name="medical_reviewer",
        queryset=lambda request: selectors.reviewers_public(),
        listed_at="/api/v1/reviewers/",
        help_text="Only articles reviewed by this clinician (a slug from /api/v1/reviewers/).",
    )
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=f"Full-text search (at most {SEARCH_MAX_LENGTH} characters). "
        "Narrows the results; `ordering` still orders them.",
    )
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering",
        choices=[(name, name) for name in selectors.ARTICLE_ORDERINGS],
        error_messages={
            "invalid_choice": "Unknown ordering “%(value)s”: use one of "
            + ", ".join(selectors.ARTICLE_ORDERINGS)
            + "."
        },
        help_text=f"Default `{selectors.DEFAULT_ARTICLE_ORDERING}`.",
    )

    def filter_search(self, queryset, name, value):
        return selectors.articles_matching(queryset=queryset, text=value)

    def filter_ordering(self, queryset, name, value):
        return selectors.articles_ordered(queryset=queryset, ordering=value)
