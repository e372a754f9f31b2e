"""The query parameters of the article list: `topic`, `author`, `reviewer`, `search`, `ordering`.

Each names what is wrong with a malformed value (400) instead of ignoring it. A
well-formed slug that no public article has (a topic whose last article was just
withdrawn) matches nothing: a 200 with an empty list, as a frontend's "no
articles yet" page and every cache in front of it expect.
"""

import django_filters
from django import forms
from django.core.validators import slug_re
from drf_spectacular.utils import extend_schema_field

from . import selectors

SEARCH_MAX_LENGTH = 200
SLUG_MAX_LENGTH = 150
# `slug_re` in the schema's dialect (ECMA 262), which has no ``\Z``.
SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"


class PublicSlugField(forms.CharField):
    """A slug, checked for its form only."""

    def __init__(self, *, listed_at, **kwargs):
        self.malformed_message = (
            f"“%(value)s” is not a slug: use one listed at {listed_at} "
            "(letters, digits, hyphens and underscores)."
        )
        # Not stripped: " her2" is not a slug, as the schema's pattern says.
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > SLUG_MAX_LENGTH or not slug_re.fullmatch(value):
            # Checked before any lookup: a malformed value never reaches the database.
            raise forms.ValidationError(
                self.malformed_message, code="invalid", params={"value": value[:50]}
            )
        return value


# The schema says what a well-formed slug is; one that nothing public has matches nothing.
@extend_schema_field({"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX_LENGTH})
class PublicSlugFilter(django_filters.CharFilter):
    field_class = PublicSlugField


@extend_schema_field({"type": "string", "maxLength": SEARCH_MAX_LENGTH, "pattern": r"^[^\x00]*$"})
class SearchFilter(django_filters.CharFilter):
    """Free text as the schema states it: at most `max_length` characters as sent (not
    stripped first), and no NUL (Django's form field refuses one)."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, **kwargs)


class ArticleFilterForm(forms.Form):
    """Refuses a slug filter or `ordering` sent empty (``?topic=``), as the schema's
    slug pattern and ordering enum do: an empty value quietly meaning "all" would hide a
    client's bug as an unknown slug would. An empty `search` narrows nothing."""

    NOT_EMPTY = ("topic", "author", "reviewer", "ordering")

    def clean(self):
        for name in self.NOT_EMPTY:
            if self.data.get(name) == "":
                self.add_error(name, "Must not be empty: leave the parameter out instead.")
        return super().clean()


class ArticleFilterSet(django_filters.FilterSet):
    topic = PublicSlugFilter(
        field_name="topics__slug",
        listed_at="/api/v1/topics/",
        help_text="Only articles filed under this topic (a slug from /api/v1/topics/).",
    )
    author = PublicSlugFilter(
        field_name="author__slug",
        listed_at="/api/v1/authors/",
        help_text="Only articles by this author (a slug from /api/v1/authors/).",
    )
    reviewer = PublicSlugFilter(
        field_name="medical_reviewer__slug",
        listed_at="/api/v1/reviewers/",
        help_text="Only articles reviewed by this clinician (a slug from /api/v1/reviewers/).",
    )
    search = SearchFilter(
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

    class Meta:
        form = ArticleFilterForm

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return selectors.articles_matching(queryset=queryset, text=value)

    def filter_ordering(self, queryset, name, value):
        return selectors.articles_ordered(queryset=queryset, ordering=value)
