"""A yearly attestation per post: an editor with rights for the post confirms "these are all our
accounts" (who, when), from the post's edit view (panel "Attestation") or from the queue
Reports › "Attestations due" (the live posts within the user's reach without a current
attestation, oldest first).

Whoever may edit the post (atlas_pages.editorial.rights, as for "confirmed none") may attest.
Each attestation is a new row (the history is kept) on the post's default-language page, with
the addresses of the accounts that listed the post at that moment (what was attested); it holds
for ATLAS_ATTESTATION_MAX_AGE_DAYS (models.Attestation.valid_since). No public surface reads
attestations: who attested is the editors' business only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.panels import Panel
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from atlas_pages.editorial import rights
from atlas_pages.editorial.confirmed_none import (
    LISTING_COLUMNS,
    NOTE_MAX_LENGTH,
    account_lists,
    default_language_post,
)
from atlas_pages.editorial.permissions import may_keep_accounts
from atlas_pages.models import Attestation, PostPage, SocialAccount

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import QuerySet


@dataclass(frozen=True, slots=True)
class LastAttestation:
    """A post's latest attestation as the admin shows it."""

    attested_at: datetime
    attested_by: str
    note: str
    accounts: list[str]
    expired: bool


def live_account_urls(post: PostPage) -> list[str]:
    """The addresses of the accounts that list the post (its own and its people's, as the public
    read model decides: confirmed_none.account_lists), in order: one query."""
    key = post.translation_key
    rows = SocialAccount.objects.filter(
        Q(post__translation_key=key) | Q(person__post__translation_key=key)
    ).values_list("url", *LISTING_COLUMNS)
    return sorted({url for url, *rest in rows if account_lists(*rest)})


def attest(post: PostPage, user: User | None, note: str = "") -> Attestation:
    """Record that `user` confirms now: the accounts the post lists are all its accounts."""
    return Attestation.objects.create(
        post=default_language_post(post),
        attested_by=user,
        attested_at=timezone.now(),
        accounts=live_account_urls(post),
        note=note,
    )


def last_attestation(post: PostPage) -> LastAttestation | None:
    """The post's latest attestation in any of its languages (one query), or None."""
    found = (
        Attestation.objects.filter(post__translation_key=post.translation_key)
        .order_by("-attested_at", "-pk")
        .values_list("attested_at", "attested_by__username", "note", "accounts")
        .first()
    )
    if found is None:
        return None
    attested_at, username, note, accounts = found
    return LastAttestation(
        attested_at, username or "", note, accounts, attested_at <= Attestation.valid_since()
    )


def may_attest(user: User | AnonymousUser, post: PostPage | None) -> bool:
    """The editors who may edit the post may attest its accounts."""
    return post is not None and rights.may_edit_post(user, post)


def attest_url(post: PostPage, next_url: str) -> str:
    return f"{reverse('atlas_attest')}?{urlencode({'post': post.pk, 'next': next_url})}"


def queue_url() -> str:
    return reverse("atlas_attestations_due")


# The post's edit view: a panel ------------------------------------------------------------


class AttestationPanel(Panel):
    """The post's last attestation (who, when, expired or not), the accounts it lists now and
    "These are all our accounts": one click (a button of the page's form posting to its own
    view; the page's fields are not saved by it). Two queries."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "atlas_pages/admin/post_attestation_panel.html"

        def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            post = self.instance
            if post.pk:
                context.update(
                    last=last_attestation(post),
                    accounts=live_account_urls(post),
                    attest_url=attest_url(post, self.request.get_full_path()),
                    may_attest=may_attest(self.request.user, post),
                    max_age_days=settings.ATLAS_ATTESTATION_MAX_AGE_DAYS,
                )
            return context


# The queue --------------------------------------------------------------------------------


def posts_due(user: User | AnonymousUser) -> QuerySet[PostPage]:
    """The live posts (default-language pages) within the user's reach without a current
    attestation, never attested first, then the oldest attestation first: one query, with
    each post's last attestation (when, by whom) annotated."""
    attestations = Attestation.objects.filter(
        post__translation_key=OuterRef("translation_key")
    ).order_by("-attested_at", "-pk")
    posts = (
        PostPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .exclude(Exists(attestations.filter(attested_at__gt=Attestation.valid_since())))
        .annotate(
            last_attested_at=Subquery(attestations.values("attested_at")[:1]),
            last_attested_by=Subquery(attestations.values("attested_by__username")[:1]),
        )
        .select_related("country")
        .order_by(F("last_attested_at").asc(nulls_first=True), "title", "pk")
    )
    return rights.within_reach(posts, user, "")


class AttestationQueueView(WagtailAdminTemplateMixin, TemplateView):
    """Reports › Attestations due."""

    template_name = "atlas_pages/admin/attestation_queue.html"
    page_title = gettext_lazy("Attestations due")
    header_icon = "tick"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_keep_accounts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        back = queue_url()
        context.update(
            max_age_days=settings.ATLAS_ATTESTATION_MAX_AGE_DAYS,
            rows=[
                {
                    "post": post,
                    "edit_url": reverse("wagtailadmin_pages:edit", args=(post.pk,)),
                    "attest_url": attest_url(post, back),
                }
                for post in posts_due(self.request.user)
            ],
        )
        return context


# The view ---------------------------------------------------------------------------------


def _param(request: HttpRequest, name: str) -> str:
    """A parameter from the URL (the edit view's button carries its own there) or the form."""
    return (request.GET.get(name) or request.POST.get(name) or "").strip()


def _back(request: HttpRequest) -> str:
    next_url = _param(request, "next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return queue_url()


def attest_view(request: HttpRequest) -> HttpResponse:
    """POST: the post's accounts are all its accounts (post, attestation_note)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    post_id = _param(request, "post")
    post = PostPage.objects.filter(pk=int(post_id)).first() if post_id.isdigit() else None
    if post is None:
        messages.error(request, _("No such post: nothing was changed."))
        return redirect(_back(request))
    if not may_attest(request.user, post):
        return permission_denied(request)
    # Named apart from the page's fields and from "Confirm none"'s note (the same form).
    note = _param(request, "attestation_note")
    if len(note) > NOTE_MAX_LENGTH:
        messages.error(
            request,
            _("The note is longer than %(max)d characters: nothing was changed.")
            % {"max": NOTE_MAX_LENGTH},
        )
        return redirect(_back(request))
    found = attest(post, request.user, note)
    messages.success(
        request,
        _("%(post)s: attested that its %(count)d listed accounts are all its accounts.")
        % {"post": post.title, "count": len(found.accounts)},
    )
    return redirect(_back(request))


# Registration (wagtail_hooks.py) --------------------------------------------------------------


def admin_urls() -> list[URLPattern]:
    return [
        path("atlas/attestations/", AttestationQueueView.as_view(), name="atlas_attestations_due"),
        path("atlas/attestations/attest/", attest_view, name="atlas_attest"),
    ]
