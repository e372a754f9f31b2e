from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import LinkMenuItemComponent, MenuItem
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.log_actions import LogFormatter, log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from content_models import declarations, views
from content_models.models import ArticlePage, Author, MedicalReviewer, Specialty, Topic
from content_models.reviewer_choice import REVIEWER_OUTSIDE_SPECIALTIES
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


class SpecialtyViewSet(SnippetViewSet):
    model = Specialty
    icon = "pick"
    menu_label = "Specialties"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class PeopleViewSetGroup(SnippetViewSetGroup):
    items = (AuthorViewSet, MedicalReviewerViewSet, TopicViewSet, SpecialtyViewSet)
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


@hooks.register("register_admin_urls")
def register_declaration_urls():
    return [
        path(
            "reviewers/<int:reviewer_id>/declare-interests/",
            declarations.declare_interests,
            name="declare_interests",
        ),
        path(
            "reviewers/<int:reviewer_id>/declared-interests/",
            declarations.declaration_history,
            name="declaration_history",
        ),
    ]


class OwnDeclarationMenuItem(MenuItem):
    """ "My declared interests", for a clinician with a reviewer profile."""

    def is_shown(self, request):
        return hasattr(request.user, "medical_reviewer_profile")

    def render_component(self, request):
        return LinkMenuItemComponent(
            self.name,
            self.label,
            reverse("declaration_history", args=[request.user.medical_reviewer_profile.pk]),
            icon_name=self.icon_name,
        )


@hooks.register("register_admin_menu_item")
def register_own_declaration_menu_item():
    return OwnDeclarationMenuItem(
        "My declared interests",
        "#",
        name="my-declared-interests",
        icon_name="doc-full-inverse",
        order=950,
    )


class ReviewerOutsideSpecialtiesFormatter(LogFormatter):
    label = "Reviewer chosen outside the topics' specialties"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return (
            f"{data.get('reviewer', 'A reviewer')} chosen although their specialties do not "
            f"cover {', '.join(data.get('topics', []))}: \u201c{data.get('reason', '')}\u201d"
        )


@hooks.register("register_log_actions")
def register_reviewer_choice_log_action(actions):
    actions.register_action(REVIEWER_OUTSIDE_SPECIALTIES)(ReviewerOutsideSpecialtiesFormatter)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def reviewer_choice_log(request, page):
    """Keep the reason given for a reviewer outside the topics' specialties."""
    choice = getattr(page, "_reviewer_choice_reason", None)
    if choice:
        log(instance=page, action=REVIEWER_OUTSIDE_SPECIALTIES, user=request.user, data=choice)
        page._reviewer_choice_reason = None


@hooks.register("register_admin_urls")
def register_reviewer_choices_url():
    return [path("reviewer-choices/", views.reviewer_choices, name="reviewer_choices")]


@hooks.register("insert_editor_js")
def reviewer_choice_js():
    # The reviewer list follows the topics ticked (`content_models.reviewer_choice`).
    return format_html('<script src="{}"></script>', static("content_models/reviewer_choice.js"))
