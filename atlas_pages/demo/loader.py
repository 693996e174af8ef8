"""Build the demo atlas in the database, in Dutch (the default language) and English.

Idempotent: every object is found by its natural key (the atlas under the root, countries by ISO
code, posts by slug under their country, translations by translation key and locale, people by
name, accounts by normalised URL) and created only when missing. People and accounts belong
to the Dutch posts; a person's English translation carries its English job title.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelsearch import signal_handlers as search_signals
from modelsearch.backends import get_search_backends
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from atlas_pages.demo.accounts import FEDERATED_SERVERS, post_accounts
from atlas_pages.demo.countries import COUNTRIES, HOME, country_intro
from atlas_pages.demo.people import CONSENT_GIVEN, PEOPLE, TERM_ENDS, TERM_STARTS
from atlas_pages.demo.posts import Post, build_posts
from atlas_pages.editorial import confirmed_none
from atlas_pages.editorial.revisions import write_first_revisions
from atlas_pages.editorial.translation import LANGUAGE_NEUTRAL_FIELDS
from atlas_pages.models import (
    AtlasPage,
    ConfirmedNone,
    CountryPage,
    Person,
    Platform,
    PostPage,
    SocialAccount,
    coverage_platforms,
)
from atlas_pages.rules import places, profile_urls

if TYPE_CHECKING:
    from atlas_pages.demo.people import Person as PersonSpec

_New = TypeVar("_New", bound=Model)

ATLAS_TITLE = "Social Media Atlas"
ATLAS_SLUG = "atlas"
ATLAS_INTROS = {
    "nl": "<p>Alle officiële accounts op sociale media van het ministerie van Buitenlandse Zaken, "
    "de ambassades, consulaten en permanente vertegenwoordigingen, op één kaart.</p>",
    "en": "<p>All official social-media accounts of the Netherlands Ministry of Foreign Affairs, "
    "its embassies, consulates and permanent representations, on one map.</p>",
}
#: The platforms a partly checked post of the demo has checked.
BIG_PLATFORMS = ("twitter", "facebook", "linkedin", "youtube", "instagram")
#: The number of countries the --small atlas has (the home country included).
SMALL = 12


@contextmanager
def indexed_at_the_end(models: Sequence[type[Model]]) -> Iterator[None]:
    """Update the search and reference indexes of the objects saved inside once, at the end,
    instead of in two tasks at every save: most of the loader's time otherwise.

    Meant for a management command inside a transaction; the search signal handlers are
    restored afterwards, also on an error.
    """
    saved = {model: set() for model in models}

    def remember(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        saved[sender].add(instance.pk)

    disconnected = []
    for model in models:
        if post_save.disconnect(search_signals.post_save_signal_handler, sender=model):
            disconnected.append(model)
        post_save.connect(remember, sender=model, weak=False)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.disconnect(remember, sender=model)
        for model in disconnected:
            post_save.connect(search_signals.post_save_signal_handler, sender=model)
    for model, pks in saved.items():
        objects = list(model.objects.filter(pk__in=pks))
        if objects and model in disconnected:
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, objects)
        if ReferenceIndex.is_indexed(model):
            for obj in objects:
                ReferenceIndex.create_or_update_for_object(obj)


class DemoAtlasLoader:
    """Creates what is missing of the demo atlas and counts what it created."""

    def __init__(self, countries: int | Sequence[str] | None = None) -> None:
        """countries: all, the first so many (the home country first: every such selection
        has the ministry at home), or these ISO codes (tests load the few they need)."""
        if countries is None:
            selected = COUNTRIES
        elif isinstance(countries, int):
            selected = COUNTRIES[: max(countries, 1)]
        else:
            selected = [country for country in COUNTRIES if country.code in countries]
        self.codes = [country.code for country in selected]
        self.created = Counter()
        self.new = []  # the new pages and snippets, published together at the end

    def _new(self, obj: _New, name: str) -> _New:
        self.new.append(obj)
        self.created[name] += 1
        return obj

    @transaction.atomic
    def load(self) -> Counter[str]:
        atlas = self.ensure_atlas()
        with indexed_at_the_end([AtlasPage, CountryPage, PostPage, Person, SocialAccount]):
            countries = self.ensure_countries(atlas)
            posts = self.ensure_posts(atlas, countries)
            self.ensure_translations(atlas, countries, posts)
            people = self.ensure_people(posts)
            self.ensure_accounts(posts, people)
            self.ensure_confirmed_none(posts)
            write_first_revisions(self.new)
        return self.created

    # The Dutch atlas and the site

    def ensure_atlas(self) -> AtlasPage:
        root = Page.get_first_root_node()
        locale = Locale.get_default()
        atlas = AtlasPage.objects.child_of(root).filter(locale=locale).first()
        if atlas is None:
            atlas = root.add_child(
                instance=AtlasPage(
                    title=ATLAS_TITLE,
                    slug=find_available_slug(root, ATLAS_SLUG),
                    intro=ATLAS_INTROS[locale.language_code],
                    locale=locale,
                )
            )
            self._new(atlas, "atlas")
        site = Site.objects.filter(is_default_site=True).first()
        hostname, port = demo_address()
        if site is None:
            Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=atlas,
                is_default_site=True,
                site_name=ATLAS_TITLE,
            )
            self.created["site"] += 1
        elif site.root_page_id != atlas.pk:
            previous = site.root_page
            site.root_page = atlas
            site.site_name = site.site_name or ATLAS_TITLE
            site.save()
            self.created["site"] += 1
            if self._is_welcome_page(previous):
                previous.delete()
        if site is not None and (site.hostname, site.port) == WAGTAIL_DEFAULT_ADDRESS:
            # Wagtail's first site (or an earlier demo's): at the address the demo is served.
            site.hostname, site.port = hostname, port
            site.save(update_fields=["hostname", "port"])
        return atlas

    @staticmethod
    def _is_welcome_page(page: Page) -> bool:
        """Wagtail's "Welcome to your new Wagtail site!": a bare Page under the root, alone."""
        return (
            page.depth == 2
            and page.specific_class is Page
            and not page.get_children().exists()
            and not Site.objects.filter(root_page=page).exists()
        )

    # Dutch pages

    def ensure_countries(self, atlas: AtlasPage) -> dict[str, CountryPage]:
        existing = {
            str(country.iso_code): country for country in CountryPage.objects.child_of(atlas)
        }
        by_code = {country.code: country for country in COUNTRIES}
        language = atlas.locale.language_code
        countries = {}
        for code in self.codes:
            if code in existing:
                countries[code] = existing[code]
                continue
            row = by_code[code]
            title = places.country_name(code, language)
            page = atlas.add_child(
                instance=CountryPage(
                    title=title,
                    slug=slugify(title),
                    iso_code=code,
                    intro=country_intro(code, language),
                    location=places.format_point(row.lat, row.lng),
                    locale_id=atlas.locale_id,
                )
            )
            countries[code] = self._new(page, "countries")
        return countries

    def ensure_posts(
        self,
        atlas: AtlasPage,
        countries: dict[str, CountryPage],
        specs: Iterable[Post] | None = None,
    ) -> dict[str, tuple[Post, PostPage]]:
        """The posts by handle (only those in the selected countries): the demo's, or the
        given specs (atlas_pages.demo.posts.Post) in their order."""
        existing = {
            (post.country_id, post.slug): post for post in PostPage.objects.descendant_of(atlas)
        }
        posts = {}
        for spec in build_posts() if specs is None else specs:
            country = countries.get(spec.country)
            if country is None:
                continue
            post = existing.get((country.pk, slugify(spec.title)))
            if post is None:
                post = country.add_child(
                    instance=PostPage(
                        title=spec.title,
                        slug=slugify(spec.title),
                        kind=spec.kind,
                        city=spec.city,
                        address=spec.address,
                        website=spec.website,
                        location=places.format_point(spec.lat, spec.lng),
                        locale_id=country.locale_id,
                    )
                )
                self._new(post, "posts")
            posts[spec.handle] = (spec, post)
        return posts

    # English pages

    def ensure_translations(
        self,
        atlas: AtlasPage,
        countries: dict[str, CountryPage],
        posts: dict[str, tuple[Post, PostPage]],
    ) -> None:
        """The English translation of every Dutch page, parents first: a page of the same type
        and translation key under the parent's translation, with the Dutch page's
        language-neutral facts (atlas_pages.editorial.translation) and the English texts."""
        english = Locale.objects.get(language_code="en")
        # (Dutch page, its Dutch parent (none for the atlas), English texts)
        texts = [(atlas, None, {"title": ATLAS_TITLE, "intro": ATLAS_INTROS["en"]})]
        for code, country in countries.items():
            title = places.country_name(code, "en")
            texts.append((country, atlas, {"title": title, "intro": country_intro(code, "en")}))
        for spec, post in posts.values():
            country = countries[spec.country]
            texts.append((post, country, {"title": spec.title_en, "city": spec.city_en}))
        translations = {
            page.translation_key: page
            for page in Page.objects.filter(
                locale=english, translation_key__in=[page.translation_key for page, *_ in texts]
            )
        }
        for page, parent, fields in texts:
            if page.translation_key in translations:
                continue
            if parent is None:  # the atlas, beside the Dutch one, slugged as Wagtail does: atlas-en
                to, slug = Page.get_first_root_node(), f"{page.slug}-{english.language_code}"
            else:
                to, slug = translations[parent.translation_key], slugify(fields["title"])
            model = type(page)
            facts = {name: getattr(page, name) for name in LANGUAGE_NEUTRAL_FIELDS.get(model, ())}
            translation = to.add_child(
                instance=model(
                    **facts,
                    **fields,
                    slug=find_available_slug(to, slug),
                    locale=english,
                    translation_key=page.translation_key,
                )
            )
            translations[page.translation_key] = self._new(translation, "translations")

    # Snippets

    def ensure_people(
        self, posts: dict[str, tuple[Post, PostPage]]
    ) -> dict[str, tuple[PersonSpec, Person]]:
        """The people by name (only those whose post is in the atlas)."""
        default, english = Locale.get_default(), Locale.objects.get(language_code="en")
        existing = {person.name: person for person in Person.objects.filter(locale=default)}
        translated = set(
            Person.objects.filter(locale=english).values_list("translation_key", flat=True)
        )
        people = {}
        for spec in PEOPLE:
            if spec.post is not None and spec.post not in posts:
                continue
            person = existing.get(spec.name)
            if person is None:
                term_start, term_end = spec.term or (
                    (TERM_STARTS, TERM_ENDS)
                    if spec.role in Person.HEAD_OF_POST_ROLES
                    else (None, None)
                )
                has_accounts = spec.accounts or spec.own_accounts
                person = Person(
                    name=spec.name,
                    role=spec.role,
                    job_title=spec.job_title,
                    post=posts[spec.post][1] if spec.post else None,
                    consent_given_at=CONSENT_GIVEN if has_accounts and spec.consent else None,
                    term_start=term_start,
                    term_end=term_end,
                    locale=default,
                    live=True,
                )
                person.save()
                self._new(person, "people")
            if person.translation_key not in translated:  # also for people loaded before
                facts = {name: getattr(person, name) for name in LANGUAGE_NEUTRAL_FIELDS[Person]}
                translation = Person(
                    **facts,
                    job_title=spec.job_title_en,
                    locale=english,
                    translation_key=person.translation_key,
                    live=True,
                )
                translation.save()
                self._new(translation, "English job titles")
            people[spec.name] = (spec, person)
        return people

    def ensure_accounts(
        self, posts: dict[str, tuple[Post, PostPage]], people: dict[str, tuple[PersonSpec, Person]]
    ) -> None:
        platforms = {platform.slug: platform for platform in Platform.objects.all()}
        existing = set(SocialAccount.objects.values_list("normalized_url", flat=True))
        for spec, post in posts.values():
            for account in post_accounts(spec):
                platform = platforms[account.platform]
                self._ensure_account(
                    existing,
                    platform,
                    account.url,
                    account.language,
                    post=post,
                    handle=account.handle,
                    display_name=spec.title,
                )
        for spec, person in people.values():
            home = spec.post is None or posts[spec.post][0].country == HOME
            for url in spec.accounts:
                self._ensure_account(
                    existing,
                    self._platform_of(url, platforms),
                    url,
                    "nl" if home else "en",
                    person=person,
                    display_name=spec.name,
                )
            for url in spec.own_accounts:
                self._ensure_account(
                    existing,
                    self._platform_of(url, platforms),
                    url,
                    "nl" if home else "en",
                    person=person,
                    display_name=spec.name,
                    speaks_for=SocialAccount.SpeaksFor.PERSON,
                )

    def ensure_confirmed_none(self, posts: dict[str, tuple[Post, PostPage]]) -> None:
        """A realistic mix of known and unknown cells: of the posts in order, every third has
        each platform checked (an account, or "none" confirmed), the next the five big
        platforms only, the third nothing yet; confirmed on days spread over the review period.
        Pairs already confirmed are left as they are."""
        pages = sorted((page for _spec, page in posts.values()), key=lambda page: page.path)
        platforms = list(coverage_platforms())
        listed = confirmed_none.listed_pairs([page.translation_key for page in pages])
        existing = set(ConfirmedNone.objects.values_list("post_id", "platform_id"))
        now = timezone.now()
        new = []
        for index, page in enumerate(pages):
            if index % 3 == 2:
                continue  # nobody has checked yet
            checked = (
                platforms
                if index % 3 == 0
                else [platform for platform in platforms if platform.slug in BIG_PLATFORMS]
            )
            when = now - timedelta(days=(index * 7) % 150, hours=index % 24)
            for platform in checked:
                pair = (page.pk, platform.pk)
                if pair in existing or (page.translation_key, platform.pk) in listed:
                    continue
                new.append(ConfirmedNone(post=page, platform=platform, confirmed_at=when))
        if new:
            ConfirmedNone.objects.bulk_create(new)
            self.created["confirmed none"] += len(new)

    @staticmethod
    def _platform_of(url: str, platforms: dict[str, Platform]) -> Platform:
        """The platform the URL belongs to; a blog when none does (medium.com/@name)."""
        found = profile_urls.platform_for_url(url, platforms.values(), FEDERATED_SERVERS)
        return found or platforms["blog"]

    def _ensure_account(
        self,
        existing: set[str],
        platform: Platform,
        url: str,
        language: str,
        **fields: PostPage | Person | str,
    ) -> None:
        normalized = platform.normalise(url)
        if normalized in existing:
            return
        account = SocialAccount(platform=platform, url=url, language=language, live=True, **fields)
        account.save()
        existing.add(normalized)
        self._new(account, "accounts")


#: The address of the Site Wagtail's first migration makes (with its welcome page).
WAGTAIL_DEFAULT_ADDRESS = ("localhost", 80)


def demo_address() -> tuple[str, int]:
    """Where the demo is served: WAGTAILADMIN_BASE_URL, by default the address `make run`
    serves (127.0.0.1:8000), so that the Site's root, from which the open data and the
    language links make absolute URLs, names it (not Wagtail's http://localhost)."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    default_port = 443 if parts.scheme == "https" else 80
    return parts.hostname or "127.0.0.1", parts.port or default_port


def load_demo_atlas(countries: int | Sequence[str] | None = None) -> Counter[str]:
    """Create what is missing of the demo atlas; returns the numbers of objects created."""
    return DemoAtlasLoader(countries).load()
