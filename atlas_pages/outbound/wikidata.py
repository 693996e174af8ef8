"""Wikidata's SPARQL endpoint (ATLAS_WIKIDATA_SPARQL_URL), asked through the one outbound client
(atlas_pages.outbound.http: no private addresses, a deadline, a size cap, retries of 429/5xx
with Retry-After honoured) with a User-Agent that names the atlas and its contact, as
Wikidata's User-Agent policy asks. What the answers mean is atlas_pages.rules.wikidata's.

- `propose`: for the countries, posts and people without a Wikidata id, the candidate items
  (countries by ISO code, P297; embassies and consulates operated, P137, by
  ATLAS_WIKIDATA_OPERATORS, with their country, place and coordinates; people by name, with
  their positions and citizenship), scored and kept as proposals for an editor to confirm or
  reject (atlas_pages.editorial.wikidata_desk). A rejected proposal is never proposed again.
- `fetch_claims`: the account claims of every item the atlas has an id for, kept
  (WikidataClaim), and each profile they name that no account in the atlas has (live or draft,
  any status) filed as a lead in the press desk's one queue of leads, found on the item.
  The report of stale claims and QuickStatements is made from the claims kept
  (atlas_pages.publication.wikidata), from public data only.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from atlas_pages.models import (
    CountryPage,
    Person,
    Platform,
    PostPage,
    WikidataClaim,
    WikidataProposal,
)
from atlas_pages.outbound import leads, site_links
from atlas_pages.outbound.http import Client
from atlas_pages.rules import wikidata

#: Items asked about in one query (the endpoint answers GETs of a few kilobytes best).
BATCH = 100
#: The lowest score kept as a proposal, and the most proposals per subject.
MIN_SCORE = 50
MAX_PROPOSALS = 3
MAX_BYTES = 16 * 1024 * 1024

Subject = WikidataProposal.Subject


class EndpointError(Exception):
    """The endpoint did not answer with SPARQL JSON: what went wrong, for the command."""


def user_agent() -> str:
    return (
        "SocialMediaAtlas-Wikidata/1.0 "
        f"(+{settings.ATLAS_LINK_CHECK_CONTACT_URL}) python-requests/{requests.__version__}"
    )


def client(sleep: Callable[[float], object] = time.sleep) -> Client:
    return Client(
        user_agent=user_agent(),
        timeout=settings.ATLAS_WIKIDATA_TIMEOUT,
        host_interval=settings.ATLAS_WIKIDATA_HOST_INTERVAL,
        max_bytes=MAX_BYTES,
        max_redirects=2,
        retries=settings.ATLAS_WIKIDATA_RETRIES,
        backoff=5.0,
        sleep=sleep,
    )


def answer(http: Client, query: str) -> object:
    """The endpoint's answer to a SELECT query (SPARQL 1.1 Query Results JSON), parsed."""
    url = f"{settings.ATLAS_WIKIDATA_SPARQL_URL}?{urlencode({'query': query, 'format': 'json'})}"
    try:
        fetched = http.get(url, {"Accept": "application/sparql-results+json"})
    except requests.RequestException as error:
        raise EndpointError(f"{type(error).__name__}: {error}") from error
    if fetched.status != 200:
        raise EndpointError(f"the endpoint answered {fetched.status}")
    try:
        parsed = json.loads(fetched.body)
        wikidata.rows(parsed)  # the shape checked once, here
    except ValueError as error:  # not JSON, or not SPARQL JSON
        raise EndpointError(f"the endpoint's answer is not SPARQL JSON ({error})") from error
    return parsed


def ask(http: Client, query: str) -> list[dict[str, str]]:
    """The rows of the endpoint's answer to a SELECT query."""
    return wikidata.rows(answer(http, query))


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Proposals -------------------------------------------------------------------------------------


@dataclass
class Proposed:
    subjects: int = 0
    #: Proposals new in this run (a rejected or known one is not new).
    new: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def __str__(self) -> str:
        parts = ", ".join(f"{name}: {count}" for name, count in sorted(self.counts.items()))
        return f"{self.subjects} without a Wikidata id, {self.new} new proposals ({parts or '-'})"


def _default_locale() -> Locale:
    return Locale.get_default()


def _taken() -> set[str]:
    """The ids in use already: never proposed for another subject."""
    taken = set()
    for model in (CountryPage, PostPage, Person):
        taken |= set(model.objects.exclude(wikidata_id="").values_list("wikidata_id", flat=True))
    return taken


def country_candidates(http: Client, countries: list[CountryPage]) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    by_code = defaultdict(list)
    for country in countries:
        by_code[str(country.iso_code).upper()].append(country)
    for codes in _chunks(sorted(by_code)):
        for row in ask(http, wikidata.countries_query(codes)):
            qid = wikidata.qid_of(row.get("item", ""))
            for country in by_code.get(row.get("code", ""), []) if qid else []:
                score = wikidata.Score(100, ("ISO code",))
                found[country.pk].append((qid, row.get("itemLabel", ""), score))
    return found


def post_candidates(http: Client, posts: list[PostPage]) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    if not posts or not settings.ATLAS_WIKIDATA_OPERATORS:
        return found
    candidates = ask(http, wikidata.posts_query(settings.ATLAS_WIKIDATA_OPERATORS))
    for post in posts:
        code = str(post.country.iso_code) if post.country else ""
        point = (post.lat, post.lng) if post.lat is not None and post.lng is not None else None
        best: dict[str, tuple] = {}
        for row in candidates:
            qid = wikidata.qid_of(row.get("item", ""))
            score = qid and wikidata.score_post(
                name=post.title, city=post.city, kind=post.kind, code=code, point=point,
                candidate=row,
            )  # fmt: skip
            if score and (qid not in best or best[qid][2].points < score.points):
                best[qid] = (qid, row.get("itemLabel", ""), score)
        found[post.pk] = list(best.values())
    return found


def person_candidates(http: Client, people: list[Person]) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    names = sorted({person.name for person in people if person.name.strip()})
    rows = []
    for chunk in _chunks(names, 50):
        rows += ask(http, wikidata.people_query(chunk))
    by_item = defaultdict(list)
    for row in rows:
        if qid := wikidata.qid_of(row.get("item", "")):
            by_item[qid].append(row)
    code = settings.ATLAS_WIKIDATA_COUNTRY_CODE
    for person in people:
        for qid, item_rows in by_item.items():
            score = wikidata.score_person(
                name=person.name, role=person.role, code=code, candidates=item_rows
            )
            if score:
                found[person.pk].append((qid, item_rows[0].get("name", ""), score))
    return found


def propose(http: Client | None = None) -> Proposed:
    """Ask for the candidates of every country, post and person (default language) without a
    Wikidata id, and keep the best as proposals."""
    http = http or client()
    locale = _default_locale()
    countries = list(CountryPage.objects.filter(locale=locale, wikidata_id=""))
    posts = list(PostPage.objects.filter(locale=locale, wikidata_id="").select_related("country"))
    people = list(Person.objects.filter(locale=locale, wikidata_id=""))
    summary = Proposed(subjects=len(countries) + len(posts) + len(people))
    found = {
        Subject.COUNTRY: country_candidates(http, countries),
        Subject.POST: post_candidates(http, posts),
        Subject.PERSON: person_candidates(http, people),
    }
    taken, now = _taken(), timezone.now()
    with transaction.atomic():
        for subject, by_object in found.items():
            for object_id, candidates in by_object.items():
                kept = sorted(
                    (c for c in candidates if c[2].points >= MIN_SCORE and c[0] not in taken),
                    key=lambda c: (-c[2].points, int(c[0][1:])),
                )[:MAX_PROPOSALS]
                for qid, label, score in kept:
                    proposal, created = WikidataProposal.objects.get_or_create(
                        subject=subject,
                        object_id=object_id,
                        qid=qid,
                        defaults={
                            "label": label[:300],
                            "score": score.points,
                            "reasons": list(score.reasons),
                            "proposed_at": now,
                        },
                    )
                    if created:
                        summary.new += 1
                        summary.counts[subject.label] += 1
                    elif proposal.status == WikidataProposal.Status.NEW:
                        proposal.label, proposal.score = label[:300], score.points
                        proposal.reasons = list(score.reasons)
                        proposal.save(update_fields=["label", "score", "reasons"])
    return summary


# Claims and leads ------------------------------------------------------------------------------


@dataclass
class Fetched:
    items: int = 0
    claims: int = 0
    #: Profiles claimed that no account of the atlas has; the leads among them that are new.
    unlisted: int = 0
    new_leads: int = 0

    def __str__(self) -> str:
        return (
            f"{self.items} items, {self.claims} account claims, {self.unlisted} profiles not "
            f"in the atlas ({self.new_leads} new leads)"
        )


def items_with_ids() -> dict[str, int | None]:
    """Each Wikidata id of a post or person (default language, any state) -> the post its
    leads belong to (a person's post; none at the ministry's top). Countries' items claim
    their governments' accounts, not the ministry's: not compared."""
    locale = _default_locale()
    items: dict[str, int | None] = {}
    for qid, post_id in (
        Person.objects.filter(locale=locale)
        .exclude(wikidata_id="")
        .values_list("wikidata_id", "post")
    ):
        items[qid] = post_id
    for qid, post_id in (
        PostPage.objects.filter(locale=locale)
        .exclude(wikidata_id="")
        .values_list("wikidata_id", "pk")
    ):
        items[qid] = post_id
    return items


def store_claims(qids: Iterable[str], claims: list[wikidata.Claim]) -> None:
    """The claims read replace those kept of the items asked about."""
    now = timezone.now()
    with transaction.atomic():
        WikidataClaim.objects.filter(qid__in=list(qids)).delete()
        WikidataClaim.objects.bulk_create(
            WikidataClaim(qid=c.qid, pid=c.pid, value=c.value[:300], fetched_at=now) for c in claims
        )


def unlisted_profiles(
    claims: list[wikidata.Claim], items: dict[str, int | None]
) -> dict[str, leads.Found]:
    """The profiles the claims name that no account of the atlas has, by lookup key, each
    found on its item's page (the first item that claims it)."""
    hosts = site_links.directory()
    platforms = {platform.slug: platform for platform in Platform.objects.all()}
    listed = leads.listed_keys()
    found: dict[str, leads.Found] = {}
    for claim in claims:
        url = claim.url
        profile = url and leads.profile_of(url, hosts, platforms)
        if not profile or profile.key in listed or profile.key in found:
            continue
        found[profile.key] = leads.Found(
            profile, wikidata.item_url(claim.qid), items.get(claim.qid)
        )
    return found


def fetch_claims(http: Client | None = None) -> Fetched:
    """Read the account claims of every item with an id in the atlas, keep them, and file the
    profiles they name that the atlas lacks as leads."""
    http = http or client()
    items = items_with_ids()
    summary = Fetched(items=len(items))
    claims: list[wikidata.Claim] = []
    for chunk in _chunks(sorted(items, key=lambda qid: int(qid[1:]))):
        claims += wikidata.claims(answer(http, wikidata.claims_query(chunk)))
    store_claims(items, claims)
    summary.claims = len(claims)
    found = unlisted_profiles(claims, items)
    summary.unlisted = len(found)
    summary.new_leads = leads.record(found)
    return summary
