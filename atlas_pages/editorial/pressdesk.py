"""The press desk: what editors and moderators see of the editorial state of accounts and
people, on a post's edit page and on the dashboard."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    Count,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, Revision, TaskState, WorkflowState

from atlas_pages.editorial import upkeep
from atlas_pages.models import EditorialSnippet, Person, PostPage, SocialAccount

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_Snippet = TypeVar("_Snippet", bound=EditorialSnippet)

#: How far back "recently published" looks, on the lists and the dashboard.
RECENT_DAYS = 7
#: How many posts without an account the dashboard names.
POSTS_SHOWN = 10


def with_editorial_state(queryset: QuerySet[_Snippet]) -> QuerySet[_Snippet]:
    """The queryset with what `status_string` and "last edited" read, in a fixed number of
    queries: Wagtail's own optimisations for page listings, applied to a snippet (the
    attributes EditorialSnippet's schedule and workflow accessors read)."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    scheduled = Revision.objects.filter(
        base_content_type=content_type,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        approved_go_live_at__isnull=False,
    )
    active_states = WorkflowState.objects.active().select_related("current_task_state__task")
    return (
        queryset.select_related("latest_revision__user")
        .annotate(has_approved_schedule=Exists(scheduled))
        .prefetch_related(
            Prefetch("workflow_states", queryset=active_states, to_attr="active_workflow_states")
        )
    )


def in_review(queryset: QuerySet[_Snippet]) -> QuerySet[_Snippet]:
    """Objects a moderator has yet to decide on (Wagtail's "in moderation")."""
    return queryset.filter(workflow_states__status=WorkflowState.STATUS_IN_PROGRESS)


def drafts(queryset: QuerySet[_Snippet]) -> QuerySet[_Snippet]:
    """Objects never published or with changes not yet published."""
    return queryset.filter(Q(live=False) | Q(has_unpublished_changes=True))


def edited_by(queryset: QuerySet[_Snippet], user: User) -> QuerySet[_Snippet]:
    """Objects whose latest revision is the user's."""
    return queryset.filter(latest_revision__user=user)


def published_recently(queryset: QuerySet[_Snippet]) -> QuerySet[_Snippet]:
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    return queryset.filter(live=True, last_published_at__gte=since)


def add_url(model: type[EditorialSnippet], **params: str | int) -> str:
    """The snippet's create view with fields chosen in advance (OwnerPrefillCreateView)."""
    url = reverse(model.snippet_viewset.get_url_name("add"))
    return f"{url}?{urlencode(params)}" if params else url


def edit_url(obj: EditorialSnippet) -> str:
    return reverse(type(obj).snippet_viewset.get_url_name("edit"), args=(obj.pk,))


def post_desk(post: PostPage) -> dict[str, Any]:
    """The accounts and people of a post in any of its languages, for its edit page."""
    back = reverse("wagtailadmin_pages:edit", args=(post.pk,))
    translations = Q(post__translation_key=post.translation_key)
    accounts = with_editorial_state(
        SocialAccount.objects.filter(
            translations | Q(person__post__translation_key=post.translation_key)
        )
        .select_related("platform", "person")
        .order_by("platform__sort_order", "handle")
    )
    people = with_editorial_state(
        Person.objects.filter(translations, locale=Locale.get_default()).order_by("name")
    )
    return {
        "accounts": [_row(account) for account in accounts],
        "people": [_row(person) for person in people],
        "add_account_url": add_url(SocialAccount, post=post.pk, next=back),
        "add_person_url": add_url(Person, post=post.pk, next=back),
    }


def with_desk_context(objects: Iterable[Model]) -> None:
    """Load, in a query per relation, what the moderation panels read of each account or person
    among the objects (its platform, owner, post and country: moderation.desk_context, and the
    post that decides the user's rights): not a few queries per object."""
    accounts = [obj for obj in objects if isinstance(obj, SocialAccount)]
    people = [obj for obj in objects if isinstance(obj, Person)]
    prefetch_related_objects(accounts, "platform", "post__country", "person__post__country")
    prefetch_related_objects(people, "post__country")


def _row(obj: EditorialSnippet) -> dict[str, Any]:
    revision = obj.latest_revision
    return {
        "object": obj,
        "status": obj.status_string,
        "live": obj.live,
        "edited_by": revision.user if revision else None,
        "edited_at": revision.created_at if revision else None,
        "edit_url": edit_url(obj),
    }


def list_url(model: type[EditorialSnippet], **filters: str) -> str:
    url = reverse(model.snippet_viewset.get_url_name("list"))
    return f"{url}?{urlencode(filters)}" if filters else url


def dashboard(user: User) -> dict[str, Any]:
    """The press desk's counts for one user, each with the list it counts: a query per model
    (and one for the reviews awaiting the user), one for the posts without an account."""
    models = (SocialAccount, Person)
    counts = {
        model: count_each(
            model,
            mine=edited_by(drafts(model.objects.all()), user),
            recent=published_recently(model.objects.all()),
        )
        for model in models
    }
    rows = []  # (heading, the count of each model, the lists' filters)
    if user.has_perm("atlas_pages.publish_socialaccount"):
        awaiting = TaskState.objects.reviewable_by(user).aggregate(
            **{
                model._meta.model_name: Count(
                    "pk",
                    filter=Q(
                        workflow_state__base_content_type=ContentType.objects.get_for_model(model)
                    ),
                )
                for model in models
            }
        )
        rows.append(
            (
                _("Awaiting my review"),
                {model: awaiting[model._meta.model_name] for model in models},
                {"status": "in_review"},
            )
        )
    rows.append(
        (
            _("My drafts"),
            {model: counts[model]["mine"] for model in models},
            {"status": "draft", "mine": "true"},
        )
    )
    rows.append(
        (
            _("Published in the last 7 days"),
            {model: counts[model]["recent"] for model in models},
            {"recent": "true"},
        )
    )
    # The first few and how many there are, in one query.
    lonely = list(posts_without_accounts().annotate(total=Window(Count("pk")))[:POSTS_SHOWN])
    return {
        "sections": [
            (heading, [_count(model, count, **filters) for model, count in row.items()])
            for heading, row, filters in rows
        ],
        "posts_without_accounts": lonely,
        "posts_without_accounts_count": lonely[0].total if lonely else 0,
    }


def count_each(model: type[Model], **querysets: QuerySet) -> dict[str, int]:
    """How many objects of the model each queryset holds, counted in one query."""
    return model.objects.aggregate(
        **{
            name: Count("pk", filter=Q(pk__in=queryset.values("pk")))
            for name, queryset in querysets.items()
        }
    )


def _count(model: type[EditorialSnippet], count: int, **filters: str) -> dict[str, Any]:
    return {
        "label": model._meta.verbose_name_plural,
        "count": count,
        "url": list_url(model, **filters),
    }


def posts_without_accounts() -> QuerySet[PostPage]:
    """Posts (in the default language, one per post) with no account of their own or of a
    person serving there, in any language."""
    # The translations served, found once (not an OR of joins tried for every post).
    served = Page.objects.filter(
        Q(pk__in=SocialAccount.objects.values("post_id"))
        | Q(pk__in=SocialAccount.objects.values("person__post_id"))
    )
    return (
        PostPage.objects.filter(locale=Locale.get_default())
        .exclude(translation_key__in=served.values("translation_key"))
        .order_by("title")
    )


def upkeep_rows() -> list[dict[str, Any]]:
    """The dashboard's upkeep counts, each with the list it counts: accounts awaiting
    moderation, due for review (atlas_pages.editorial.upkeep) and with a broken link; one
    query."""
    accounts = SocialAccount.objects.all()
    counts = count_each(
        SocialAccount,
        in_review=in_review(accounts),
        review_due=upkeep.review_due(accounts),
        broken_links=upkeep.with_broken_link(accounts),
    )
    return [
        {
            "name": "in_review",
            "label": _("Accounts awaiting moderation"),
            "count": counts["in_review"],
            "url": list_url(SocialAccount, status="in_review"),
        },
        {
            "name": "review_due",
            "label": _("Accounts not reviewed in %(days)d days") % {"days": upkeep.max_age().days},
            "count": counts["review_due"],
            "url": upkeep.queue_url(),
        },
        {
            "name": "broken_links",
            "label": _("Accounts with a broken link"),
            "count": counts["broken_links"],
            "url": list_url(SocialAccount, link="broken"),
        },
    ]
