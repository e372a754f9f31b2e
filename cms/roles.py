"""The role groups of PRODUCT.md section 1 and the permissions each needs."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from content_models.models import Author, MedicalReviewer, Specialty, Topic
from workflows.roles import CLINICIANS, EDITORS, WRITERS

# Page permissions on the article index (and so on every article under it).
PAGE_PERMISSIONS = {
    WRITERS: ("add_page", "change_page"),
    # Editors publish (which the gate still checks) so that they can always
    # unpublish: Wagtail ties unpublishing to the publish permission.
    EDITORS: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    CLINICIANS: (),
}
SNIPPET_ACTIONS = {
    WRITERS: ("view",),
    EDITORS: ("add", "change", "delete", "view"),
    CLINICIANS: ("view",),
}
IMAGE_PERMISSIONS = {
    WRITERS: ("add_image", "choose_image"),
    EDITORS: ("add_image", "change_image", "choose_image"),
    CLINICIANS: ("choose_image",),
}


def _permission(codename, model=None):
    if model is None:
        return Permission.objects.get(codename=codename, content_type__app_label="wagtailcore")
    content_type = ContentType.objects.get_for_model(model)
    return Permission.objects.get(codename=codename, content_type=content_type)


@transaction.atomic
def roles_ensure(*, article_index):
    """Create the role groups with their permissions; idempotent."""
    access_admin = Permission.objects.get(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    root_collection = Collection.get_first_root_node()
    image_type = ContentType.objects.get(app_label="wagtailimages", model="image")
    groups = {}
    for name in (WRITERS, EDITORS, CLINICIANS):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for codename in PAGE_PERMISSIONS[name]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=article_index, permission=_permission(codename)
            )
        for model in (Author, MedicalReviewer, Topic, Specialty):
            for action in SNIPPET_ACTIONS[name]:
                group.permissions.add(_permission(f"{action}_{model._meta.model_name}", model))
        for codename in IMAGE_PERMISSIONS[name]:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(codename=codename, content_type=image_type),
            )
        groups[name] = group
    return groups
