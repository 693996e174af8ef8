"""The changes feed for feed readers: an Atom feed per language (/nl/changes.atom,
/en/changes.atom) of the latest changes recorded by atlas_pages.publication.changes."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from atlas_pages.publication import changes
from atlas_pages.publication.changes import Action, Change, Kind
from atlas_pages.publication.records import Account, Person, Post
from atlas_pages.site.languages import current_language, home_url

#: How many changes the feed lists, newest first.
FEED_LENGTH = 100


def _kind_label(kind: Kind) -> str:
    return {Kind.ACCOUNT: _("Account"), Kind.PERSON: _("Person"), Kind.POST: _("Post")}[kind]


def _status(account: Account) -> str:
    """An account's status where it is not plainly active: "inactive since 2 November 2026"."""
    if account.new_url:
        return _("renamed, formerly %(address)s") % {"address": account.url}
    if account.status == "inactive":
        if account.status_since:
            day = formats.date_format(account.status_since, "DATE_FORMAT")
            return _("inactive since %(date)s") % {"date": day}
        return _("inactive")
    return ""


def _name(record: Account | Person | Post) -> str:
    if isinstance(record, Account):
        owner = f" ({record.owner_name})" if record.owner_name else ""
        status = _status(record)
        status = f" · {status}" if status else ""
        return f"{record.platform.name}: {record.current_handle}{owner}{status}"
    if isinstance(record, Person):
        return f"{record.name}, {record.title}"
    return f"{record.name}, {record.country.name}"


class ChangesFeed(Feed):
    """Accounts, people and posts added, changed or removed, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest) -> str:
        return current_language()

    def title(self, language: str) -> str:
        return _("Social Media Atlas: changes")

    def subtitle(self, language: str) -> str:
        return _("Accounts, people and posts added to, changed in or removed from the atlas.")

    def link(self, language: str) -> str:
        return home_url(language)

    def feed_url(self, language: str) -> str:
        return reverse("changes_feed")

    def items(self, language: str) -> list[Change]:
        return changes.recent(language, FEED_LENGTH)

    def item_title(self, change: Change) -> str:
        if change.action == Action.REMOVED:
            return _("%(kind)s %(id)s removed") % {
                "kind": _kind_label(change.kind),
                "id": change.id,
            }
        if change.record is None:  # no longer public: say no more than a removal would
            return _("%(kind)s %(id)s updated") % {
                "kind": _kind_label(change.kind),
                "id": change.id,
            }
        template = _("Added: %(name)s") if change.action == Action.ADDED else _("Changed: %(name)s")
        return template % {"name": _name(change.record)}

    def item_description(self, change: Change) -> str:
        if isinstance(change.record, Account):
            return change.record.current_url
        return ""

    def item_link(self, change: Change) -> str:
        record = change.record
        if isinstance(record, Post):
            return record.url
        if record is not None and record.post is not None:
            return record.post.url
        return home_url(current_language())

    def item_guid(self, change: Change) -> str:
        return f"urn:atlas:change:{change.pk}"

    def item_guid_is_permalink(self, change: Change) -> bool:
        return False

    def item_updateddate(self, change: Change) -> datetime:
        return change.at

    def item_pubdate(self, change: Change) -> datetime:
        return change.at
