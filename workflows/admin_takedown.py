"""Taking an article down from the admin: Wagtail's own unpublish surfaces, asking why.

Wagtail's unpublish view, its listing button and its bulk action all ask the
page's ``can_unpublish()``, which `takedown.TakeDownPermissionTester` answers
without the workflow's lock. What is added here is small and in Wagtail's own
extension points: the article's unpublish view (a subclass, set as the
article's `PageViewSet.unpublish_view_class`, so the URL, its name and its
CSRF-protected form stay Wagtail's) and the bulk action (registered in place
of Wagtail's) require a reason and take down through `article_take_down`; the
edit view's action menu, which hides Unpublish on any locked page, gets it
back while a review holds the lock.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin.action_menu import UnpublishMenuItem
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import DefaultPageForm
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction
from wagtail.admin.views.pages.unpublish import UnpublishView

from .admin_gate import is_gated
from .takedown import REASON_HELP, TakeDownRefused, article_take_down, takedown_refusal

REASON_LABEL = "Why is it coming down?"
REASON_FIELD_HELP = (
    "Readers stop getting the article at once. Its draft and any review stay as they "
    "are. The history records your reason, and the writer and the medical reviewer "
    "receive it."
)


def reason_field():
    return forms.CharField(
        label=REASON_LABEL,
        help_text=REASON_FIELD_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_HELP},
    )


class TakeDownForm(forms.Form):
    reason = reason_field()


class TakeDownView(UnpublishView):
    """Wagtail's unpublish view for an article: a reason is asked for, and the
    takedown is `article_take_down` (logged, the people concerned told), not a
    bare unpublish.

    A subclass rather than a ``before_unpublish_page`` hook: the confirmation
    page has to show the reason field and its error, and a refused editor or
    writer has to be told why instead of Wagtail's generic "no permission".
    """

    template_name = "workflows/confirm_take_down.html"
    success_message = (
        "'%(page_title)s' taken down: readers no longer get it. Its draft and any review "
        "are unchanged; the writer and the medical reviewer have been told."
    )

    def dispatch(self, request, *args, **kwargs):
        refusal = takedown_refusal(user=request.user, article=self.object)
        if refusal is not None:
            messages.error(request, refusal)
            return redirect(self.refused_url())
        self.form = TakeDownForm(request.POST if request.method == "POST" else None)
        return super().dispatch(request, *args, **kwargs)

    def refused_url(self):
        if self.object.permissions_for_user(self.request.user).can_edit():
            return reverse(self.edit_url_name, args=(self.object.pk,))
        return reverse("wagtailadmin_home")

    def post(self, request, *args, **kwargs):
        if not self.form.is_valid():
            return self.render_to_response(self.get_context_data(**kwargs))
        return super().post(request, *args, **kwargs)

    def unpublish(self):
        hook_response = self.run_hook("before_unpublish_page", self.request, self.object)
        if hook_response is not None:
            return hook_response
        for article in self.objects_to_unpublish:
            if not article.live:
                continue
            try:
                article_take_down(
                    article=article,
                    user=self.request.user,
                    reason=self.form.cleaned_data["reason"],
                )
            except TakeDownRefused as refused:
                messages.error(self.request, str(refused))
                return redirect(self.refused_url())
        return self.run_hook("after_unpublish_page", self.request, self.object)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "form": self.form}


class TakeDownBulkForm(DefaultPageForm):
    reason = reason_field()


class TakeDownBulkAction(UnpublishBulkAction):
    """Wagtail's bulk Unpublish, asking why: articles come down through
    `article_take_down`; other pages are unpublished as Wagtail does.

    Which pages are offered is Wagtail's own ``can_unpublish()``, so an article
    whose edit is in review is listed as one the editor can take down.
    """

    form_class = TakeDownBulkForm
    template_name = "workflows/confirm_bulk_take_down.html"

    def get_execution_context(self):
        return {
            **super().get_execution_context(),
            "reason": self.cleaned_form.cleaned_data["reason"],
        }

    @classmethod
    def execute_action(cls, objects, include_descendants=False, user=None, reason="", **kwargs):
        taken_down = []
        others = []
        for page in objects:
            specific = page.specific
            (taken_down if is_gated(specific) else others).append(specific)
        for article in taken_down:
            article_take_down(article=article, user=user, reason=reason)
        num_parent, num_child = super().execute_action(
            others, include_descendants=include_descendants, user=user, **kwargs
        )
        return num_parent + len(taken_down), num_child


class LockedUnpublishMenuItem(UnpublishMenuItem):
    """Unpublish in the edit view's action menu while a lock (a review under way)
    hides Wagtail's own: after "Page locked", which stays the main button."""

    name = "action-take-down"
    order = 10010

    def is_shown(self, context):
        return (
            context["view"] == "edit"
            and bool(context["locked_for_user"])
            and self.get_user_page_permissions_tester(context).can_unpublish()
        )
