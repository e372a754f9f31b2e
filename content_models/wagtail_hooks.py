from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from content_models import views
from content_models.models import ArticlePage, Author, MedicalReviewer, Topic
from workflows.admin_takedown import TakeDownView


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]


class MedicalReviewerViewSet(SnippetViewSet):
    model = MedicalReviewer
    icon = "doc-full-inverse"
    menu_label = "Medical reviewers"
    list_display = ["name", "credentials", "specialty", "credentials_verified_until"]
    search_fields = ["name"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Topics"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class PeopleViewSetGroup(SnippetViewSetGroup):
    items = (AuthorViewSet, MedicalReviewerViewSet, TopicViewSet)
    menu_icon = "group"
    menu_label = "Credits & topics"
    menu_name = "credits"


register_snippet(PeopleViewSetGroup)


class ArticlePageViewSet(PageViewSet):
    """Wagtail's page views for articles, with unpublishing as a takedown that asks why.

    Wagtail routes ``/admin/pages/<id>/unpublish/`` to the page type's viewset,
    so the URL, its name and the form stay Wagtail's own.
    """

    model = ArticlePage
    unpublish_view_class = TakeDownView
    # Leave the explorer's listing of the article index as Wagtail has it.
    parent_models = []


@hooks.register("register_admin_viewset")
def register_article_page_viewset():
    return ArticlePageViewSet()


@hooks.register("register_admin_urls")
def register_overdue_report_url():
    return [
        path("reports/overdue-reviews/", views.overdue_reviews_report, name="overdue_reviews"),
    ]


@hooks.register("register_reports_menu_item")
def register_overdue_report_menu_item():
    return MenuItem(
        "Overdue for re-review",
        reverse("overdue_reviews"),
        name="overdue-reviews",
        icon_name="warning",
        order=650,
    )
