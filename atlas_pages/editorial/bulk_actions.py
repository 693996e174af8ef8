"""Bulk actions on the account and people lists. Editors: submit for review, move to another
post, mark accounts reviewed. Moderators: approve, publish, unpublish. Each object is checked
on its own (the model's permission policy and its workflow state); those the user may not act
on are listed as such on the confirmation page and left alone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from wagtail.models import Locale
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from atlas_pages.editorial import moderation, upkeep
from atlas_pages.editorial.filters import SocialAccountFilterSet
from atlas_pages.models import EditorialSnippet, Person, PostPage, SocialAccount
from atlas_pages.publication import generation

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet


class EditorialBulkAction(SnippetBulkAction):
    """One confirmation page for all: a question, the objects, a button."""

    template_name = "atlas_pages/admin/confirm_bulk_action.html"
    #: The permission (of the model's policy) each object needs.
    permission: ClassVar[str] = "change"
    question: ClassVar[str] = ""
    no_access: ClassVar[str] = _("You cannot do this to these objects:")
    #: What happened, by the number of objects, e.g. "2 Accounts submitted for review."
    done: ClassVar[str] = ""

    @classproperty
    def models(cls) -> list[type[EditorialSnippet]]:  # noqa: N805 (a class property)
        return [SocialAccount, Person]

    def check_perm(self, obj: EditorialSnippet) -> bool:
        user = self.request.user
        allowed = self.permission_policy.user_has_permission_for_instance(
            user, self.permission, obj
        )
        lock = obj.get_lock()  # an editor's lock, or the review's for those who may not review
        return allowed and not (lock and lock.for_user(user)) and self.applies_to(obj, user)

    def applies_to(self, obj: EditorialSnippet, user: User) -> bool:
        """Whether the action makes sense for the object in its current state."""
        return True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(question=self.question, no_access=self.no_access, button=self.display_name)
        return context

    def get_execution_context(self) -> dict[str, Any]:
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(
        cls, objects: list[EditorialSnippet], user: User | None = None, **kwargs: Any
    ) -> tuple[int, int]:
        # All or none, and one new publication generation for all (not one per object).
        with generation.batch():
            for obj in objects:
                cls.act(obj, user, **kwargs)
        return len(objects), 0

    @classmethod
    def act(cls, obj: EditorialSnippet, user: User | None, **kwargs: Any) -> None:
        raise NotImplementedError

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        meta = self.model._meta
        name = meta.verbose_name if num_parent_objects == 1 else meta.verbose_name_plural
        return self.done % {"count": num_parent_objects, "model_name": name}


class SubmitBulkAction(EditorialBulkAction):
    display_name = _("Submit for review")
    action_type = "submit_for_review"
    aria_label = _("Submit the selected items for review")
    action_priority = 10
    question = _("Submit these for review?")
    done = ngettext_lazy(
        "%(count)d %(model_name)s submitted for review.",
        "%(count)d %(model_name)s submitted for review.",
        "count",
    )

    def applies_to(self, obj: EditorialSnippet, user: User) -> bool:
        # Nothing to review: already in review, or live without changes.
        has_changes = not obj.live or obj.has_unpublished_changes
        return has_changes and not obj.workflow_in_progress and obj.get_workflow() is not None

    @classmethod
    def act(cls, obj: EditorialSnippet, user: User | None, **kwargs: Any) -> None:
        if obj.latest_revision is None:
            obj.save_revision(user=user)
        obj.get_workflow().start(obj, user)


class MoveToPostForm(forms.Form):
    post = forms.ModelChoiceField(
        queryset=PostPage.objects.none(),
        label=_("New post"),
        help_text=_("A person's own accounts stay with the person: move the person instead."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Owners are the posts of the default language, as on the edit forms.
        self.fields["post"].queryset = PostPage.objects.filter(
            locale=Locale.get_default()
        ).order_by("title")


class MoveBulkAction(EditorialBulkAction):
    display_name = _("Move to another post")
    action_type = "move_to_post"
    aria_label = _("Move the selected items to another post")
    action_priority = 20
    form_class = MoveToPostForm
    question = _("Move these to another post? The change is saved as a draft to be reviewed.")
    done = ngettext_lazy(
        "%(count)d %(model_name)s moved (as a draft).",
        "%(count)d %(model_name)s moved (as drafts).",
        "count",
    )

    def applies_to(self, obj: EditorialSnippet, user: User) -> bool:
        # An account owned by a person belongs where the person is.
        return not (isinstance(obj, SocialAccount) and obj.person_id)

    def get_execution_context(self) -> dict[str, Any]:
        return {**super().get_execution_context(), "post": self.cleaned_form.cleaned_data["post"]}

    @classmethod
    def act(
        cls, obj: EditorialSnippet, user: User | None, post: PostPage | None = None, **kwargs: Any
    ) -> None:
        """A new revision with the new post, as the edit form would save it: published only
        after review."""
        draft = obj.get_latest_revision_as_object()
        draft.post = post
        draft.full_clean()
        draft.save_revision(user=user)


class ApproveBulkAction(EditorialBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected items")
    action_priority = 30
    permission = "publish"
    question = _("Approve these? At the last review step, approving publishes.")

    def applies_to(self, obj: EditorialSnippet, user: User) -> bool:
        task = obj.current_workflow_task
        return task is not None and "approve" in [a[0] for a in task.get_actions(obj, user)]

    @classmethod
    def act(cls, obj: EditorialSnippet, user: User | None, **kwargs: Any) -> None:
        obj.current_workflow_task.on_action(obj.current_workflow_task_state, user, "approve")

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        """What the approvals did: published (with links to the pages where they are live), on
        to the next step, scheduled."""
        return moderation.approvals_message(self.actionable_objects, self.model)


class PublishBulkAction(EditorialBulkAction):
    display_name = _("Publish")
    action_type = "publish"
    aria_label = _("Publish the selected items")
    action_priority = 40
    permission = "publish"
    question = _("Publish the latest version of these? A review in progress ends.")
    done = ngettext_lazy(
        "%(count)d %(model_name)s published.",
        "%(count)d %(model_name)s published.",
        "count",
    )

    def applies_to(self, obj: EditorialSnippet, user: User) -> bool:
        return not obj.live or obj.has_unpublished_changes

    @classmethod
    def act(cls, obj: EditorialSnippet, user: User | None, **kwargs: Any) -> None:
        revision = obj.latest_revision or obj.save_revision(user=user)
        revision.publish(user=user)


class UnpublishBulkAction(EditorialBulkAction):
    display_name = _("Unpublish")
    action_type = "unpublish"
    aria_label = _("Unpublish the selected items")
    action_priority = 50
    permission = "publish"
    question = _("Take these off the atlas? They stay as drafts.")
    done = ngettext_lazy(
        "%(count)d %(model_name)s unpublished.",
        "%(count)d %(model_name)s unpublished.",
        "count",
    )

    def applies_to(self, obj: EditorialSnippet, user: User) -> bool:
        return obj.live

    @classmethod
    def act(cls, obj: EditorialSnippet, user: User | None, **kwargs: Any) -> None:
        obj.unpublish(user=user)


class MarkReviewedBulkAction(SnippetBulkAction):
    """ "Mark reviewed" on the selected accounts: for everyone who may edit them."""

    display_name = _("Mark reviewed")
    action_type = "mark-reviewed"
    aria_label = _("Mark the selected accounts as reviewed")
    template_name = "atlas_pages/admin/confirm_mark_reviewed.html"
    action_priority = 20

    models = [SocialAccount]

    def check_perm(self, obj: SocialAccount) -> bool:
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    def get_all_objects_in_listing_query(self, parent_id: str | None) -> QuerySet:
        """ "Select all in listing" sends the listing's filters along (the review queue's, say):
        all of the filtered list, not every account."""
        filters = SocialAccountFilterSet(
            self.request.GET, queryset=SocialAccount.objects.all(), request=self.request
        )
        return filters.qs.values_list("pk", flat=True)

    @classmethod
    def execute_action(
        cls, objects: list[SocialAccount], user: User | None = None, **kwargs: Any
    ) -> tuple[int, int]:
        return upkeep.mark_reviewed(objects, kwargs["self"].request.user), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d account marked as reviewed.",
            "%(count)d accounts marked as reviewed.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


BULK_ACTIONS = (
    MarkReviewedBulkAction,
    SubmitBulkAction,
    MoveBulkAction,
    ApproveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
