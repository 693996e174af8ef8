"""The editorial base of people and accounts: drafts, revisions, locking, scheduling,
moderation and a preview, as pages have."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    Revision,
    RevisionMixin,
    WorkflowMixin,
    WorkflowState,
)
from wagtail.search import index

from atlas_pages.models.pages import PostPage
from atlas_pages.models.publishing import PublishedInOneTransaction


class EditorialSnippet(
    PublishedInOneTransaction,
    PreviewableMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    models.Model,
):
    """A snippet that goes through the press workflow like a page: drafts, revisions,
    locking, scheduled publishing, moderation and a preview."""

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="%(class)s")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="%(class)s",
        for_concrete_model=False,
    )

    @property
    def revisions(self) -> models.Manager[Revision]:
        return self._revisions

    @property
    def owning_post(self) -> PostPage | None:
        """The post whose editors may work on this object (atlas_pages.editorial.rights)."""
        raise NotImplementedError

    # Lists read the editorial state of many objects at once (editorial.pressdesk's
    # with_editorial_state): they set `has_approved_schedule` (annotated) and
    # `active_workflow_states` (prefetched: the one in progress or needing changes, if any),
    # which Wagtail's public accessors below then read instead of querying per object.

    @property
    def approved_schedule(self) -> bool:
        annotated = self.__dict__.get("has_approved_schedule")
        return super().approved_schedule if annotated is None else annotated

    @property
    def current_workflow_state(self) -> WorkflowState | None:
        states = self._active_workflow_states()
        if states is None:
            return super().current_workflow_state
        return next(iter(states), None)

    @property
    def workflow_in_progress(self) -> bool:
        states = self._active_workflow_states()
        if states is None:
            return super().workflow_in_progress
        return any(state.status == WorkflowState.STATUS_IN_PROGRESS for state in states)

    def _active_workflow_states(self) -> list[WorkflowState] | None:
        """The prefetched active workflow states; None when not prefetched, or when workflows
        are off (Wagtail's accessors then answer without a query)."""
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return None
        return self.__dict__.get("active_workflow_states")

    class Meta:
        abstract = True
