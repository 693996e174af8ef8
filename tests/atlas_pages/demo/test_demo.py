"""manage.py load_demo_atlas and ensure_demo_users."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from wagtail.models import Locale, Page, PageLogEntry, ReferenceIndex, Revision, Site
from wagtail.search.backends import get_search_backend

from atlas_pages.demo import SMALL
from atlas_pages.models import AtlasPage, CountryPage, Person, Platform, PostPage, SocialAccount
from atlas_pages.publication import public_atlas
from tests.factories import make_account

pytestmark = pytest.mark.django_db


def load(*args):
    out = StringIO()
    call_command("load_demo_atlas", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything a second run could create or change."""
    pages = Page.objects.values_list(
        "pk", "locale_id", "title", "slug", "url_path", "live_revision_id", "last_published_at"
    )
    return {
        "pages": sorted(pages),
        "people": sorted(Person.objects.values_list("pk", "job_title", "live_revision_id")),
        "accounts": sorted(SocialAccount.objects.values_list("pk", "live_revision_id")),
        "revisions": Revision.objects.count(),
        "history": PageLogEntry.objects.count(),
        "references": ReferenceIndex.objects.count(),
    }


def in_english(page):
    return type(page).objects.get(translation_key=page.translation_key, locale__language_code="en")


def test_full_demo_atlas_is_complete_public_bilingual_and_idempotent():
    out = load()

    dutch = {"locale__language_code": "nl"}
    assert CountryPage.objects.filter(**dutch).count() >= 100
    assert PostPage.objects.filter(**dutch).count() >= 140
    assert Person.objects.count() >= 30
    assert SocialAccount.objects.count() >= 400
    assert f"nl: {CountryPage.objects.filter(**dutch).count()} countries" in out
    assert set(PostPage.objects.values_list("kind", flat=True)) == set(PostPage.Kind.values)
    home = CountryPage.objects.get(iso_code="NL", **dutch)
    assert home.title == "Nederland"
    at_home = set(home.post_pages.values_list("kind", "city"))
    assert {("directorate", "Den Haag"), ("project_group", "Den Haag")} <= at_home
    assert PostPage.objects.filter(kind="consulate_general", city="Vancouver").exists()
    assert Person.objects.filter(role="employee", consent_given_at__isnull=False).exists()
    # One employee has not consented: his personal accounts are registered, not public.
    lars = Person.objects.get(name="Lars Kamphuis", locale__language_code="nl")
    assert not lars.has_consent and lars.accounts.exists()
    assert not public_atlas.load().person(lars.pk).accounts
    assert set(Person.objects.values_list("role", flat=True)) >= {
        "ambassador",
        "consul_general",
        "minister",
        "state_secretary",
        "secretary_general",
        "director_general",
        "director",
        "employee",
    }
    platforms = Platform.objects.filter(accounts__isnull=False).distinct()
    assert platforms.count() >= 8
    assert {account.kind for account in SocialAccount.objects.all()} == {"organisation", "personal"}
    linkedin = SocialAccount.objects.filter(platform__slug="linkedin")
    assert linkedin.filter(normalized_url__startswith="linkedin.com/company/").exists()
    assert linkedin.filter(normalized_url__startswith="linkedin.com/groups/").exists()
    japan = SocialAccount.objects.get(normalized_url="x.com/nlinjapan")
    assert (japan.handle, japan.post.city, japan.language) == ("NLinJapan", "Tokio", "ja")

    # Everything is published: the public atlas hides nothing, in either language.
    for language in ("nl", "en"):
        countries = CountryPage.objects.filter(locale__language_code=language)
        posts = PostPage.objects.filter(locale__language_code=language)
        assert len(public_atlas.load(language).countries) == countries.count()
        assert len(public_atlas.load(language).posts) == posts.count()
    assert len(public_atlas.load("en").countries) == len(public_atlas.load("nl").countries)
    assert len(public_atlas.load("en").posts) == len(public_atlas.load("nl").posts)
    assert (
        len(public_atlas.load().people) == Person.objects.filter(locale__language_code="nl").count()
    )
    # Every account but those of the one employee who has not consented.
    assert len(public_atlas.load().accounts) == SocialAccount.objects.count() - 2
    assert len(public_atlas.load().platforms) == platforms.count()
    # ... with a live revision, as if published in the admin, and a history entry.
    assert not SocialAccount.objects.filter(live_revision__isnull=True).exists()
    assert not Person.objects.filter(last_published_at__isnull=True).exists()
    assert not Page.objects.filter(depth__gt=1, live_revision__isnull=True).exists()
    assert PageLogEntry.objects.filter(action="wagtail.publish", page=home).exists()
    # ... with their references indexed (the admin's usage counts) ...
    usage = ReferenceIndex.get_references_to(japan.post).values_list("object_id", flat=True)
    assert str(japan.pk) in usage
    # ... and found by the search, in both languages.
    search = get_search_backend()
    assert list(search.search("NLinJapan", SocialAccount)) == [japan]
    assert "Ambassade in Tokio" in [post.title for post in search.search("Tokio", PostPage)]
    assert "Embassy in Tokyo" in [post.title for post in search.search("Tokyo", PostPage)]

    # The English atlas: every Dutch page translated, with English titles and cities.
    english = Locale.objects.get(language_code="en")
    for model in (AtlasPage, CountryPage, PostPage):
        keys = {
            language: sorted(
                model.objects.filter(locale__language_code=language).values_list(
                    "translation_key", flat=True
                )
            )
            for language in ("nl", "en")
        }
        assert keys["en"] == keys["nl"], model
    atlas = Site.objects.get(is_default_site=True).root_page.specific
    assert (type(atlas), atlas.locale.language_code) == (AtlasPage, "nl")
    en_atlas = in_english(atlas)
    assert (en_atlas.title, en_atlas.slug, en_atlas.depth) == ("Social Media Atlas", "atlas-en", 2)
    tokyo = PostPage.objects.get(title="Ambassade in Tokio")
    en_tokyo = in_english(tokyo)
    assert (en_tokyo.title, en_tokyo.slug, en_tokyo.city) == (
        "Embassy in Tokyo",
        "embassy-in-tokyo",
        "Tokyo",
    )
    assert (en_tokyo.country.title, en_tokyo.country.locale) == ("Japan", english)
    assert en_tokyo.get_parent().specific == en_tokyo.country
    for field in ("kind", "address", "website", "location", "lat", "lng"):
        assert getattr(en_tokyo, field) == getattr(tokyo, field), field
    en_home = in_english(home)
    assert (en_home.title, en_home.slug) == ("Netherlands", "netherlands")
    assert "The Hague" in en_home.intro
    assert set(en_home.post_pages.values_list("city", flat=True)) == {"The Hague"}
    assert en_home.post_pages.filter(title="Ministry of Foreign Affairs").exists()
    titles = set(PostPage.objects.filter(locale=english).values_list("title", flat=True))
    assert {
        "Consulate-General in Vancouver",
        "Permanent Representation to the EU in Brussels",
        "Embassy in Beijing",
        "Honorary Consulate in Reykjavik",
    } <= titles
    assert not PostPage.objects.filter(locale=english, title__contains="Ambassade").exists()
    assert PageLogEntry.objects.filter(page=en_tokyo, action="wagtail.publish").exists()
    # People and accounts stay with the Dutch posts; every job title is also in English.
    dutch = Person.objects.filter(locale__language_code="nl")
    assert dutch.count() == Person.objects.filter(locale__language_code="en", live=True).count()
    vancouver = Person.objects.get(job_title="Consul-generaal in Vancouver")
    assert public_atlas.load("en").person(vancouver.pk).job_title == "Consul-General in Vancouver"
    assert vancouver.post.locale.language_code == "nl"

    before = snapshot()
    again = load()
    assert "(added: none)" in again
    assert snapshot() == before


def test_small_atlas_replaces_the_welcome_page():
    welcome = Site.objects.get(is_default_site=True).root_page
    assert welcome.specific_class is Page  # Wagtail's "Welcome to your new Wagtail site!"

    load("--small")

    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is AtlasPage
    assert site.root_page.title == "Social Media Atlas"
    assert not Page.objects.filter(pk=welcome.pk).exists()
    assert CountryPage.objects.filter(locale__language_code="nl").count() == SMALL
    assert len(public_atlas.load("en").countries) == SMALL
    assert CountryPage.objects.filter(iso_code="NL").count() == 2
    without_consent = SocialAccount.objects.filter(
        person__isnull=False, speaks_for="person", person__consent_given_at__isnull=True
    )
    assert len(public_atlas.load().accounts) == SocialAccount.objects.count() - len(without_consent)


def test_existing_atlas_is_translated_and_search_updates_again_afterwards(atlas):
    load("--countries", "1")

    en_atlas = in_english(atlas)
    assert set(AtlasPage.objects.all()) == {atlas, en_atlas}
    assert en_atlas.get_parent() == atlas.get_parent()
    assert list(CountryPage.objects.values_list("iso_code", flat=True)) == ["NL", "NL"]
    country = CountryPage.objects.child_of(atlas).get()
    assert PostPage.objects.child_of(country).count() > 10
    en_country = CountryPage.objects.child_of(en_atlas).get()
    assert en_country.translation_key == country.translation_key
    assert en_country.post_pages.count() == country.post_pages.count()
    # The loader indexes in bulk; afterwards a save is indexed on its own again.
    post = PostPage.objects.get(title="Directie Communicatie")
    account = make_account("https://x.com/NLwelcomeDemo", post=post)
    assert list(get_search_backend().search("NLwelcomeDemo", SocialAccount)) == [account]


def test_english_job_titles_are_added_to_people_loaded_without(atlas):
    load("--countries", "1")
    Person.objects.filter(locale__language_code="en").delete()  # as before it was bilingual
    people = Person.objects.count()

    out = load("--countries", "1")

    assert f"{people} English job titles" in out
    director = Person.objects.get(job_title="Directeur Communicatie")
    english = director.get_translation(Locale.objects.get(language_code="en"))
    assert english.job_title == "Director of Communications"
    assert public_atlas.load("en").person(director.pk).job_title == "Director of Communications"
    # ... published, as an editor's translation is.
    assert english.live_revision.content["job_title"] == "Director of Communications"
    assert not english.has_unpublished_changes
    assert list(get_search_backend().search("Director of Communications", Person)) == [english]
    assert "(added: none)" in load("--countries", "1")


def demo_users(*args):
    out = StringIO()
    call_command("ensure_demo_users", *args, stdout=out)
    return out.getvalue()


def test_demo_users_refused_without_debug():
    with pytest.raises(CommandError, match="DEBUG"):
        demo_users()
    assert not get_user_model().objects.exists()


def test_demo_users_are_created_once_in_their_groups(settings):
    settings.DEBUG = True
    out = demo_users()

    users = {user.username: user for user in get_user_model().objects.all()}
    assert set(users) == {"admin", "editor", "moderator"}
    assert users["admin"].is_superuser
    assert [g.name for g in users["editor"].groups.all()] == ["Press editors"]
    assert [g.name for g in users["moderator"].groups.all()] == ["Press moderators"]
    assert not users["editor"].is_superuser and not users["moderator"].is_superuser
    for username, user in users.items():
        password = next(line.split()[1] for line in out.splitlines() if line.startswith(username))
        # django-axes throttles logins per request: authenticate as the login form does.
        request = RequestFactory().post("/admin/login/")
        assert authenticate(request, username=username, password=password) == user
    assert users["editor"].has_perm("wagtailadmin.access_admin")

    again = demo_users("--force")
    assert again.count("(unchanged)") == 3
    assert {u.pk: u.password for u in get_user_model().objects.all()} == {
        u.pk: u.password for u in users.values()
    }
