"""The verification kit on an account's edit view: what to put in the profile so that the link
between the account and the atlas verifies on the platform, per platform, with the exact atlas
page; and the evidence recorded so far, with "Confirm as the ministry's".

The atlas page of an account is its owning post's page (a person's account: the page of the
person's post, which lists it while consent stands), or the atlas's home page for the accounts
of the ministry's top, who serve at no post: the pages that list the account, each link with
rel="me" (templates/atlas_pages/includes/accounts.html). A Mastodon profile that links there
gets Mastodon's verified checkmark; a Bluesky handle under one of the ministry's domains
(ATLAS_MINISTRY_DOMAINS) is the ministry's by Bluesky's own check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext
from wagtail.admin.panels import Panel
from wagtail.models import Locale, Page
from wagtail.permissions import policy_registry

from atlas_pages.editorial import evidence
from atlas_pages.models import AccountEvidence, AccountIdentity, AtlasPage, SocialAccount

if TYPE_CHECKING:
    from django.http import HttpRequest

#: The ministry's domain when the setting is missing.
DEFAULT_MINISTRY_DOMAINS = ("netherlandsworldwide.nl",)


def ministry_domains() -> list[str]:
    """The domains a Bluesky handle of the ministry's may end in (ATLAS_MINISTRY_DOMAINS)."""
    domains = getattr(settings, "ATLAS_MINISTRY_DOMAINS", DEFAULT_MINISTRY_DOMAINS)
    return [domain.lower().strip(".") for domain in domains if domain]


def atlas_page_for(account: SocialAccount) -> Page | None:
    """The atlas page a profile should link to: the page that lists the account (its owning
    post's; the atlas's home page for an account of the ministry's top)."""
    post = account.owning_post
    if post is not None:
        return post
    return AtlasPage.objects.filter(locale=Locale.get_default()).first()


def why_not_linked_yet(account: SocialAccount, page: Page | None) -> list[str]:
    """What keeps the atlas page from linking the account (with rel="me") today."""
    reasons = []
    if not account.live:
        reasons.append(
            gettext("The account is not published yet: its atlas page links it once it is.")
        )
    if page is None or not page.live:
        reasons.append(gettext("The atlas page is not published yet."))
    elif page.get_view_restrictions().exists():
        reasons.append(gettext("The atlas page is private: the platform cannot read it."))
    person = account.person if account.person_id else None
    personal = account.speaks_for == SocialAccount.SpeaksFor.PERSON
    if person is not None and personal and not person.has_consent:
        reasons.append(
            gettext(
                'A personal account is listed, and linked with rel="me", only while its owner\'s '
                "consent stands: record the consent first."
            )
        )
    if account.status == SocialAccount.Status.CLOSED:
        reasons.append(gettext("A closed account is not listed."))
    return reasons


def bluesky_kit(account: SocialAccount) -> dict[str, Any]:
    """The handle, whether it is under a ministry domain, a handle that would be, and the
    account's DID when the identity check has read it."""
    handle = account.handle.lower().lstrip("@")
    domains = ministry_domains()
    under = next((d for d in domains if handle == d or handle.endswith("." + d)), "")
    name = handle.split(".")[0] or "name"
    suggested = f"{name}.{domains[0]}" if domains else ""
    record = AccountIdentity.objects.filter(account_id=account.pk).first()
    did = record.identity if record and record.identity.startswith("did:") else ""
    return {
        "handle": handle,
        "domains": domains,
        "under_domain": under,
        "suggested": suggested,
        "did": did or account.platform_identity,
    }


def kit_context(account: SocialAccount, request: HttpRequest) -> dict[str, Any]:
    page = atlas_page_for(account)
    post = account.owning_post
    slug = account.platform.slug
    may_confirm = policy_registry.get_by_type(SocialAccount).user_has_permission_for_instance(
        request.user, "change", account
    )
    return {
        "kit_platform": slug if slug in ("mastodon", "bluesky") else "other",
        "atlas_url": page.get_full_url(request) if page else "",
        "not_linked_yet": why_not_linked_yet(account, page),
        "website": post.website if post else "",
        "bluesky": bluesky_kit(account) if slug == "bluesky" else None,
        "evidence": AccountEvidence.objects.filter(account_id=account.pk)
        .select_related("confirmed_by")
        .order_by("kind"),
        "confirm_url": evidence.confirm_url(account, request.get_full_path())
        if may_confirm
        else "",
    }


class AccountVerificationPanel(Panel):
    """The verification kit and the evidence: read-only, beside the form (not content)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "atlas_pages/admin/verification_kit_panel.html"

        def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            if self.instance.pk:
                account = SocialAccount.objects.select_related(
                    "platform", "post", "person__post"
                ).get(pk=self.instance.pk)
                context.update(kit_context(account, self.request))
            return context
