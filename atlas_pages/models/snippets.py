"""The editorial base of people and accounts: drafts, revisions, locking, scheduling,
moderation and a preview, as pages have."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    Revision,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from atlas_pages.models.pages import PostPage


class EditorialSnippet(
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

    @property
    def approved_schedule(self) -> bool:
        # Annotated by pressdesk.with_editorial_state on lists, as Wagtail does for pages.
        if hasattr(self, "_approved_schedule"):
            return self._approved_schedule
        return super().approved_schedule

    class Meta:
        abstract = True
