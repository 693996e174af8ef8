"""The demo files each person's account under the platform its address tells: a Medium blog at
medium.com/@name is a blog, Mastodon is Mastodon only on the demo's Mastodon servers."""

from urllib.parse import urlsplit

import pytest

from atlas_pages.demo.accounts import FEDERATED_SERVERS
from atlas_pages.demo.loader import DemoAtlasLoader
from atlas_pages.demo.people import PEOPLE
from atlas_pages.models import Platform

pytestmark = pytest.mark.django_db


def test_a_medium_blog_is_a_blog_and_mastodon_lives_on_its_servers():
    platforms = {platform.slug: platform for platform in Platform.objects.all()}
    platform_of = DemoAtlasLoader._platform_of
    assert platform_of("https://medium.com/@timorasker", platforms).slug == "blog"
    assert platform_of("https://mastodon.social/@moamrani", platforms).slug == "mastodon"
    found = {url: platform_of(url, platforms).slug for person in PEOPLE for url in person.accounts}
    assert "https://medium.com/@timorasker" in found
    for url, slug in found.items():
        on_a_server = urlsplit(url).hostname in FEDERATED_SERVERS
        assert (slug == "mastodon") == on_a_server, url
