"""First revisions written in bulk: the revision and the history entry the admin gives a new
page or snippet, for thousands of objects in a few queries (the account import, the demo
loader and the atlas generator)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from wagtail.log_actions import registry as log_registry
from wagtail.models import DraftStateMixin, Page, Revision

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

#: Objects per UPDATE that joins them to their new revisions.
UPDATE_BATCH = 500


def write_first_revisions(
    objects: Sequence[DraftStateMixin],
    *,
    user: AbstractBaseUser | None = None,
    publish: bool = True,
    now: datetime.datetime | None = None,
) -> None:
    """Give new, saved objects their first revision (their latest, and their live one when
    published) and a "published" or "created" entry in their history, by `user`, as the admin
    does, but in a few queries for all instead of a dozen for each. Published objects also get
    their first and last publication moments."""
    if not objects:
        return
    now = now or timezone.now()
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                base_content_type=obj.get_base_content_type(),
                object_id=str(obj.pk),
                created_at=now,
                user=user,
                content=obj.serializable_data(),
                object_str=str(obj),
            )
            for obj in objects
        ]
    )
    by_model = defaultdict(list)
    entries = defaultdict(list)
    for obj, revision in zip(objects, revisions, strict=True):
        obj.latest_revision = revision
        if publish:
            obj.live_revision = revision
            obj.first_published_at = obj.first_published_at or now
            obj.last_published_at = now
        by_model[type(obj)].append(obj)
        log_model = log_registry.get_log_model_for_instance(obj)
        owner = {"page": obj} if isinstance(obj, Page) else {"object_id": str(obj.pk)}
        entries[log_model].append(
            log_model(
                content_type=revision.content_type,
                label=obj.get_admin_display_title() if isinstance(obj, Page) else str(obj),
                action="wagtail.publish" if publish else "wagtail.create",
                timestamp=now,
                user=user,
                revision=revision,
                content_changed=True,
                **owner,
            )
        )
    for model, objs in by_model.items():
        # One UPDATE joining each object to its new revision: bulk_update's CASE per row
        # grows with the batch and took most of the time for thousands of snippets.
        new_revision = Subquery(
            Revision.objects.filter(
                base_content_type=objs[0].get_base_content_type(),
                object_id=Cast(OuterRef("pk"), CharField()),
            )
            .order_by("-pk")
            .values("pk")[:1]
        )
        fields = {"latest_revision": new_revision}
        if publish:
            fields["live_revision"] = new_revision
            fields["first_published_at"] = Coalesce("first_published_at", Value(now))
            fields["last_published_at"] = now
        if issubclass(model, Page):
            for obj in objs:
                obj.latest_revision_created_at = now
            fields["latest_revision_created_at"] = now
        pks = [obj.pk for obj in objs]
        for start in range(0, len(pks), UPDATE_BATCH):
            model.objects.filter(pk__in=pks[start : start + UPDATE_BATCH]).update(**fields)
    for log_model, objs in entries.items():
        log_model.objects.bulk_create(objs)
