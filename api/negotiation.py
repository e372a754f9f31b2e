"""Content negotiation that says what to ask for when it cannot answer."""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation

# What nearly every client sends, answered without parsing the header.
_PLAIN_ACCEPT = frozenset({"", "*/*", "application/json"})


def accepts_json(request):
    """Whether `request` (Django's) accepts JSON, as ``request.accepts`` answers."""
    if request.META.get("HTTP_ACCEPT", "") in _PLAIN_ACCEPT:
        return True
    return request.accepts("application/json")


class ExplainedContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation; its 406 names the media types the endpoint can send."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable as refused:
            offered = ", ".join(dict.fromkeys(renderer.media_type for renderer in renderers))
            raise NotAcceptable(
                f"This endpoint cannot answer in what the Accept header asks for. "
                f"Ask for {offered} (or send no Accept header).",
                available_renderers=refused.available_renderers,
            ) from refused
