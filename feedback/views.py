"""The admin's queue of reader reports: editors see every one, a clinician those on the
articles they review; each is closed once, with an outcome."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from workflows.roles import EDITORS

from .models import ReaderReport
from .services import NOT_YOURS, corrections_linkable, may_close, report_close


def reports_visible_to(user):
    reports = ReaderReport.objects.select_related("article", "closed_by")
    if user.is_superuser or user.groups.filter(name=EDITORS).exists():
        return reports
    return reports.filter(Q(article__medical_reviewer__user=user))


def is_shown_queue(user):
    return reports_visible_to(user).exists() or user.groups.filter(name=EDITORS).exists()


class CorrectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, correction):
        return f"{correction.date:%d %B %Y}: {correction.note}"


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(choices=ReaderReport.Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you found. Kept in the article's history with the outcome.",
    )
    correction = CorrectionChoiceField(
        queryset=None,
        required=False,
        empty_label="The newest since the report came",
        label="The published correction it led to",
        help_text="For “Corrected”: readers see this correction on the article.",
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction"].queryset = corrections_linkable(report)


def reader_reports(request):
    reports = reports_visible_to(request.user)
    showing = request.GET.get("show", "open")
    if showing == "open":
        reports = reports.filter(closed_at=None).order_by("received_at", "pk")
    return TemplateResponse(
        request, "feedback/reports.html", {"reports": reports, "showing": showing}
    )


def reader_report(request, report_id):
    report = get_object_or_404(reports_visible_to(request.user), pk=report_id)
    form = CloseForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            report_close(
                report=report,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                correction=form.cleaned_data["correction"],
            )
        except PermissionDenied:
            messages.error(request, NOT_YOURS)
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Report {report.pk} closed.")
            return redirect(reverse("reader_reports"))
    return TemplateResponse(
        request,
        "feedback/report.html",
        {"report": report, "form": form, "may_close": may_close(user=request.user, report=report)},
    )
