"""Choosing an article's medical reviewer: who is suggested for its topics, and why not others.

A reviewer *covers* an article when, for every topic of it that names
specialties, they have at least one of them. The article form lists the
reviewers who cover its topics first, fewest open reviews first, each with
specialty, organisation and load, and lists them again as topics are ticked
(`content_models.views.reviewer_choices`, read by ``reviewer_choice.js``);
choosing someone else asks for a reason, which the page history keeps
(`REVIEWER_OUTSIDE_SPECIALTIES`).
"""

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from content_models.models import MedicalReviewer
from workflows import rules

REVIEWER_OUTSIDE_SPECIALTIES = "vetted.reviewer_outside_specialties"


def reviewer_covers(reviewer, topics):
    """Whether `reviewer`'s specialties cover every topic of `topics` that names some."""
    held = {specialty.pk for specialty in reviewer.specialties.all()}
    return all(
        held & {specialty.pk for specialty in topic.specialties.all()}
        for topic in topics
        if topic.specialties.all()
    )


def open_reviews():
    """``{reviewer id: reviews in progress assigned to them}``: per review workflow in
    progress, the reviewer its revision under review names."""
    assigned = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("current_task_state__revision__content__medical_reviewer", flat=True)
    return Counter(pk for pk in assigned if pk is not None)


def reviewer_label(reviewer, *, load, conflict=None, today=None):
    today = today or timezone.localdate()
    parts = [reviewer.byline]
    specialties = ", ".join(specialty.name for specialty in reviewer.specialties.all())
    parts.append(specialties or reviewer.specialty)
    if reviewer.organization:
        parts.append(reviewer.organization)
    parts.append(f"{load} open review{'s' if load != 1 else ''}")
    if not reviewer.credentials_valid_on(today):
        parts.append(f"verification lapsed {reviewer.credentials_verified_until:%d %b %Y}")
    if conflict is not None:
        parts.append(f"declared interest: {conflict.organization}")
    return " \u00b7 ".join(parts)


def reviewer_choices(topics):
    """The reviewer select's choices for an article on `topics`: those who cover them,
    fewest open reviews first, then everyone else, by name."""
    topics = list(topics)
    reviewers = MedicalReviewer.objects.prefetch_related("specialties").order_by("name", "pk")
    load = open_reviews()
    # A reviewer with a current declared interest in one of the topics is never suggested
    # (and could not approve: `workflows.rules`).
    conflicts = (
        {
            reviewer.pk: rules.interest_conflict_on_topics(reviewer=reviewer, topics=topics)
            for reviewer in reviewers
        }
        if topics
        else {}
    )
    covering, others = [], []
    for reviewer in reviewers:
        suggested = topics and reviewer_covers(reviewer, topics) and not conflicts[reviewer.pk]
        (covering if suggested else others).append(reviewer)
    covering.sort(key=lambda reviewer: (load.get(reviewer.pk, 0), reviewer.name))

    def options(group):
        return [
            (r.pk, reviewer_label(r, load=load.get(r.pk, 0), conflict=conflicts.get(r.pk)))
            for r in group
        ]

    if not topics:
        return [("", "---------"), *options(others)]
    groups = [
        ("Suggested for this article's topics (fewest open reviews first)", options(covering)),
        ("Other reviewers (say why below)", options(others)),
    ]
    return [("", "---------"), *((label, group) for label, group in groups if group)]


def reviewer_choices_data(topics):
    """`reviewer_choices(topics)` as JSON data: ``{"value", "label"}`` options, and groups
    of them as ``{"group", "options"}``."""
    data = []
    for value, label in reviewer_choices(topics):
        if isinstance(label, list):
            data.append(
                {"group": value, "options": [{"value": v, "label": text} for v, text in label]}
            )
        else:
            data.append({"value": value, "label": label})
    return data
