"""The article list without a search, its two queries compiled once per shape.

A list narrowed by `topic`, `author` or `reviewer` slugs, in one `ordering`,
always runs the same SQL with other values: its count and its page (the page's
limit and offset are parameters too). Each shape (which filters, which
ordering: 40 at most) is built once through the list's own filters
(`api.filters`) from the public documents (`api.selectors`), and compiled once
per connection (`api.compiled`). A search of plain words is one more filter
whose value is the words (`api.search.plain_expression`); a search with a
phrase is built per request.
"""

import base64
import datetime
import json

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from rest_framework.exceptions import NotFound

from . import search, selectors
from .compiled import CompiledQuery
from .filters import ArticleFilterSet
from .models import ArticleDocument

# The list's filters whose values are slugs, each one parameter of the SQL.
SLUG_FILTERS = ("topic", "author", "reviewer")

_SHAPES = {}


class ListQueries:
    """The count and the page of one shape of the article list.

    A shape with ``search`` takes the value of `search.plain_expression` (plain
    words) and counts its matches up to `count_limit`; the view runs it unprepared
    (`prepared.planned_each_time`), as every search.
    """

    def __init__(self, *, ordering, count_limit=None):
        self.ordering = ordering
        self.count_limit = count_limit
        self.key, _descending = ordering_key(ordering)
        self.count = CompiledQuery(self._count)
        self.page = CompiledQuery(self._page, window=True)
        self.after = CompiledQuery(self._after, window=True)

    def _filtered(self, base, markers):
        markers = dict(markers)
        expression = markers.pop("search", None)
        filterset = ArticleFilterSet(data={**markers, "ordering": self.ordering}, queryset=base)
        if not filterset.is_valid():
            raise ValueError(f"The list's filters refused their markers: {filterset.errors}")
        if expression is None:
            return filterset.qs
        return filterset.qs.filter(search.plain_condition(expression))

    def _count(self, **markers):
        return selectors.article_documents_count_statement(
            listed=self._filtered(selectors.article_documents(), markers),
            unchecked=self._filtered(selectors.article_documents_unchecked(), markers),
            limit=self.count_limit,
        )

    def _page(self, **markers):
        return self._filtered(selectors.article_documents(), markers).values_list(
            "summary", "article_id", self.key
        )

    def _after(self, *, after_key, after_id, **markers):
        return self._page(**markers).filter(
            past(self.ordering, after_key=after_key, after_id=after_id)
        )


def list_queries(*, filters, ordering, count_limit=None):
    """The `ListQueries` of the list narrowed by `filters` (names: `SLUG_FILTERS` and
    ``search``) in `ordering`, its count stopping at `count_limit` rows when given."""
    key = (frozenset(filters), ordering, count_limit)
    if key not in _SHAPES:
        _SHAPES[key] = ListQueries(ordering=ordering, count_limit=count_limit)
    return _SHAPES[key]


class PageRows:
    """The rows of a list, read a page at a time: what a Paginator slices.

    A page is read `page_size` rows at a time even where the Paginator asks for
    fewer (the last page, which it cuts at the count): the same statement for
    every page of that size, however many rows the list has.
    """

    def __init__(self, query, values, *, page_size):
        self.query, self.values, self.page_size = query, values, page_size

    def __getitem__(self, window):
        rows = self.query.rows(limit=self.page_size, offset=window.start, **self.values)
        return rows[: window.stop - window.start]


def ordering_key(ordering):
    """``(column, descending)``: what rows of `ordering` are ordered by, before their id."""
    field = selectors.ARTICLE_ORDERINGS[ordering][0]
    return field.lstrip("-"), field.startswith("-")


def past(ordering, *, after_key, after_id):
    """The condition of the rows past (key, id) in `ordering`: one index range, however deep."""
    column, descending = ordering_key(ordering)
    table = ArticleDocument._meta.db_table
    return RawSQL(
        f'("{table}"."{column}", "{table}"."article_id") {"<" if descending else ">"} (%s, %s)',
        [after_key, after_id],
        output_field=BooleanField(),
    )


def cursor_write(*, ordering, key, article_id):
    """The `after` value that continues a list in `ordering` past the row (key, id)."""
    value = key.isoformat() if isinstance(key, datetime.datetime) else key
    text = json.dumps([ordering, value, article_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


CURSOR_MAX_LENGTH = 600
CURSOR_REFUSAL = (
    "There is no such position in this list: follow the `next` link of a page as it is."
)


def cursor_read(cursor, *, ordering, using=DEFAULT_DB_ALIAS):
    """``{"after_key", "after_id"}`` of `cursor` (from `cursor_write`), ready for the SQL;
    a 404 that says what to send when it is not one, or is one of another ordering."""
    try:
        if len(cursor) > CURSOR_MAX_LENGTH:
            raise ValueError("length")
        padded = cursor + "=" * (-len(cursor) % 4)
        written, value, article_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if written not in selectors.ARTICLE_ORDERINGS:
            raise ValueError("ordering")
        column, _descending = ordering_key(written)
        if column != "title":
            value = datetime.datetime.fromisoformat(value)
            if value.tzinfo is None:
                raise ValueError("naive")
        if not isinstance(value, (str, datetime.datetime)) or type(article_id) is not int:
            raise ValueError("types")
        if not 0 < article_id < 2**63 or (isinstance(value, str) and len(value) > 255):
            raise ValueError("range")
    except (ValueError, TypeError, UnicodeError):
        raise NotFound(CURSOR_REFUSAL) from None
    if written != ordering:
        raise NotFound(f"This position is in the “{written}” ordering: send ordering={written}.")
    field = ArticleDocument._meta.get_field(column)
    return {
        "after_key": field.get_db_prep_value(value, connections[using]),
        "after_id": article_id,
    }
