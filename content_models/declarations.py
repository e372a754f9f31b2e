"""The admin's declaration of a reviewer's interests: the whole list, recorded at once.

The form starts from the latest declaration, so renewing an unchanged one is a
single click; submitting no interest declares that there is nothing to declare.
Each submission is a new `InterestDeclaration` (`interests_declare`): earlier
ones stay, as history.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from content_models.models import DeclaredInterest, MedicalReviewer, Topic
from content_models.models.people import (
    DECLARING_FOR_OTHERS,
    interest_errors,
    interests_declare,
    may_declare_for,
)


class DeclaredInterestForm(forms.Form):
    organization = forms.CharField(max_length=200, required=False, label="Organisation")
    relation = forms.ChoiceField(
        choices=[("", "---------"), *DeclaredInterest.Relation.choices], required=False
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The topics it concerns: you cannot approve articles on them while it lasts.",
    )
    products = forms.CharField(
        max_length=300,
        required=False,
        help_text="Products or treatments it concerns, if any.",
    )
    started = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    ended = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty while it lasts.",
    )

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("DELETE") or not self.has_changed() and not self.initial:
            return cleaned
        for field, message in interest_errors(cleaned).items():
            self.add_error(field, message)
        return cleaned

    def interest(self):
        fields = ("organization", "relation", "topics", "products", "started", "ended")
        return {name: self.cleaned_data.get(name) for name in fields}


class BaseDeclaredInterestFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "No longer true: leave it out of this declaration"


DeclaredInterestFormSet = forms.formset_factory(
    DeclaredInterestForm, formset=BaseDeclaredInterestFormSet, extra=1, can_delete=True
)


def _initial(reviewer):
    latest = reviewer.declarations.prefetch_related("interests__topics").first()
    if latest is None:
        return []
    return [
        {
            "organization": interest.organization,
            "relation": interest.relation,
            "topics": list(interest.topics.all()),
            "products": interest.products,
            "started": interest.started,
            "ended": interest.ended,
        }
        for interest in latest.interests.all()
    ]


def declare_interests(request, reviewer_id):
    """Record `reviewer_id`'s declaration of interests (the clinician's own, or an editor's
    record of their signed one)."""
    reviewer = get_object_or_404(MedicalReviewer, pk=reviewer_id)
    if not may_declare_for(user=request.user, reviewer=reviewer):
        messages.error(request, DECLARING_FOR_OTHERS)
        return redirect(reverse("declaration_history", args=[reviewer.pk]))
    initial = _initial(reviewer)
    formset = DeclaredInterestFormSet(request.POST or None, initial=initial, prefix="interest")
    if request.method == "POST" and formset.is_valid():
        interests = [
            form.interest()
            for form in formset.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.has_changed() or form.initial)
        ]
        try:
            interests_declare(reviewer=reviewer, declared_by=request.user, interests=interests)
        except ValidationError as invalid:
            formset._non_form_errors = formset.error_class(invalid.messages)
        else:
            messages.success(
                request,
                f"Interests of {reviewer.name} declared on "
                f"{timezone.localdate():%d %B %Y}"
                + ("." if interests else ": nothing to declare."),
            )
            return redirect(reverse("declaration_history", args=[reviewer.pk]))
    return TemplateResponse(
        request,
        "content_models/declare_interests.html",
        {"reviewer": reviewer, "formset": formset, "renewing": bool(initial)},
    )


def declaration_history(request, reviewer_id):
    """Every declaration `reviewer_id` has made, newest first."""
    reviewer = get_object_or_404(MedicalReviewer, pk=reviewer_id)
    if not (
        may_declare_for(user=request.user, reviewer=reviewer)
        or request.user.has_perm("content_models.view_medicalreviewer")
    ):
        raise PermissionDenied("Only editors and the clinician can see these declarations.")
    declarations = reviewer.declarations.select_related("declared_by").prefetch_related(
        "interests__topics"
    )
    return TemplateResponse(
        request,
        "content_models/declaration_history.html",
        {
            "reviewer": reviewer,
            "declarations": declarations,
            "may_declare": may_declare_for(user=request.user, reviewer=reviewer),
        },
    )
