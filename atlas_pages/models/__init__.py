"""The atlas's content: platforms, people and accounts (snippets), and the page tree
AtlasPage > CountryPage > PostPage that places them on the map; with the press desk's
bookkeeping (link checks, activity) and the changes log. One module per domain; this package
re-exports them, so `atlas_pages.models.X` names every model."""

from atlas_pages.models.accounts import (
    FORM_LABELS,
    SocialAccount,
    SocialAccountForm,
    duplicate_message,
    presence_label,
)
from atlas_pages.models.changes import PublicChange, PublicSnapshot
from atlas_pages.models.pages import (
    AtlasPage,
    CountryPage,
    CountryPageForm,
    LocatedMixin,
    PageContextHooksMixin,
    PostPage,
)
from atlas_pages.models.people import Person, PersonForm, consent_stands, withdraw_consent
from atlas_pages.models.platforms import Platform
from atlas_pages.models.snippets import EditorialSnippet
from atlas_pages.models.upkeep import AccountActivity, LinkCheck

__all__ = [
    "FORM_LABELS",
    "AccountActivity",
    "AtlasPage",
    "CountryPage",
    "CountryPageForm",
    "EditorialSnippet",
    "LinkCheck",
    "LocatedMixin",
    "PageContextHooksMixin",
    "Person",
    "PersonForm",
    "Platform",
    "PostPage",
    "PublicChange",
    "PublicSnapshot",
    "SocialAccount",
    "SocialAccountForm",
    "consent_stands",
    "duplicate_message",
    "presence_label",
    "withdraw_consent",
]
