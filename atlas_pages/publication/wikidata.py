"""The difference between Wikidata's account claims (as last read, WikidataClaim) and the
public atlas, with the corrections to Wikidata as QuickStatements (v1).

Only what the public may see is compared and stated: the posts and people of the public atlas
(its read model, in the default language) with their Wikidata ids, their public accounts and
the verdicts the verify page gives for an address. A draft, an item in moderation, a private
page or a closed account of a private post is never named here, so no batch carries it to
Wikidata.

- Stale: a claim of a post's or person's item that names an account the atlas says is closed,
  renamed (its old address) or changed hands: the atlas removes it. A claim on a platform where
  the item's public account has another value is listed as "differs" (not removed: the profile
  may be the ministry's too; it is a lead in the press desk's queue).
- Additions: each public account of the item (a renamed one at its new address) whose value
  the item does not claim, with the reference URL of its public page on the atlas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from atlas_pages.models import SocialAccount, WikidataClaim
from atlas_pages.publication.public_atlas import PublicAtlas
from atlas_pages.publication.records import Account, Post, VerdictKind
from atlas_pages.rules import wikidata

#: What the atlas says of a claim's address -> the reason it is stale (removed).
STALE_VERDICTS = {
    VerdictKind.CLOSED: "closed",
    VerdictKind.RENAMED: "renamed",
    VerdictKind.CHANGED_HANDS: "changed hands",
}
LISTED = (
    SocialAccount.Status.ACTIVE,
    SocialAccount.Status.INACTIVE,
    SocialAccount.Status.RENAMED,
)


@dataclass(frozen=True)
class Stale:
    claim: wikidata.Claim
    #: "closed", "renamed", "changed hands" (removed) or "differs" (kept, for the editor).
    reason: str
    #: Whose item it is (the post's or person's name).
    subject: str
    #: Where the account is now, when the atlas knows (a renamed one's new address).
    now_at: str = ""

    @property
    def removed(self) -> bool:
        return self.reason != "differs"


@dataclass
class Report:
    day: date
    stale: list[Stale] = field(default_factory=list)
    #: (claim to add, reference URL).
    additions: list[tuple[wikidata.Claim, str]] = field(default_factory=list)

    @property
    def quickstatements(self) -> str:
        removals = [item.claim for item in self.stale if item.removed]
        return wikidata.quickstatements(removals, self.additions, self.day.isoformat())


def _value(claim_value: str, pid: str) -> str:
    """Values compared as the platforms compare them: handles regardless of case."""
    return claim_value if pid == "P2397" else claim_value.casefold()


def _page_url(atlas: PublicAtlas, post: Post | None) -> str | None:
    if post is None:
        return None
    link = atlas.page_links(post.translation_key).get(atlas.language)
    return link.full_url if link else None


def _account_value(pid: str, account: Account) -> str | None:
    """The account's value for the property, where it is now (a renamed one's new handle)."""
    return wikidata.claim_value(pid, account.current_handle, account.current_url, account.identity)


def subjects(atlas: PublicAtlas) -> list[tuple[str, str, list[Account], str | None]]:
    """(QID, name, public accounts, reference URL) of each public post and person with a
    Wikidata id."""
    found = []
    for post in atlas.posts:
        if post.wikidata_id:
            found.append((post.wikidata_id, post.name, post.accounts, _page_url(atlas, post)))
    for person in atlas.people:
        if person.wikidata_id:
            url = _page_url(atlas, person.post)
            found.append((person.wikidata_id, person.name, person.accounts, url))
    return found


def report(atlas: PublicAtlas, day: date) -> Report:
    """The stale claims and the additions for the public posts and people with an id."""
    result = Report(day=day)
    claims_by_item: dict[str, list[wikidata.Claim]] = {}
    for row in WikidataClaim.objects.order_by("qid", "pid", "value"):
        claims_by_item.setdefault(row.qid, []).append(wikidata.Claim(row.qid, row.pid, row.value))
    for qid, name, accounts, reference in sorted(subjects(atlas), key=lambda s: int(s[0][1:])):
        claims = sorted(claims_by_item.get(qid, []), key=wikidata.order)
        ours: dict[str, set[str]] = {}  # pid -> the values of the item's public accounts
        additions = []
        for account in accounts:
            prop = wikidata.PROPERTY_OF_PLATFORM.get(account.platform.slug)
            if prop is None or account.status not in LISTED:
                continue
            value = _account_value(prop.pid, account)
            if value:
                ours.setdefault(prop.pid, set()).add(_value(value, prop.pid))
                additions.append(wikidata.Claim(qid, prop.pid, value))
        claimed = {(c.pid, _value(c.value, c.pid)) for c in claims}
        for claim in claims:
            if _value(claim.value, claim.pid) in ours.get(claim.pid, set()):
                continue  # the item's own public account
            url = claim.url
            verdict = atlas.verdict_for_url(url) if url else None
            if verdict is not None and verdict.kind in STALE_VERDICTS:
                result.stale.append(
                    Stale(claim, STALE_VERDICTS[verdict.kind], name, verdict.current_url or "")
                )
            elif claim.pid in ours and (verdict is None or not verdict.official):
                result.stale.append(Stale(claim, "differs", name))
        if reference:
            result.additions += [
                (claim, reference)
                for claim in sorted(additions, key=wikidata.order)
                if (claim.pid, _value(claim.value, claim.pid)) not in claimed
            ]
    return result
