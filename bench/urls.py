"""The project's URLs plus Wagtail's API v2 and the ceiling (benchmark server only)."""

from django.urls import path

from cms.urls import urlpatterns as project_urlpatterns

from .ceiling import ceiling_detail
from .v2 import api_router

# Before the project's own: its last pattern is Wagtail's catch-all page server.
urlpatterns = [
    path("api/v2/", api_router.urls),
    path("bench/ceiling/articles/<slug:slug>/", ceiling_detail, name="bench-ceiling-detail"),
    *project_urlpatterns,
]
