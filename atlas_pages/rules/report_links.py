"""Where an impersonator is reported to its platform: each platform's own impersonation form, or
the profile itself where the platform takes reports only there (its "⋯ → Report" menu). Keyed
by ``Platform.slug``; a platform not named here has no known form (the visitor is told to use
the report option on the profile)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class ReportLink:
    url: str
    #: True when the report is made on the profile itself (its menu's "Report"), not a form.
    on_profile: bool = False


#: The platforms' own impersonation forms and help pages (no account needed for the forms of
#: X, Facebook and Instagram).
FORMS = {
    "twitter": "https://help.x.com/en/forms/authenticity/impersonation",
    "facebook": "https://www.facebook.com/help/contact/169486816475808",
    "instagram": "https://help.instagram.com/contact/636276399721841",
    "linkedin": "https://www.linkedin.com/help/linkedin/answer/37822",
    "youtube": "https://support.google.com/youtube/answer/2801947",
    "tiktok": "https://support.tiktok.com/en/safety-hc/report-a-problem/report-an-impersonation-account",
}
#: Platforms whose reports are made on the profile: a Mastodon account is reported to the
#: moderators of its own server (each server moderates its accounts), Bluesky and Threads
#: accounts from the profile's menu.
ON_PROFILE = frozenset({"mastodon", "bluesky", "threads"})


def report_link(platform_slug: str, address: str) -> ReportLink | None:
    """Where to report the address (a profile URL) to its platform; None when unknown."""
    if platform_slug in FORMS:
        return ReportLink(FORMS[platform_slug])
    if platform_slug in ON_PROFILE:
        parts = urlsplit(address)
        if not parts.scheme:  # "social.example/@name"
            parts = urlsplit(f"https://{address}")
        if parts.scheme in {"http", "https"} and parts.hostname:
            return ReportLink(f"https://{parts.hostname}{parts.path}", on_profile=True)
    return None
