"""Who may see and change webhooks: editors and administrators, no one else.

Endpoint secrets and delivery logs are not for writers or clinicians, so this
does not go through per-model Django permissions a group could be handed by
mistake: membership of `Editors` (or being a superuser) is the rule.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from workflows.roles import EDITORS


def is_webhook_manager(user):
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=EDITORS).exists()


class EditorsOnlyPolicy(BasePermissionPolicy):
    """Editors and superusers may take `actions` on the model; everyone else nothing."""

    def __init__(self, model, *, actions):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and is_webhook_manager(user)

    def user_has_any_permission(self, user, actions):
        return bool(self.actions.intersection(actions)) and is_webhook_manager(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not self.actions.intersection(actions):
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(groups__name=EDITORS)).distinct()
