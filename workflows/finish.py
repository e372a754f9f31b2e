"""What happens when a workflow finishes (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Wagtail imports this while it defines its own models, so it imports nothing
from Django models at module level.
"""


def workflow_state_publish(workflow_state, user=None):
    """Publish the revision the final step approved.

    Wagtail's default publishes the page's latest revision with the approver's
    own publish permission. Vetted publishes exactly the revision the last task
    approved: approving the final step is the authority to publish it, and the
    clinical gate still checks the content on the way.
    """
    task_state = workflow_state.current_task_state
    if task_state is not None:
        revision = task_state.revision
    else:  # a workflow without tasks approves the latest revision, as in Wagtail
        revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
