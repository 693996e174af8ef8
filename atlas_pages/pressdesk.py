"""The press desk: what editors and moderators see of the editorial state of accounts and
people, on a post's edit page and on the dashboard."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Cast
from django.urls import reverse
from wagtail.models import Revision, WorkflowState

from atlas_pages.models import Person, SocialAccount


def with_editorial_state(queryset):
    """The queryset with what `status_string` and "last edited" read, in a fixed number of
    queries: Wagtail's own optimisations for page listings, applied to a snippet."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    scheduled = Revision.objects.filter(
        base_content_type=content_type,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        approved_go_live_at__isnull=False,
    )
    active_states = WorkflowState.objects.active().select_related("current_task_state__task")
    return (
        queryset.select_related("latest_revision__user")
        .annotate(_approved_schedule=Exists(scheduled))
        .prefetch_related(
            Prefetch("workflow_states", queryset=active_states, to_attr="_current_workflow_states")
        )
    )


def in_review(queryset):
    """Objects a moderator has yet to decide on (Wagtail's "in moderation")."""
    return queryset.filter(workflow_states__status=WorkflowState.STATUS_IN_PROGRESS)


def add_url(model, **initial):
    """The snippet's create view with fields chosen in advance (see OwnerPrefillMixin)."""
    url = reverse(model.snippet_viewset.get_url_name("add"))
    query = "&".join(f"{name}={value}" for name, value in initial.items())
    return f"{url}?{query}" if query else url


def edit_url(obj):
    return reverse(type(obj).snippet_viewset.get_url_name("edit"), args=(obj.pk,))


def post_desk(post):
    """The accounts and people of a post in any of its languages, for its edit page."""
    translations = Q(post__translation_key=post.translation_key)
    accounts = with_editorial_state(
        SocialAccount.objects.filter(
            translations | Q(person__post__translation_key=post.translation_key)
        )
        .select_related("platform", "person")
        .order_by("platform__sort_order", "handle")
    )
    people = with_editorial_state(Person.objects.filter(translations).order_by("name"))
    return {
        "accounts": [_row(account) for account in accounts],
        "people": [_row(person) for person in people],
        "add_account_url": add_url(SocialAccount, post=post.pk),
        "add_person_url": add_url(Person, post=post.pk),
    }


def _row(obj):
    revision = obj.latest_revision
    return {
        "object": obj,
        "status": obj.status_string,
        "live": obj.live,
        "in_review": obj.workflow_in_progress,
        "edited_by": revision.user if revision else None,
        "edited_at": revision.created_at if revision else None,
        "edit_url": edit_url(obj),
    }
