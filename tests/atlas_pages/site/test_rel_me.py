"""rel="me" on the atlas's own pages: the page that stands for an account's owner (its post's
page; the home page for the ministry's top) links each official account, and a personal one
only while consent stands, with rel="me", so that a Mastodon profile linking to that page gets
Mastodon's verified checkmark. Drafts, accounts in moderation and withdrawn consent never show."""

from datetime import date

import pytest
from bs4 import BeautifulSoup

from atlas_pages.models import Person, SocialAccount, withdraw_consent
from tests.factories import make_account, make_person

pytestmark = pytest.mark.django_db


def rel_of_links(html):
    """{href: rel words} of the page's account links."""
    soup = BeautifulSoup(html, "html.parser")
    return {a["href"]: a.get("rel", []) for a in soup.select("a.account-link")}


@pytest.fixture
def embassy(tokyo):
    official = make_account("https://x.com/NLinJapan", post=tokyo)
    mastodon = make_account(
        "https://social.example/@nlintokyo", post=tokyo, platform_slug="mastodon"
    )
    ambassador = make_person(post=tokyo)
    ambassador_account = make_account("https://x.com/AmbJapan", person=ambassador)
    consenting = make_person(
        "Kees Example", role=Person.Role.EMPLOYEE, post=tokyo, consent_given_at=date(2026, 1, 5)
    )
    consenting_account = make_account("https://x.com/KeesExample", person=consenting)
    withdrawn = make_person(
        "Anna Example", role=Person.Role.EMPLOYEE, post=tokyo, consent_given_at=date(2026, 1, 5)
    )
    withdrawn_account = make_account("https://x.com/AnnaExample", person=withdrawn)
    withdrawn.consent_withdrawn_at = date(2026, 2, 1)
    withdraw_consent(withdrawn)
    draft = make_account("https://instagram.com/nlintokyo_draft", post=tokyo)
    SocialAccount.objects.filter(pk=draft.pk).update(live=False)
    moderated = make_account("https://facebook.com/NLinTokyoReview", post=tokyo)
    moderated.save_revision()
    SocialAccount.objects.filter(pk=moderated.pk).update(live=False)
    return {
        "official": official,
        "mastodon": mastodon,
        "ambassador": ambassador_account,
        "consenting": consenting_account,
        "withdrawn": withdrawn_account,
        "draft": draft,
        "moderated": moderated,
    }


def test_the_post_page_links_its_accounts_with_rel_me(client, tokyo, embassy):
    links = rel_of_links(client.get(tokyo.url).content.decode())
    for name in ("official", "mastodon", "ambassador", "consenting"):
        assert links[embassy[name].url] == ["me", "noopener"], name
    for name in ("withdrawn", "draft", "moderated"):
        assert embassy[name].url not in links, name
    html = client.get(tokyo.url).content.decode()
    assert "AnnaExample" not in html


def test_the_country_page_lists_accounts_without_claiming_them(client, japan, embassy):
    """The country page stands for no account's owner: a profile should link to its post's
    page, so the country page's links carry no rel="me"."""
    links = rel_of_links(client.get(japan.url).content.decode())
    assert links[embassy["official"].url] == ["noopener"]
    assert all("me" not in rel for rel in links.values())


def test_the_home_page_links_the_ministry_s_top_with_rel_me(client, atlas, tokyo, embassy):
    minister = make_person("Minister Example", role=Person.Role.MINISTER)
    account = make_account("https://x.com/MinisterExample", person=minister)
    links = rel_of_links(client.get(atlas.url).content.decode())
    assert links[account.url] == ["me", "noopener"]
    assert embassy["official"].url not in links  # a post's accounts are on its own page
