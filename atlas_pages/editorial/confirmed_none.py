"""Known, not assumed: an editor confirms in one click that a post has no account on a
platform ("confirmed none"), from the coverage report or the post's edit view, and can undo
it. Whoever may edit the post (atlas_pages.editorial.rights) may confirm or undo.

A confirmation is kept on the post's default-language page (one per post and platform,
renewed by each click), holds for the review period (models.ConfirmedNone.valid_since), and
counts only while no account of the post is listed on the platform. Saving or deleting one
starts a new publication generation (generation.PUBLIC_CONTENT): the public completeness
figures follow at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, FilteredRelation, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.panels import Panel

from atlas_pages.editorial import rights
from atlas_pages.models import (
    ConfirmedNone,
    Platform,
    PostPage,
    SocialAccount,
    consent_stands,
    coverage_platforms,
    term_has_ended,
)

if TYPE_CHECKING:
    import uuid

    from django.contrib.auth.models import User
    from django.db.models import QuerySet

#: The most characters of a note.
NOTE_MAX_LENGTH = 500


class CellState:
    """A cell as the admin marks it (the public read model's CellState, by value)."""

    LISTED = "listed"
    CONFIRMED_NONE = "confirmed_none"
    UNKNOWN = "unknown"
    LABELS = {
        LISTED: gettext_lazy("listed"),
        CONFIRMED_NONE: gettext_lazy("confirmed none"),
        UNKNOWN: gettext_lazy("unknown"),
    }


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A confirmation of "none" as the admin shows it."""

    confirmed_at: datetime
    confirmed_by: str
    note: str
    expired: bool


def default_language_post(post: PostPage) -> PostPage:
    """The post's default-language page (where confirmations are kept), else the post."""
    return (
        PostPage.objects.filter(
            translation_key=post.translation_key, locale__language_code=settings.LANGUAGE_CODE
        ).first()
        or post
    )


def set_confirmed_none(
    post: PostPage, platform: Platform, user: User | None, note: str = ""
) -> ConfirmedNone:
    """Record that `user` checked now: the post has no account on the platform."""
    found, _created = ConfirmedNone.objects.update_or_create(
        post=default_language_post(post),
        platform=platform,
        defaults={"confirmed_by": user, "confirmed_at": timezone.now(), "note": note},
    )
    return found


def undo_confirmed_none(post: PostPage, platform: Platform) -> bool:
    """Forget the confirmation (the cell is unknown again, unless an account is listed)."""
    deleted, _by_model = ConfirmedNone.objects.filter(
        post__translation_key=post.translation_key, platform=platform
    ).delete()
    return bool(deleted)


def account_lists(
    live: bool,
    status: str,
    speaks_for: str,
    person_id: int | None,
    person_role: str | None,
    person_live: bool | None,
    consent_given_at: object,
    consent_withdrawn_at: object,
    term_end: object = None,
) -> bool:
    """Whether an account of a post lists it on its platform, as the public read model decides
    (live, not closed; a person's: the person live, and a personal account only with consent
    and while the person's term has not ended)."""
    if not live or status == SocialAccount.Status.CLOSED:
        return False
    if person_id is None:
        return True
    if not person_live:
        return False
    speaks = speaks_for or SocialAccount.speaks_for_by_default(person_role)
    if speaks == SocialAccount.SpeaksFor.OFFICE:
        return True
    return consent_stands(consent_given_at, consent_withdrawn_at) and not term_has_ended(term_end)


LISTING_COLUMNS = (
    "live",
    "status",
    "speaks_for",
    "person",
    "person__role",
    "person__live",
    "person__consent_given_at",
    "person__consent_withdrawn_at",
    "person__term_end",
)


def confirmations(
    keys: QuerySet | list[uuid.UUID],
) -> dict[uuid.UUID, dict[int, Confirmation]]:
    """The confirmations of these posts (translation keys), per post and platform: one query."""
    valid_since = ConfirmedNone.valid_since()
    rows = ConfirmedNone.objects.filter(post__translation_key__in=keys).values_list(
        "post__translation_key",
        "platform_id",
        "confirmed_at",
        "confirmed_by__username",
        "note",
    )
    found: dict[uuid.UUID, dict[int, Confirmation]] = defaultdict(dict)
    for key, platform_id, confirmed_at, username, note in rows:
        found[key][platform_id] = Confirmation(
            confirmed_at, username or "", note, confirmed_at <= valid_since
        )
    return found


def listed_pairs(keys: QuerySet | list[uuid.UUID]) -> set[tuple[uuid.UUID, int]]:
    """(post key, platform id) of every account that lists the post on a platform: one query."""
    rows = (
        SocialAccount.objects.filter(
            Q(post__translation_key__in=keys) | Q(person__post__translation_key__in=keys)
        )
        .annotate(post_key=Coalesce("post__translation_key", "person__post__translation_key"))
        .values_list("post_key", "platform_id", *LISTING_COLUMNS)
    )
    return {(key, platform_id) for key, platform_id, *rest in rows if account_lists(*rest)}


def state_of(listed: bool, confirmation: Confirmation | None) -> str:
    if listed:
        return CellState.LISTED
    if confirmation is not None and not confirmation.expired:
        return CellState.CONFIRMED_NONE
    return CellState.UNKNOWN


@dataclass(slots=True)
class Figures:
    """Known cells of some posts (listed or confirmed none) out of all."""

    known: int = 0
    total: int = 0

    @property
    def share(self) -> int:
        """Per cent, rounded down."""
        return self.known * 100 // self.total if self.total else 0

    def __str__(self) -> str:
        return _("%(known)d of %(total)d known (%(share)d%%)") % {
            "known": self.known,
            "total": self.total,
            "share": self.share,
        }


def may_confirm(user: User, post: PostPage | None) -> bool:
    """The editors who may edit the post may confirm and undo "none" for it."""
    return post is not None and rights.may_edit_post(user, post)


# The post's edit view: a panel ------------------------------------------------------------


def action_url(name: str, post: PostPage, platform: Platform, next_url: str) -> str:
    query = urlencode({"post": post.pk, "platform": platform.pk, "next": next_url})
    return f"{reverse(name)}?{query}"


def post_cells(post: PostPage, next_url: str) -> list[dict[str, Any]]:
    """Each platform of the post with its state, confirmation and actions (2 queries: the
    platforms with the post's confirmations joined, the accounts that list it)."""
    key = post.translation_key
    default = post.locale.language_code == settings.LANGUAGE_CODE  # the editor has the locale
    keeper = post if default else default_language_post(post)
    platforms = coverage_platforms().annotate(
        confirmation=FilteredRelation(
            "confirmed_none", condition=Q(confirmed_none__post=keeper.pk)
        ),
        confirmed_at=F("confirmation__confirmed_at"),
        confirmed_by=F("confirmation__confirmed_by__username"),
        confirmed_note=F("confirmation__note"),
    )
    listed = listed_pairs([key])
    valid_since = ConfirmedNone.valid_since()
    cells = []
    for platform in platforms:
        confirmation = None
        if platform.confirmed_at is not None:
            confirmation = Confirmation(
                platform.confirmed_at,
                platform.confirmed_by or "",
                platform.confirmed_note or "",
                platform.confirmed_at <= valid_since,
            )
        state = state_of((key, platform.pk) in listed, confirmation)
        cells.append(
            {
                "platform": platform,
                "state": state,
                "state_label": CellState.LABELS[state],
                "confirmation": confirmation,
                "confirm_url": action_url("atlas_confirm_none", post, platform, next_url),
                "undo_url": action_url("atlas_undo_none", post, platform, next_url),
            }
        )
    return cells


class PostCoveragePanel(Panel):
    """The post's platforms, each listed, confirmed none or unknown, with "Confirm none" and
    "Undo": one click each (buttons of the page's form posting to their own view)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "atlas_pages/admin/post_coverage_panel.html"

        def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            post = self.instance
            if post.pk:
                cells = post_cells(post, self.request.get_full_path())
                known = sum(cell["state"] != CellState.UNKNOWN for cell in cells)
                context.update(
                    cells=cells,
                    figures=Figures(known, len(cells)),
                    may_confirm=may_confirm(self.request.user, post),
                )
            return context


# The views --------------------------------------------------------------------------------


def _param(request: HttpRequest, name: str) -> str:
    """A parameter from the URL (the edit view's buttons carry theirs there) or the form."""
    return (request.GET.get(name) or request.POST.get(name) or "").strip()


def _back(request: HttpRequest) -> str:
    next_url = _param(request, "next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("atlas_coverage")


def _target(request: HttpRequest) -> tuple[PostPage | None, Platform | None]:
    post_id, platform_id = _param(request, "post"), _param(request, "platform")
    if not (post_id.isdigit() and platform_id.isdigit()):
        return None, None
    return (
        PostPage.objects.filter(pk=int(post_id)).first(),
        Platform.objects.filter(pk=int(platform_id)).first(),
    )


def _act(request: HttpRequest, undo: bool) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    post, platform = _target(request)
    if post is None or platform is None:
        messages.error(request, _("No such post or platform: nothing was changed."))
        return redirect(_back(request))
    if not may_confirm(request.user, post):
        return permission_denied(request)
    names = {"post": post.title, "platform": platform.name}
    if undo:
        undo_confirmed_none(post, platform)
        messages.success(request, _("%(post)s on %(platform)s: unknown again.") % names)
        return redirect(_back(request))
    note = _param(request, "note")
    if len(note) > NOTE_MAX_LENGTH:
        messages.error(
            request,
            _("The note is longer than %(max)d characters: nothing was changed.")
            % {"max": NOTE_MAX_LENGTH},
        )
        return redirect(_back(request))
    if (post.translation_key, platform.pk) in listed_pairs([post.translation_key]):
        messages.error(
            request,
            _("%(post)s has an account on %(platform)s: it is listed, not none.") % names,
        )
        return redirect(_back(request))
    with transaction.atomic():
        set_confirmed_none(post, platform, request.user, note)
    messages.success(request, _("%(post)s: confirmed no account on %(platform)s.") % names)
    return redirect(_back(request))


def confirm_none(request: HttpRequest) -> HttpResponse:
    """POST: confirm that the post has no account on the platform (post, platform, note)."""
    return _act(request, undo=False)


def undo_none(request: HttpRequest) -> HttpResponse:
    """POST: undo a confirmation of "none"."""
    return _act(request, undo=True)
