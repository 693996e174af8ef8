"""The atlas's content: platforms, people and accounts (snippets), and the page tree
AtlasPage > CountryPage > PostPage that places them on the map; with the press desk's
bookkeeping (link checks, activity) and the changes log. One module per domain; this package
re-exports them, so `atlas_pages.models.X` names every model."""

from atlas_pages.models.accounts import FORM_LABELS, SocialAccount, presence_label
from atlas_pages.models.attestations import Attestation, attestation_max_age
from atlas_pages.models.changes import PublicChange, PublicSnapshot
from atlas_pages.models.contacts import ContactMixin, ReminderSent
from atlas_pages.models.coverage import ConfirmedNone, coverage_platforms, review_max_age
from atlas_pages.models.handovers import Handover
from atlas_pages.models.leads import Lead
from atlas_pages.models.pages import (
    AtlasPage,
    CountryPage,
    LocatedMixin,
    PageContextHooksMixin,
    PostPage,
)
from atlas_pages.models.people import (
    Person,
    consent_stands,
    end_term,
    term_has_ended,
    withdraw_consent,
)
from atlas_pages.models.platforms import Platform
from atlas_pages.models.releases import OpenDataRelease, OpenDataReleaseFile
from atlas_pages.models.snippets import EditorialSnippet
from atlas_pages.models.trust import (
    AccountEvidence,
    AccountIdentity,
    ImpersonatorReport,
    KnownServer,
)
from atlas_pages.models.upkeep import AccountActivity, FollowerCount, LinkCheck
from atlas_pages.models.wikidata import WikidataClaim, WikidataProposal

__all__ = [
    "FORM_LABELS",
    "AccountActivity",
    "AccountEvidence",
    "AccountIdentity",
    "AtlasPage",
    "Attestation",
    "ConfirmedNone",
    "ContactMixin",
    "CountryPage",
    "EditorialSnippet",
    "FollowerCount",
    "Handover",
    "ImpersonatorReport",
    "KnownServer",
    "Lead",
    "LinkCheck",
    "LocatedMixin",
    "OpenDataRelease",
    "OpenDataReleaseFile",
    "PageContextHooksMixin",
    "Person",
    "Platform",
    "PostPage",
    "PublicChange",
    "PublicSnapshot",
    "ReminderSent",
    "SocialAccount",
    "WikidataClaim",
    "WikidataProposal",
    "attestation_max_age",
    "consent_stands",
    "coverage_platforms",
    "end_term",
    "presence_label",
    "review_max_age",
    "term_has_ended",
    "withdraw_consent",
]
