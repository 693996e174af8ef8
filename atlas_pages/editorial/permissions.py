"""Who may do what with people and accounts in the admin.

Editors draft and submit, moderators approve, publish, unpublish, delete what is live and
manage platforms (groups and permissions: migrations 0002 and 0004; the live-deletion rule:
`EditorialPermissionPolicy`). README.md has the whole matrix.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from atlas_pages.editorial import rights
from atlas_pages.models import EditorialSnippet, Person, SocialAccount

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class EditorialPermissionPolicy(ModelPermissionPolicy):
    """People and accounts: a user works only on those of the posts within their reach
    (`atlas_pages.editorial.rights`, per-country editing); deleting one the public sees takes
    the right to publish it, as Wagtail's rule for pages does; a draft never published is the
    editor's to delete."""

    def __init__(self, model: type[EditorialSnippet], *post_lookups: str) -> None:
        super().__init__(model)
        #: How the model reaches its owning post, e.g. "post__" or "person__post__".
        self.post_lookups = post_lookups

    def user_has_permission_for_instance(
        self, user: User, action: str, instance: EditorialSnippet
    ) -> bool:
        if not rights.may_edit_post(user, instance.owning_post):
            return False
        if action == "delete" and instance.live and not self.user_has_permission(user, "publish"):
            return False
        return super().user_has_permission_for_instance(user, action, instance)

    def instances_user_has_any_permission_for(
        self, user: User, actions: Iterable[str]
    ) -> QuerySet[EditorialSnippet]:
        instances = super().instances_user_has_any_permission_for(user, actions)
        return rights.within_reach(instances, user, *self.post_lookups)


def register_policies() -> None:
    """The policies of people and accounts, registered (by AtlasPagesConfig.ready()) before
    Wagtail registers the snippet viewsets, which would otherwise create the default policy."""
    register_permission_policy(
        Person, EditorialPermissionPolicy(Person, "post__"), exact_class=True
    )
    register_permission_policy(
        SocialAccount,
        EditorialPermissionPolicy(SocialAccount, "post__", "person__post__"),
        exact_class=True,
    )


def refuse_deletion_without_instance_permission(
    request: HttpRequest, instances: list[EditorialSnippet]
) -> HttpResponse | None:
    """Wagtail's single-object delete view checks only the model-wide "delete" permission;
    hold it (and bulk deletion) to the per-object rule of the model's permission policy
    (the `before_delete_snippet` hook)."""
    for instance in instances:
        policy = policy_registry.get(instance)
        if policy.user_has_permission_for_instance(request.user, "delete", instance):
            continue
        if not policy.user_has_permission_for_instance(request.user, "change", instance):
            return permission_denied(request)  # another country's
        messages.error(
            request,
            _("“%(object)s” is published: only a moderator can delete it.") % {"object": instance},
        )
        return redirect(instance.snippet_viewset.get_url_name("list"))
    return None


def may_keep_accounts(user: User | AnonymousUser) -> bool:
    """Editors and moderators (and superusers): whoever may edit or publish accounts; they
    see the press desk's queues."""
    return user.is_authenticated and policy_registry.get_by_type(
        SocialAccount
    ).user_has_any_permission(user, ["change", "publish"])
