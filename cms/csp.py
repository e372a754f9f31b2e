"""The Content-Security-Policy header, chosen by what a response is.

HTML (the Wagtail admin, the API's interactive docs) gets the site's policy,
``CONTENT_SECURITY_POLICY``: the sources Wagtail 8's admin needs and no more.
JSON (the delivery API, the admin's own JSON endpoints) is data that no
browser should ever run or frame, so it gets the strictest policy whatever the
settings say. A view that sets its own policy (django-csp's decorators) keeps it.
"""

from csp.constants import NONE
from csp.middleware import CSPMiddleware

JSON_POLICY = {
    "default-src": [NONE],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
}


def is_json(response):
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_json(response):
            parts.config = JSON_POLICY
        return parts
