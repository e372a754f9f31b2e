"""The clinician's decision forms: the review screen's and the one in Wagtail's action modal."""

from django import forms
from wagtail.forms import TaskStateCommentForm

COMMENT_HELP = "Say what needs to change: the writer receives this comment."


def live_unsafe_field():
    return forms.BooleanField(
        required=False,
        label="The live text is unsafe: take the article down now",
        help_text=(
            "Only when the article is live. Readers stop getting it at once; the editors "
            "and the writer are told, and the history records your reason."
        ),
    )


class MedicalRejectForm(TaskStateCommentForm):
    """Wagtail's "Request changes" modal for the medical step: a comment is required."""

    live_unsafe = live_unsafe_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True
        self.fields["comment"].help_text = COMMENT_HELP


class ReviewDecisionForm(forms.Form):
    """The clinician's review screen."""

    action = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Request changes")])
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    live_unsafe = live_unsafe_field()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not cleaned.get("comment", "").strip():
            self.add_error("comment", COMMENT_HELP)
        if cleaned.get("action") == "approve" and cleaned.get("live_unsafe"):
            self.add_error(
                "live_unsafe",
                "Approving says the text is safe to publish. To take it down, choose "
                "Request changes.",
            )
        return cleaned
