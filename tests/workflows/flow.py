"""Steps of the review workflow, as the people involved take them."""

from content_models.models import ArticlePage


def fresh(page):
    return ArticlePage.objects.get(pk=page.pk)


def submit(page, user):
    page = fresh(page)
    return page.get_workflow().start(page, user)


def act(page, user, action, comment=""):
    page = fresh(page)
    state = page.current_workflow_task_state
    return state.task.specific.on_action(state, user, action, comment=comment)


def through_editorial(page, people):
    submit(page, people["writer"])
    act(page, people["editor"], "approve")
    return fresh(page).current_workflow_task_state


def approve_all(page, people, comment="Accurate."):
    through_editorial(page, people)
    act(page, people["clinician"], "approve", comment=comment)
    return fresh(page)


def edit(page, **changes):
    """Save a new draft revision with `changes`, as the editor form would."""
    draft = fresh(page).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft.save_revision()
