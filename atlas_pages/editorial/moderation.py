"""Moderation with context: where an account or person belongs (post, country, platform) on the
review queue, in the e-mails and on the review screen; "approve and publish" as the review's
primary action with a message that says what happened; and the press workflow's and groups'
names in the admin user's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models.signals import post_init, pre_save
from django.http import HttpRequest
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext, override
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, Workflow

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


#: The names the press setup (migration 0002) gives its workflow, task and groups, and the
#: one Wagtail's own setup gives its default workflow and task; the catalogue (locale/)
#: translates them.
KNOWN_NAMES = (
    gettext_noop("Press review"),
    gettext_noop("Press moderators approval"),
    gettext_noop("Press editors"),
    gettext_noop("Press moderators"),
    gettext_noop("Moderators approval"),
)

#: The title Wagtail's setup gives the root of the page tree, shown in the admin's breadcrumbs
#: and the page chooser.
ROOT_TITLE = gettext_noop("Root")


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


def translate_root_title(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """The root page's stored "Root" in the reader's language (only Wagtail's own Page is the
    root's class: the signal is connected for it alone)."""
    if instance.__dict__.get("depth") != 1:
        return
    for field in ("title", "draft_title"):
        if instance.__dict__.get(field) == ROOT_TITLE:
            setattr(instance, field, TranslatedName(ROOT_TITLE))


def store_root_title(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    for field in ("title", "draft_title"):
        value = instance.__dict__.get(field)
        if isinstance(value, TranslatedName):
            setattr(instance, field, str.__str__(value))


def connect_signals() -> None:
    """Translate the names of the named models and the root page's title, and store them
    canonical (called by AtlasPagesConfig.ready(), once all models are loaded)."""
    for model in named_models():
        post_init.connect(translate_known_name, sender=model, dispatch_uid="atlas_press_names")
        pre_save.connect(store_canonical_name, sender=model, dispatch_uid="atlas_press_names")
    post_init.connect(translate_root_title, sender=Page, dispatch_uid="atlas_root_title")
    pre_save.connect(store_root_title, sender=Page, dispatch_uid="atlas_root_title")


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


def approval_message(obj: EditorialSnippet) -> SafeString:
    """What "approve" did: published (and where it is live, linked), scheduled, or still in
    review."""
    values = {"object": str(obj)}
    if obj.workflow_in_progress:
        return _html(_("“%(object)s” approved; it goes on to the next review step."), values)
    if obj.live and not obj.has_unpublished_changes:
        post = desk_context(obj).get("post")
        if post is not None:
            return _html(
                _("“%(object)s” approved and published; live on the %(post)s page."),
                {**values, "post": page_link(post)},
            )
        return _html(_("“%(object)s” approved and published."), values)
    if obj.scheduled_revision:
        return _html(
            _("“%(object)s” approved; it will be published at the scheduled time."), values
        )
    return _html(_("“%(object)s” approved."), values)


def approvals_message(objects: Sequence[EditorialSnippet], model: type[Model]) -> SafeString:
    """What a bulk "approve" did, by outcome: how many were published and the pages where they
    are live (linked), how many go on to the next review step, are scheduled or only
    approved."""
    published, onward, scheduled, approved = [], [], [], []
    for obj in objects:
        obj = type(obj).objects.get(pk=obj.pk)  # its state after the approval
        if obj.workflow_in_progress:
            onward.append(obj)
        elif obj.live and not obj.has_unpublished_changes:
            published.append(obj)
        elif obj.scheduled_revision:
            scheduled.append(obj)
        else:
            approved.append(obj)
    sentences = []
    if published:
        posts = {post.pk: post for obj in published if (post := desk_context(obj).get("post"))}
        pages = format_html_join(", ", "{}", ((page_link(post),) for post in posts.values()))
        if posts:
            message = ngettext(
                "%(count)d %(model_name)s approved and published; live on: %(pages)s.",
                "%(count)d %(model_name)s approved and published; live on: %(pages)s.",
                len(published),
            )
        else:
            message = ngettext(
                "%(count)d %(model_name)s approved and published.",
                "%(count)d %(model_name)s approved and published.",
                len(published),
            )
        sentences.append(_counted(message, published, model, pages=pages))
    if onward:
        message = ngettext(
            "%(count)d %(model_name)s approved; it goes on to the next review step.",
            "%(count)d %(model_name)s approved; they go on to the next review step.",
            len(onward),
        )
        sentences.append(_counted(message, onward, model))
    if scheduled:
        message = ngettext(
            "%(count)d %(model_name)s approved; it will be published at the scheduled time.",
            "%(count)d %(model_name)s approved; they will be published at the scheduled time.",
            len(scheduled),
        )
        sentences.append(_counted(message, scheduled, model))
    if approved:
        message = ngettext(
            "%(count)d %(model_name)s approved.",
            "%(count)d %(model_name)s approved.",
            len(approved),
        )
        sentences.append(_counted(message, approved, model))
    return format_html_join(" ", "{}", ((sentence,) for sentence in sentences))


def _counted(
    message: str, objects: Sequence[EditorialSnippet], model: type[Model], **values: str
) -> SafeString:
    meta = model._meta
    name = meta.verbose_name if len(objects) == 1 else meta.verbose_name_plural
    return _html(message, {"count": len(objects), "model_name": str(name), **values})


def page_link(page: Page) -> SafeString:
    """A page's title, linked to the page on the site when it is live there."""
    url = page.get_url() if page.live else None
    return format_html('<a href="{}">{}</a>', url, page.title) if url else escape(page.title)


def _html(message: str, values: Mapping[str, Any]) -> SafeString:
    """A translated %-message filled with values, as HTML: the values escaped unless safe (a
    link)."""
    return mark_safe(  # noqa: S308 (the message and the values are escaped)
        conditional_escape(message)
        % {
            name: conditional_escape(value) if isinstance(value, str) else value
            for name, value in values.items()
        }
    )


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
