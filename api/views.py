"""The delivery API's endpoints: thin compositions over `api.selectors`."""

import functools
import json

from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from cms.options import vetted_option
from content_models.models import ArticlePage, Author, MedicalReviewer, Topic
from workflows.rules import review_overdue

from . import (
    cache_tags,
    delivery,
    lists,
    response_cache,
    schema,
    search,
    selectors,
    serializers,
)
from .caching import NeverCacheMixin, PublicCacheMixin, public_headers_set
from .filters import ArticleFilterSet
from .keys import delivery_key_refusal
from .negotiation import accepts_json
from .pagination import ApiPagination
from .prepared import planned_each_time, statements_prepared
from .previews import PreviewNotFound, PreviewRefused
from .throttling import DeliveryThrottle


class PublicReadOnlyViewSet(PublicCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Subclasses name their model in `queryset` (an empty one) for the schema;
    what a request reads always comes from `get_queryset()`, i.e. from the selectors."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    pagination_class = ApiPagination
    # The cache tag of the list (and of a slug's 404), and the function naming one item's.
    list_tag = None
    item_tag = None

    def dispatch(self, request, *args, **kwargs):
        with statements_prepared():
            return super().dispatch(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        self.cache_tags.add(self.list_tag)
        return super().list(request, *args, **kwargs)

    def get_object(self):
        try:
            found = super().get_object()
        except Http404 as missing:
            self.cache_tags.add(self.list_tag)
            slug = self.kwargs[self.lookup_field]
            raise NotFound(f"Nothing published has the slug “{slug}”.") from missing
        self.cache_tags.add(self.item_tag(found.pk))
        return found


@extend_schema_view(
    list=schema.list_endpoint(
        summary="Published articles",
        item=serializers.ArticleSummarySerializer,
        parameters=[schema.AFTER],
    ),
    retrieve=schema.detail_endpoint(
        summary="One published article in full", item=serializers.ArticleDetailSerializer
    ),
)
class ArticleViewSet(PublicReadOnlyViewSet):
    """Articles whose live text their medical reviewer approved; drafts never appear.

    Served from delivery documents (`api.models`): the JSON was rendered when
    the article went live, so a request only finds it, and whole responses may
    come from the shared cache (`api.response_cache`).
    """

    queryset = ArticlePage.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = ArticleFilterSet

    def get_queryset(self):
        return selectors.article_documents()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ArticleDetailSerializer
        return serializers.ArticleSummarySerializer

    def dispatch(self, request, *args, **kwargs):
        self.cache_lookup = None
        self.throttle_wait = None
        self.throttle_counted = False
        self.detail_found = _NOT_LOOKED_UP
        throttles = self.get_throttles()
        if (
            request.method in ("GET", "HEAD")
            and accepts_json(request)  # or DRF answers 406
            and len(throttles) <= 1
            and all(isinstance(throttle, DeliveryThrottle) for throttle in throttles)
            and delivery_key_refusal(request) is None  # or DRF answers 401
        ):
            response = self._served_directly(request, throttles[0] if throttles else None, kwargs)
            if response is not None:
                return response
        return super().dispatch(request, *args, **kwargs)

    def _served_directly(self, request, throttle, kwargs):
        """The common request's response, before DRF's machinery, or None for DRF to answer.

        A response kept since the last change (`api.response_cache`), and an
        article's detail, which is one stored document: both after the same
        throttle and with the headers DRF's path sends (`cached_response`). What
        else a request may need (a 429, a 404, a list's parameters) is DRF's.
        """
        counter = throttle.counter(request, self) if throttle else None
        self.throttle_counted = True
        if response_cache.enabled():
            # One round trip to the cache counts the request and looks for its response.
            self.cache_lookup = response_cache.lookup(request, counter=counter)
            count, hit = self.cache_lookup.count, self.cache_lookup.hit
        else:
            count = None if counter is None else response_cache.count(counter)
            hit = None
        if counter is not None and not throttle.allow_count(count):
            self.throttle_wait = throttle.wait()
            return None
        if hit is None and self.action_map.get("get") == "retrieve":
            slug = kwargs[self.lookup_field]
            with statements_prepared():
                row = self.detail_found = selectors.article_detail_row(slug=slug)
            if row is not None:
                tags = {cache_tags.article_slug(slug), cache_tags.article(row[1])}
                hit = self.document_kept(_detail_content(row), tags=tags)
        if hit is None:
            return None
        return cached_response(request, hit, allow=", ".join(self.allowed_methods))

    def check_throttles(self, request):
        if self.throttle_wait is not None:
            self.throttled(request, self.throttle_wait)
        if not self.throttle_counted:
            super().check_throttles(request)

    def list(self, request, *args, **kwargs):
        # Checked first, against no particular queryset: each path below narrows its own.
        cleaned = _list_parameters(
            tuple(request.query_params.get(name) for name in ArticleFilterSet.base_filters)
        )
        if "errors" in cleaned:
            raise ValidationError(cleaned["errors"])  # every bad parameter at once
        self.cache_tags.add(cache_tags.ARTICLES)
        if (cleaned.get("search") or "").strip():
            # Never prepared: a word in every article is best found walking the list's
            # order, a rare one through the index of words, and one plan kept for
            # whichever came first would serve the other badly.
            with planned_each_time():
                return self._listed(request, cleaned, words=cleaned["search"])
        return self._listed(request, cleaned, words=None)

    def _listed(self, request, cleaned, *, words):
        after = request.query_params.get("after")
        ordering = cleaned.get("ordering") or selectors.DEFAULT_ARTICLE_ORDERING
        values = {name: cleaned[name] for name in lists.SLUG_FILTERS if cleaned.get(name)}
        count_limit = None
        expression = None
        if words is not None:
            count_limit = vetted_option("SEARCH_COUNT_LIMIT")
            values["search"] = expression = search.plain_expression(words)
        if words is not None and expression is None:  # a phrase: its SQL is built for it
            filterset = DjangoFilterBackend().get_filterset(
                request, selectors.article_documents_unchecked(), self
            )
            filterset.is_valid()
            listed, count, capped = self._searched(filterset)
            if after is not None:
                key, _descending = lists.ordering_key(ordering)
                past = listed.filter(
                    lists.past(ordering, **lists.cursor_read(after, ordering=ordering))
                )
                rows = past.values_list("summary", "article_id", key)
                return self._continued(
                    request,
                    ordering,
                    count,
                    lambda limit, offset: list(rows[offset : offset + limit]),
                )
            rows = listed.values_list("summary", "article_id")
            continued = None
        else:
            # Counted up to one past the limit: more than the limit says "capped".
            queries = lists.list_queries(
                filters=values,
                ordering=ordering,
                count_limit=None if count_limit is None else count_limit + 1,
            )
            count = queries.count.first(**values)[0]
            capped = count_limit is not None and count > count_limit
            if capped:
                count = count_limit
            if after is not None:
                position = lists.cursor_read(after, ordering=ordering)
                return self._continued(
                    request,
                    ordering,
                    count,
                    lambda limit, offset: queries.after.rows(
                        limit=limit, offset=offset, **position, **values
                    ),
                )
            rows = lists.PageRows(
                queries.page, values, page_size=self.paginator.get_page_size(request)
            )

            def continued(row):
                return lists.cursor_write(ordering=ordering, key=row[2], article_id=row[1])

            if count_limit is not None:
                continued = None  # a search's pages stop at its count's limit

        page = self.paginator.paginate_queryset(
            rows, request, view=self, count=count, capped=capped, continued=continued
        )
        self.cache_tags.update(cache_tags.article(row[1]) for row in page)
        content = self.paginator.paginated_json([row[0] for row in page])
        return self.document_response(content)

    def _continued(self, request, ordering, count, fetch):
        """A page past an `after` position (a `next` link from deep in the list):
        `fetch(limit, offset)` reads the rows past it; ``page`` counts pages from there."""
        page_size = self.paginator.get_page_size(request)
        number = self.paginator.page_number(request)
        self.paginator.request = request
        rows = fetch(page_size + 1, (number - 1) * page_size)
        page, more = rows[:page_size], len(rows) > page_size
        self.cache_tags.update(cache_tags.article(row[1]) for row in page)
        next_position = None
        if more:
            last = page[-1]
            next_position = lists.cursor_write(ordering=ordering, key=last[2], article_id=last[1])
        content = self.paginator.continued_json(
            [row[0] for row in page], count=count, next_position=next_position
        )
        return self.document_response(content)

    def _searched(self, filterset):
        """``(documents, count, capped)`` of a search: built per request, since its SQL
        depends on its words. Its matches are counted up to a limit (`count` is then
        the limit): counting every article that has a common word would cost more
        than the page itself."""
        limit = vetted_option("SEARCH_COUNT_LIMIT")
        listed = filterset.filter_queryset(selectors.article_documents())
        count = selectors.article_documents_count(
            listed=listed,
            unchecked=filterset.filter_queryset(selectors.article_documents_unchecked()),
            limit=limit + 1,
        )
        capped = count > limit
        return listed, min(count, limit), capped

    def retrieve(self, request, *args, **kwargs):
        slug = kwargs[self.lookup_field]
        self.cache_tags.add(cache_tags.article_slug(slug))
        row = self.detail_found
        if row is _NOT_LOOKED_UP:  # not answered before DRF (`_served_directly`)
            row = selectors.article_detail_row(slug=slug)
        if row is None:
            raise NotFound(f"Nothing published has the slug “{slug}”.")
        self.cache_tags.add(cache_tags.article(row[1]))
        return self.document_response(_detail_content(row))

    def document_response(self, content):
        if self.cache_lookup is None:
            # Its ETag comes from `PublicCacheMixin` once rendered: not computed here too.
            return DocumentResponse(content.encode())
        return DocumentResponse(self.document_kept(content, tags=self.cache_tags).content)

    def document_kept(self, content, *, tags):
        """`content` (a document's JSON text) as a `response_cache.Hit` with its cache
        `tags`, kept in the response cache when this request looked there."""
        content, tags = content.encode(), {cache_tags.ALL, *tags}
        if self.cache_lookup is not None:
            return self.cache_lookup.keep(content=content, tags=tags)
        return response_cache.Hit.built(content=content, tags=tags)


# `ArticleViewSet.detail_found` before `_served_directly` looked the slug up.
_NOT_LOOKED_UP = object()


class DocumentResponse(Response):
    """A response whose JSON was rendered before the request: a delivery document."""

    def __init__(self, content):
        super().__init__()
        self.document = content

    @property
    def rendered_content(self):
        self["Content-Type"] = "application/json"
        return self.document


def cached_response(request, hit, *, allow):
    """The response `response_cache` kept (a `Hit`), with the headers the view would have sent."""
    response = HttpResponse(hit.content, content_type="application/json")
    headers = response.headers
    headers["Allow"] = allow
    patch_vary_headers(response, ["Accept"])
    public_headers_set(response, tags=hit.tags)
    headers["ETag"] = hit.etag
    if "HTTP_IF_NONE_MATCH" in request.META:
        return get_conditional_response(request, etag=hit.etag, response=response)
    return response


@functools.lru_cache(maxsize=1024)
def _list_parameters(values):
    """The list's parameters (`ArticleFilterSet`'s, `values` in its order) as its form
    cleans them, or ``{"errors": {name: messages}}``.

    Checking them builds a filter set and its form, which costs a list more than
    its two queries; the same few combinations come again and again, and the
    answer depends on the values alone, so each process keeps the last ones.
    """
    data = {
        name: value
        for name, value in zip(ArticleFilterSet.base_filters, values, strict=True)
        if value is not None
    }
    filterset = ArticleFilterSet(data=data, queryset=selectors.article_documents_unchecked())
    if not filterset.is_valid():
        return {"errors": {name: list(messages) for name, messages in filterset.errors.items()}}
    return dict(filterset.form.cleaned_data)


def _detail_content(row):
    """The detail JSON served for `row` (`selectors.article_detail_row`)."""
    detail, _pk, next_review_due = row
    if review_overdue(next_review_due):
        return _review_overdue(detail)
    return detail


def _review_overdue(detail):
    # Documents are written when content changes; the due date passes on its own.
    article = json.loads(detail)
    article["medical_review"]["status"] = "overdue"
    return json.dumps(article, ensure_ascii=False, separators=(",", ":"))


@extend_schema_view(
    list=schema.list_endpoint(
        summary="Authors of published articles", item=serializers.AuthorSerializer
    ),
    retrieve=schema.detail_endpoint(summary="One author", item=serializers.AuthorSerializer),
)
class AuthorViewSet(PublicReadOnlyViewSet):
    """Authors credited on at least one published article."""

    queryset = Author.objects.none()
    serializer_class = serializers.AuthorSerializer

    list_tag = cache_tags.AUTHORS
    item_tag = staticmethod(cache_tags.author)

    def get_queryset(self):
        return selectors.authors_public()


@extend_schema_view(
    list=schema.list_endpoint(
        summary="Medical reviewers of published articles",
        item=serializers.ReviewerProfileSerializer,
    ),
    retrieve=schema.detail_endpoint(
        summary="One medical reviewer", item=serializers.ReviewerProfileSerializer
    ),
)
class ReviewerViewSet(PublicReadOnlyViewSet):
    """Clinicians credited as the medical reviewer of at least one published article, with
    their specialties and their latest declaration of interests."""

    queryset = MedicalReviewer.objects.none()
    serializer_class = serializers.ReviewerProfileSerializer

    list_tag = cache_tags.REVIEWERS
    item_tag = staticmethod(cache_tags.reviewer)

    def get_queryset(self):
        return selectors.reviewers_public()


@extend_schema_view(
    list=schema.list_endpoint(
        summary="Topics of published articles", item=serializers.TopicSerializer
    ),
    retrieve=schema.detail_endpoint(summary="One topic", item=serializers.TopicSerializer),
)
class TopicViewSet(PublicReadOnlyViewSet):
    """Topics with at least one published article, counting published articles only."""

    queryset = Topic.objects.none()
    serializer_class = serializers.TopicSerializer

    list_tag = cache_tags.TOPICS
    item_tag = staticmethod(cache_tags.topic)

    def get_queryset(self):
        return selectors.topics_public()


@extend_schema_view(
    get=schema.list_endpoint(
        summary="Published corrections, newest first", item=serializers.CorrectionEntrySerializer
    )
)
class CorrectionListView(PublicCacheMixin, generics.ListAPIView):
    """Every correction of a public article, newest first: what an earlier version got
    wrong, in the words its medical reviewer approved, and when the correction went live."""

    serializer_class = serializers.CorrectionEntrySerializer
    pagination_class = ApiPagination

    def dispatch(self, request, *args, **kwargs):
        with statements_prepared():
            return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.corrections_public()

    def list(self, request, *args, **kwargs):
        # A correction going live, and an article entering or leaving what is public.
        self.cache_tags.update({cache_tags.CORRECTIONS, cache_tags.ARTICLES})
        return super().list(request, *args, **kwargs)


class PreviewView(NeverCacheMixin, APIView):
    """One draft article for the headless preview client; never cached."""

    @extend_schema(
        summary="A draft, for the headless preview client",
        description="The token comes from the editor's Preview button. It is signed, "
        "expires after a few minutes and shows only the draft it was issued for.",
        parameters=[serializers.PreviewParametersSerializer],
        responses={
            200: serializers.ArticlePreviewSerializer,
            400: schema.INVALID_PARAMETERS,
            403: OpenApiResponse(schema.ErrorSerializer, description="Token refused."),
            404: OpenApiResponse(schema.ErrorSerializer, description="Draft no longer stored."),
            429: schema.TOO_MANY_REQUESTS,
        },
    )
    def get(self, request):
        params = serializers.PreviewParametersSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            article = selectors.article_preview(token=params.validated_data["token"])
        except PreviewNotFound as gone:
            raise NotFound(str(gone)) from gone
        except PreviewRefused as refused:
            raise PermissionDenied(str(refused)) from refused
        return Response(delivery.article_preview(article))


class ApiRootView(PublicCacheMixin, APIView):
    """Where each endpoint of the delivery API is."""

    endpoints = {
        "articles": "api:article-list",
        "authors": "api:author-list",
        "reviewers": "api:reviewer-list",
        "topics": "api:topic-list",
        "corrections": "api:corrections",
        "preview": "api:preview",
        "schema": "api:schema",
        "docs": "api:docs",
    }

    @extend_schema(
        summary="The endpoints of this API",
        parameters=schema.CACHE_HEADERS,
        responses={
            200: serializers.ApiIndexSerializer,
            304: schema.NOT_MODIFIED,
            429: schema.TOO_MANY_REQUESTS,
        },
    )
    def get(self, request):
        index = {
            "name": "Vetted delivery API",
            "version": "v1",
            "endpoints": {
                name: reverse(url_name, request=request)
                for name, url_name in self.endpoints.items()
            },
        }
        return Response(serializers.ApiIndexSerializer(index).data)


class SchemaView(PublicCacheMixin, SpectacularAPIView):
    """The OpenAPI 3 document: JSON unless YAML is asked for (``?format=yaml``)."""

    renderer_classes = [
        OpenApiJsonRenderer2,
        OpenApiJsonRenderer,
        OpenApiYamlRenderer,
        OpenApiYamlRenderer2,
    ]


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Anything else under /api/v1/: a JSON 404 rather than the site's HTML page."""

    def get(self, request, *args, **kwargs):
        raise NotFound(f"There is no endpoint at {request.path}. See /api/v1/.")

    post = put = patch = delete = get
