"""The reference frontend's pages. Each renders only what the delivery API returned."""

import functools
from urllib.parse import urlsplit

from csp.constants import SELF
from csp.decorators import csp_replace
from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from api import cache_tags
from api.caching import public_headers_set
from feedback.models import MESSAGE_MAX_LENGTH

from . import api_client, presenters

PAGE_SIZE = 10
RECENT_ARTICLES = 3
# A draft page runs no script and posts nothing; only the admin's own page may frame it.
PREVIEW_POLICY = (
    "default-src 'self'; img-src 'self' https: data:; script-src 'none'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self' {admin}"
)


def api_page(view):
    """A public page built from the API.

    What the API could not give becomes the frontend's own page: nothing
    published there is a 404 page, any other failure a friendly error page,
    which no cache keeps. A page is cached as the API's own responses are, and
    names the cache tags of every response it was built from, so purging what
    changed purges the page too.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with cache_tags.collected() as shown:
            try:
                response = view(request, *args, **kwargs)
            except (api_client.ApiNotFound, Http404):
                response = not_found(request)
            except api_client.ApiError as failed:
                response = error(request, failed)
                add_never_cache_headers(response)
                return response
        public_headers_set(response, tags=shown)
        return response

    return require_safe(wrapped)


def not_found(request):
    return render(request, "frontend/not_found.html", status=404)


def error(request, failed, *, preview=False):
    # A reader the API is rate-limiting is told so (429); any other failure is ours (502).
    status = 429 if failed.status == 429 else 502
    return render(request, "frontend/error.html", {"preview": preview}, status=status)


@api_page
def home(request):
    page = _page_number(request)
    articles = api_client.articles(request=request, page=page, page_size=PAGE_SIZE)
    return render(
        request,
        "frontend/home.html",
        {
            "articles": articles["results"],
            "pagination": _pagination(page, articles),
            "topics": api_client.topics(request=request),
        },
    )


@api_page
def article(request, slug):
    data = api_client.article(request=request, slug=slug)
    return render(request, "frontend/article.html", _article_context(request, data))


@api_page
def topic(request, slug):
    data = api_client.topic(request=request, slug=slug)
    return _listing(request, "frontend/topic.html", {"topic": data}, topic=slug)


@api_page
def author(request, slug):
    data = api_client.author(request=request, slug=slug)
    return _listing(request, "frontend/author.html", {"author": data}, author=slug)


@api_page
def reviewer(request, slug):
    data = api_client.reviewer(request=request, slug=slug)
    return _listing(request, "frontend/reviewer.html", {"reviewer": data}, reviewer=slug)


@require_safe
@xframe_options_exempt
def preview(request):
    """The headless preview client: the draft a preview token was issued for.

    The admin's Preview opens ``?content_type=…&token=…`` here (in a frame of
    its own page). The API checks the token; a refused or expired one gets a
    page that says so, with the API's 4xx status. Never cached or indexed.
    """
    try:
        data = api_client.preview(
            request=request,
            content_type=request.GET.get("content_type"),
            token=request.GET.get("token"),
        )
        response = render(
            request, "frontend/article.html", _article_context(request, data, preview=True)
        )
    except api_client.ApiError as refused:
        if refused.status == 429 or not 400 <= refused.status < 500:
            response = error(request, refused, preview=True)
        else:
            response = render(
                request,
                "frontend/preview_unavailable.html",
                {"reason": _preview_refusal(refused)},
                status=refused.status,
            )
    add_never_cache_headers(response)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    admin = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY.format(
        admin=f"{admin.scheme}://{admin.netloc}"
    )
    return response


def _article_context(request, data, *, preview=False):
    sections, citations = presenters.article_sections(data["body"])
    latest = api_client.articles(request=request, page_size=RECENT_ARTICLES + 1)["results"]
    return {
        "article": data,
        "sections": sections,
        "citations": citations,
        "recent": presenters.recent_teasers(latest, excluding=data["slug"], limit=RECENT_ARTICLES),
        "preview": preview,
    }


def _listing(request, template, context, **filters):
    page = _page_number(request)
    articles = api_client.articles(request=request, page=page, page_size=PAGE_SIZE, **filters)
    context |= {"articles": articles["results"], "pagination": _pagination(page, articles)}
    return render(request, template, context)


def _page_number(request):
    raw = request.GET.get("page", "1")
    if not raw.isdecimal() or int(raw) < 1:
        raise Http404("No such page of articles.")
    return int(raw)


def _pagination(page, articles):
    return presenters.pagination(page=page, page_size=PAGE_SIZE, count=articles["count"])


def _preview_refusal(refused):
    # A 403 or 404 from the preview endpoint explains itself ("This preview link
    # has expired…"); a 400 lists field errors, which mean a mangled link.
    if isinstance(refused.detail, str):
        return refused.detail
    return "This preview link is incomplete. Press Preview in the editor again."


class ReportForm(forms.Form):
    message = forms.CharField(
        label="What is wrong with this page?",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    email = forms.EmailField(
        label="Your email address, if you would like a reply (optional)",
        required=False,
    )
    # Hidden from people by the stylesheet; bots fill it in.
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


@csp_replace({"form-action": [SELF]})
def report(request, slug):
    """ "Report a problem with this page": the reader's report goes to the API, which
    passes it to the article's reviewer and the editors. Never cached (a form)."""
    try:
        article = api_client.article(request=request, slug=slug)
    except api_client.ApiNotFound:
        return not_found(request)
    except api_client.ApiError as failed:
        return error(request, failed)
    form = ReportForm(request.POST or None)
    status, sent = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            sent = api_client.report_send(request=request, slug=slug, data=form.cleaned_data)
        except api_client.ApiError as refused:
            status = refused.status if refused.status in (400, 404, 413, 429) else 502
            if isinstance(refused.detail, dict):
                for field, problems in refused.detail.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            elif status == 429:
                form.add_error(None, "Too many reports from here just now: try again later.")
            else:
                form.add_error(None, str(refused.detail))
    elif request.method == "POST":
        status = 400
    response = render(
        request,
        "frontend/report.html",
        {"article": article, "form": form, "sent": sent},
        status=status,
    )
    add_never_cache_headers(response)
    return response
