"""The article list without a search, its two queries compiled once per shape.

A list narrowed by `topic`, `author` or `reviewer` slugs, in one `ordering`,
always runs the same SQL with other values: its count and its page (the page's
limit and offset are parameters too). Each shape (which filters, which
ordering: 40 at most) is built once through the list's own filters
(`api.filters`) from the public documents (`api.selectors`), and compiled once
per connection (`api.compiled`). A search's SQL depends on its words, so a
search is built per request.
"""

from . import selectors
from .compiled import CompiledQuery
from .filters import ArticleFilterSet

# The list's filters whose values are slugs, each one parameter of the SQL.
SLUG_FILTERS = ("topic", "author", "reviewer")

_SHAPES = {}


class ListQueries:
    """The count and the page of one shape of the article list."""

    def __init__(self, *, filters, ordering):
        self.filters, self.ordering = filters, ordering
        self.count = CompiledQuery(self._count)
        self.page = CompiledQuery(self._page, window=True)

    def _filtered(self, base, markers):
        filterset = ArticleFilterSet(data={**markers, "ordering": self.ordering}, queryset=base)
        if not filterset.is_valid():
            raise ValueError(f"The list's filters refused their markers: {filterset.errors}")
        return filterset.qs

    def _count(self, **markers):
        return selectors.article_documents_count_statement(
            listed=self._filtered(selectors.article_documents(), markers),
            unchecked=self._filtered(selectors.article_documents_unchecked(), markers),
        )

    def _page(self, **markers):
        return self._filtered(selectors.article_documents(), markers).values_list(
            "summary", "article_id"
        )


def list_queries(*, filters, ordering):
    """The `ListQueries` of the list narrowed by `filters` (names) in `ordering`."""
    key = (frozenset(filters), ordering)
    if key not in _SHAPES:
        _SHAPES[key] = ListQueries(filters=key[0], ordering=ordering)
    return _SHAPES[key]


class PageRows:
    """The rows of a list, read a page at a time: what a Paginator slices."""

    def __init__(self, query, values):
        self.query, self.values = query, values

    def __getitem__(self, window):
        return self.query.rows(
            limit=window.stop - window.start, offset=window.start, **self.values
        )
