from wagtail.admin.ui.components import Component

from . import rules, selectors
from .roles import CLINICIANS


class AwaitingMedicalReviewPanel(Component):
    """Dashboard: the articles waiting for this clinician's medical review."""

    name = "awaiting_medical_review"
    template_name = "workflows/panels/awaiting_medical_review.html"
    order = 50

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        items = [
            {
                "task_state": state,
                "article": article,
                "refusal": rules.medical_review_refusal(user=user, article=article),
            }
            for state, article in selectors.medical_reviews_awaiting(user=user)
        ]
        return {"items": items, "is_clinician": user.groups.filter(name=CLINICIANS).exists()}
