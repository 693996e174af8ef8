"""manage.py load_demo_atlas and ensure_demo_users."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Site
from wagtail.search.backends import get_search_backend

from atlas_pages import selectors
from atlas_pages.demo import SMALL
from atlas_pages.models import AtlasPage, CountryPage, Person, Platform, PostPage, SocialAccount
from tests.factories import make_account

pytestmark = pytest.mark.django_db

MODELS = [AtlasPage, CountryPage, PostPage, Person, SocialAccount]


def load(*args):
    out = StringIO()
    call_command("load_demo_atlas", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def test_full_demo_atlas_is_complete_public_and_idempotent():
    out = load()

    assert CountryPage.objects.count() >= 100
    assert PostPage.objects.count() >= 140
    assert Person.objects.count() >= 30
    assert SocialAccount.objects.count() >= 400
    assert f"{CountryPage.objects.count()} countries" in out
    assert set(PostPage.objects.values_list("kind", flat=True)) == set(PostPage.Kind.values)
    home = CountryPage.objects.get(iso_code="NL")
    assert home.title == "Nederland"
    at_home = set(home.post_pages.values_list("kind", "city"))
    assert {("directorate", "Den Haag"), ("project_group", "Den Haag")} <= at_home
    assert PostPage.objects.filter(kind="consulate_general", city="Vancouver").exists()
    assert Person.objects.filter(role="employee", personal_opt_in=True).exists()
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

    # Everything is published: the public selectors hide nothing.
    assert selectors.public_countries().count() == CountryPage.objects.count()
    assert selectors.public_posts().count() == PostPage.objects.count()
    assert selectors.public_people().count() == Person.objects.count()
    assert selectors.public_accounts().count() == SocialAccount.objects.count()
    assert selectors.public_platforms().count() == platforms.count()
    # ... with a live revision, as if published in the admin, and a history entry.
    assert not SocialAccount.objects.filter(live_revision__isnull=True).exists()
    assert not Person.objects.filter(last_published_at__isnull=True).exists()
    assert not PostPage.objects.filter(live_revision__isnull=True).exists()
    assert PageLogEntry.objects.filter(action="wagtail.publish", page=home).exists()
    # ... with their references indexed (the admin's usage counts) ...
    usage = ReferenceIndex.get_references_to(japan.post).values_list("object_id", flat=True)
    assert str(japan.pk) in usage
    # ... and found by the search.
    search = get_search_backend()
    assert list(search.search("NLinJapan", SocialAccount)) == [japan]
    assert "Ambassade in Tokio" in [post.title for post in search.search("Tokio", PostPage)]

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, AtlasPage)

    before = snapshot()
    again = load()
    assert "(none created)" in again
    assert snapshot() == before


def test_small_atlas_replaces_the_welcome_page():
    welcome = Site.objects.get(is_default_site=True).root_page
    assert welcome.specific_class is Page  # Wagtail's "Welcome to your new Wagtail site!"

    load("--small")

    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is AtlasPage
    assert site.root_page.title == "Social Media Atlas"
    assert not Page.objects.filter(pk=welcome.pk).exists()
    assert CountryPage.objects.count() == SMALL
    assert CountryPage.objects.filter(iso_code="NL").exists()
    assert selectors.public_accounts().count() == SocialAccount.objects.count() > 0


def test_existing_atlas_is_reused_and_search_updates_again_afterwards(atlas):
    load("--countries", "1")

    assert list(AtlasPage.objects.all()) == [atlas]
    assert list(CountryPage.objects.values_list("iso_code", flat=True)) == ["NL"]
    assert PostPage.objects.child_of(CountryPage.objects.get()).count() > 10
    # The loader indexes in bulk; afterwards a save is indexed on its own again.
    post = PostPage.objects.get(title="Directie Communicatie")
    account = make_account("https://x.com/NLwelcomeDemo", post=post)
    assert list(get_search_backend().search("NLwelcomeDemo", SocialAccount)) == [account]


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
        assert authenticate(username=username, password=password) == user
    assert users["editor"].has_perm("wagtailadmin.access_admin")

    again = demo_users("--force")
    assert again.count("(unchanged)") == 3
    assert {u.pk: u.password for u in get_user_model().objects.all()} == {
        u.pk: u.password for u in users.values()
    }
