from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from feedback.api import ArticleFeedbackView

from . import views

app_name = "api"

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("authors", views.AuthorViewSet, basename="author")
router.register("reviewers", views.ReviewerViewSet, basename="reviewer")
router.register("topics", views.TopicViewSet, basename="topic")

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path(
        "articles/<slug:slug>/feedback/",
        ArticleFeedbackView.as_view(),
        name="article-feedback",
    ),
    path("", include(router.urls)),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("preview/", views.PreviewView.as_view(), name="preview"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    # The split view serves its script as a file: the docs page needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Paths without the trailing slash are left to CommonMiddleware's redirect. Not `.*`:
    # a path with a newline in it (%0A) is an unknown path too, not Django's HTML 404.
    re_path(r"^[\s\S]*/$", views.NotFoundView.as_view()),
]
