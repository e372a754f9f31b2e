"""Page-number pagination that refuses bad input instead of guessing.

DRF's own class quietly falls back to the default size for a bad
``page_size`` and answers a non-number ``page`` with a bare 404; frontends
get a 400 here that names the parameter and what is wrong with it.

``next`` and ``previous`` are relative (path and query): a list response is the
same for every client, whatever host and scheme it asked on, so it may be cached
and served to anyone (`api.response_cache` keys responses by path alone).
"""

import json

from django.core.paginator import Paginator
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

# Page numbers reach this many rows of a list; past them, `next` links continue from
# the last row shown (an `after` position), which costs the same at any depth.
PAGE_ROWS_LIMIT = 10_000


class ApiPagination(PageNumberPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    page_query_description = "The page to return, counting from 1."
    page_size_query_description = "How many results per page: 1 to 100 (default 20)."

    def paginate_queryset(
        self, queryset, request, view=None, count=None, capped=False, continued=None
    ):
        """The page's items; `count`, when given, is the number of rows `queryset` has,
        or, `capped`, how many of them its pages reach (more rows match).

        `continued(row)`, when given, is the `after` position past `row`: page
        numbers then stop at PAGE_ROWS_LIMIT rows, and the last numbered page's
        `next` continues from its last row.
        """
        self.request = request
        self.capped = capped
        self.continued = continued
        page_size = self.get_page_size(request)
        number = self.page_number(request, limited=continued is not None)
        paginator = Paginator(queryset, page_size)
        if count is not None:
            paginator.count = count  # instead of Paginator's own query
        if number > paginator.num_pages:
            if capped:
                raise NotFound(
                    f"Page {number} is past the first {count} results, where the pages of a "
                    "search stop: narrow the search with more words, a topic, an author or "
                    "a reviewer."
                )
            raise NotFound(
                f"Page {number} does not exist: the last page is {paginator.num_pages}."
            )
        self.page = paginator.page(number)
        return list(self.page)

    def page_number(self, request, *, limited=True):
        """The ``page`` asked for (from 1); `limited`, at most the last numbered page."""
        number = _whole_number(
            request.query_params.get(self.page_query_param, "1"),
            name=self.page_query_param,
            minimum=1,
        )
        page_size = self.get_page_size(request)
        self.last_numbered = max(1, PAGE_ROWS_LIMIT // page_size)
        if limited and number > self.last_numbered:
            raise NotFound(
                f"Page {number:,} is past the numbered pages, which reach the first "
                f"{self.last_numbered * page_size:,} results ({self.last_numbered:,} pages of "
                f"{page_size}): follow the `next` link of page {self.last_numbered:,} to go "
                "further."
            )
        return number

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return _whole_number(
            raw,
            name=self.page_size_query_param,
            minimum=1,
            maximum=self.max_page_size,
        )

    def get_next_link(self):
        if not self.page.has_next():
            return None
        if self.continued is not None and self.page.number >= self.last_numbered:
            return self.after_link(self.continued(self.page.object_list[-1]))
        return self._page_link(self.page.next_page_number())

    def after_link(self, position):
        """This request's path and query, continuing after `position` (no ``page``)."""
        path = remove_query_param(self.request.get_full_path(), self.page_query_param)
        return replace_query_param(path, "after", position)

    def continued_json(self, items, *, count, next_position):
        """The envelope of a page reached by an `after` position: no page number, so no
        `previous`; `next` continues from its last row while rows remain."""
        next_link = None if next_position is None else self.after_link(next_position)
        return (
            f'{{"count":{count},"next":{json.dumps(next_link)},"previous":null,'
            f'"results":[{",".join(items)}]}}'
        )

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        return self._page_link(self.page.previous_page_number())

    def _page_link(self, number):
        """This request's path and query, asking for page `number` (the first: no ``page``)."""
        path = remove_query_param(self.request.get_full_path(), "after")
        if number == 1:
            return remove_query_param(path, self.page_query_param)
        return replace_query_param(path, self.page_query_param, number)

    def paginated_json(self, items):
        """The page's envelope around `items`, each already JSON text (delivery documents)."""
        links = {
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
        }
        envelope = ",".join(
            [f'"count":{self.page.paginator.count}']
            + (['"count_capped":true'] if getattr(self, "capped", False) else [])
            + [f'"{name}":{json.dumps(link)}' for name, link in links.items()]
        )
        return f'{{{envelope},"results":[{",".join(items)}]}}'

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        limits = {
            self.page_query_param: {"minimum": 1, "default": 1},
            self.page_size_query_param: {
                "minimum": 1,
                "maximum": self.max_page_size,
                "default": self.page_size,
            },
        }
        for parameter in parameters:
            parameter["schema"].update(limits[parameter["name"]])
        return parameters

    def get_paginated_response_schema(self, schema):
        # A path and query on this API's host: a URI reference, not an absolute URI.
        link = {"type": ["string", "null"], "format": "uri-reference"}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Results on all pages. A search counts at most 1,000 "
                    "of them (the server's `VETTED_SEARCH_COUNT_LIMIT`): when more match, "
                    "`count` is that limit, `count_capped` is true and the pages stop there.",
                },
                "count_capped": {
                    "type": "boolean",
                    "enum": [True],
                    "description": "Present, and true, when more results match than "
                    "`count` says (a search of a common word): narrow the search to reach them.",
                },
                "next": {
                    **link,
                    "description": "The next page (path and query), or null on the last.",
                },
                "previous": {
                    **link,
                    "description": "The previous page (path and query), or null on the first.",
                },
                "results": schema,
            },
        }


def _whole_number(raw, *, name, minimum, maximum=None):
    bounds = f"from {minimum}" if maximum is None else f"from {minimum} to {maximum}"
    # ASCII digits only: int() would also take " 7", "+7", "1_0" and "٧" (any Unicode digit).
    try:
        number = int(raw) if raw.isascii() and raw.isdigit() else None
    except ValueError:  # more digits than int() converts (sys.int_max_str_digits)
        number = None
    if number is None or number < minimum or (maximum is not None and number > maximum):
        shown = raw if len(raw) <= 20 else f"{raw[:20]}…"
        raise ValidationError({name: [f"Must be a whole number {bounds}; got “{shown}”."]})
    return number
