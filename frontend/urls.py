from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    # The article index has no page of its own: the home page lists the articles.
    path("articles/", RedirectView.as_view(pattern_name="frontend:home"), name="articles"),
    path("articles/<slug:slug>/", views.article, name="article"),
    path("articles/<slug:slug>/report/", views.report, name="report"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("authors/<slug:slug>/", views.author, name="author"),
    path("reviewers/<slug:slug>/", views.reviewer, name="reviewer"),
    path("preview/", views.preview, name="preview"),
]
