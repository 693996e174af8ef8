"""Moderation with context: where an account or person belongs (post, country, platform) on the
review queue, in the e-mails and on the review screen; "approve and publish" as the review's
primary action with a message that says what happened; and the press workflow's and groups'
names in the admin user's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models.signals import post_init, pre_save
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop, override
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, Workflow

from atlas_pages.models import EditorialSnippet, Person, PostPage, SocialAccount

if TYPE_CHECKING:
    from django.db.models import Model


class TranslatedName(str):
    """A stored name printed in the language active when it is printed (the admin user's, or
    an e-mail recipient's): templates, `%s` and f-strings call `__str__`/`__format__`. Stored,
    compared and hashed as the English key it is."""

    def __str__(self) -> str:
        return gettext(str.__str__(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


#: The names the press setup (migration 0002) gives its workflow, task and groups; the
#: catalogue (locale/) translates them.
KNOWN_NAMES = (
    gettext_noop("Press review"),
    gettext_noop("Press moderators approval"),
    gettext_noop("Press editors"),
    gettext_noop("Press moderators"),
)


def canonical_name(name: str) -> str:
    """The stored (English) key for a name shown in any admin language: a form saved in the
    Dutch admin posts the Dutch name back."""
    for key in KNOWN_NAMES:
        for language, _name in settings.LANGUAGES:
            with override(language):
                if name == gettext(key):
                    return key
    return name


def named_models() -> list[type[Model]]:
    """The models whose stored names the press setup gives and the admin translates: groups,
    workflows and tasks (of every kind of task)."""
    return [model for model in apps.get_models() if issubclass(model, Group | Workflow | Task)]


def translate_known_name(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    # Read from __dict__: a deferred name must not cost a query.
    name = instance.__dict__.get("name")
    if name in KNOWN_NAMES:
        instance.name = TranslatedName(name)


def store_canonical_name(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if instance.name:
        instance.name = canonical_name(str(instance.name))


def connect_signals() -> None:
    """Translate the names of the named models, and store them canonical (called by
    AtlasPagesConfig.ready(), once all models are loaded)."""
    for model in named_models():
        post_init.connect(translate_known_name, sender=model, dispatch_uid="atlas_press_names")
        pre_save.connect(store_canonical_name, sender=model, dispatch_uid="atlas_press_names")


def desk_context(obj: Any) -> dict[str, Any]:  # noqa: ANN401 (any object in moderation)
    """Where an account or person belongs: its post, the post's country and (accounts) the
    platform and owner. Empty for anything else (pages have their own title and path)."""
    if isinstance(obj, SocialAccount):
        post = obj.owning_post
        return {
            "platform": obj.platform.name if obj.platform_id else "",
            "owner": str(obj.owner) if obj.owner else "",
            "post": post,
            "country": _country(post),
        }
    if isinstance(obj, Person):
        return {"platform": "", "owner": "", "post": obj.post, "country": _country(obj.post)}
    return {}


def _country(post: PostPage | None) -> str:
    return post.country.title if post and post.country_id else ""


def context_line(obj: Any) -> str:  # noqa: ANN401
    """The context as one line of text, e.g. "X (Twitter) · Embassy in Tokyo · Japan"."""
    context = desk_context(obj)
    if not context:
        return ""
    owner = context["owner"]
    post = context["post"].title if context["post"] else ""
    parts = [context["platform"], owner, post if post != owner else "", context["country"]]
    return " · ".join(part for part in parts if part)


def approval_message(obj: EditorialSnippet) -> str:
    """What "approve" did: published (and where it is live), scheduled, or still in review."""
    values = {"object": str(obj)}
    if obj.workflow_in_progress:
        return _("“%(object)s” approved; it goes on to the next review step.") % values
    if obj.live and not obj.has_unpublished_changes:
        post = desk_context(obj).get("post")
        if post is not None:
            return _("“%(object)s” approved and published; live on the %(post)s page.") % {
                **values,
                "post": post.title,
            }
        return _("“%(object)s” approved and published.") % values
    if obj.scheduled_revision:
        return _("“%(object)s” approved; it will be published at the scheduled time.") % values
    return _("“%(object)s” approved.") % values


#: The primary button of a person's or account's edit view, the first of these it offers: on
#: review "approve (and publish)"; for an editor "submit for review" (which saves too), not
#: hidden in the dropdown.
PRIMARY_ACTIONS = ("approve", "action-submit")


def primary_action_first(
    menu_items: list[Any], request: HttpRequest, context: Mapping[str, Any]
) -> None:
    """The `construct_snippet_action_menu` hook: the first of PRIMARY_ACTIONS offered leads."""
    for name in PRIMARY_ACTIONS:
        found = [item for item in menu_items if getattr(item, "name", "") == name]
        if found:
            for item in found:
                menu_items.remove(item)
            menu_items[:0] = found
            return
