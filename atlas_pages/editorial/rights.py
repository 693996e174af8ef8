"""Who edits which part of the atlas: a press officer edits only the pages of their country
(or region) and the people and accounts of its posts.

Pages: Wagtail's page permissions on the country's subtree (`GroupPagePermission`, set up by
`manage.py setup_country_editors`). People and accounts have no per-object permissions in
Wagtail: they follow the post that owns them (an account's post, or its person's post), so
whoever may edit a post's page may work on its people and accounts. The model permissions
(add, change, publish, ...) still decide which actions a user may take at all.

Objects without a post (the political and civil-service top at home) belong to the whole atlas:
only users who may edit the whole atlas (page permission on the tree's root or an atlas page)
work on them, as do superusers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, Q, QuerySet
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.forms import ModelForm
    from wagtail.models import Page

#: The page tree: root (1) > an atlas page per language (2) > country (3) > post (4).
ATLAS_DEPTH = 2

PAGE_POLICY = PagePermissionPolicy()

M = TypeVar("M", bound=Model)


def editable_subtrees(user: User | AnonymousUser) -> list[Page]:
    """The pages under which the user may edit (Wagtail caches them on the user per request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    return [
        permission.page
        for permission in PAGE_POLICY.get_cached_permissions_for_user(user)
        if permission.permission.codename == "change_page"
    ]


def edits_whole_atlas(user: User | AnonymousUser) -> bool:
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return any(page.depth <= ATLAS_DEPTH for page in editable_subtrees(user))


def may_edit_post(user: User | AnonymousUser, post: Page | None) -> bool:
    """Whether the user's rights reach this post (None: an object of the whole atlas)."""
    if edits_whole_atlas(user):
        return True
    if post is None:
        return False
    return any(post.path.startswith(page.path) for page in editable_subtrees(user))


def may_add_for(user: User | AnonymousUser, model: type[Model], post: Page | None) -> bool:
    """Whether the user may add a person or account owned by this post: what a bulk import
    must check for every row."""
    can_add = policy_registry.get_by_type(model).user_has_permission(user, "add")
    return can_add and may_edit_post(user, post)


def within_reach(
    queryset: QuerySet[M], user: User | AnonymousUser, *post_lookups: str
) -> QuerySet[M]:
    """The objects of the queryset whose post (reached by any of `post_lookups`, e.g.
    "post__" or "person__post__"; "" for the posts themselves) the user may edit."""
    if edits_whole_atlas(user):
        return queryset
    reach = Q(pk__in=[])
    for page in editable_subtrees(user):
        for lookup in post_lookups:
            reach |= Q(**{f"{lookup}path__startswith": page.path})
    return queryset.filter(reach)


def limit_owner_choices(form: ModelForm, user: User | None) -> None:
    """A person's or account's form offers only owners within the user's reach: their posts,
    and people of their posts. A form without a person field (a person's own) then needs a
    post, since an object without one belongs to the whole atlas."""
    if user is None or edits_whole_atlas(user):
        return
    if "post" in form.fields:
        form.fields["post"].queryset = within_reach(form.fields["post"].queryset, user, "")
        if "person" not in form.fields:
            form.fields["post"].required = True
    if "person" in form.fields:
        form.fields["person"].queryset = within_reach(
            form.fields["person"].queryset, user, "post__"
        )
