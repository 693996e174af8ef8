"""The launch's three questions, asked of the demo atlas on a phone as a new visitor would:
from the home page, each answered with at most two interactions (a country tapped on the map,
at most one choice in the filter), in Dutch and in English.

1. Does the embassy in Japan have a Facebook page?
2. Which accounts does the consul-general in Vancouver have?
3. Which LinkedIn groups does the embassy in Australia have?
"""

import re

import pytest
from playwright.sync_api import expect

from atlas_pages.demo import load_demo_atlas
from tests.browser.conftest import _restore_migrated_data

pytestmark = pytest.mark.django_db(transaction=True)

#: What a visitor reads, per language.
TEXTS = {
    "nl": {
        "tokyo": "Ambassade in Tokio",
        "canberra": "Ambassade in Canberra",
        "consul": "Consul-generaal in Vancouver",
        "linkedin_profile": "LinkedIn-profiel",
        "linkedin_group": "LinkedIn-groep",
        "groups_choice": "LinkedIn-groepen",
    },
    "en": {
        "tokyo": "Embassy in Tokyo",
        "canberra": "Embassy in Canberra",
        "consul": "Consul-General in Vancouver",
        "linkedin_profile": "LinkedIn profile",
        "linkedin_group": "LinkedIn group",
        "groups_choice": "LinkedIn groups",
    },
}
CANBERRA_GROUPS = {
    "Netherlands Australia Business Network": "https://www.linkedin.com/groups/10452871/",
    "Holland Alumni Australia": "https://www.linkedin.com/groups/12893304/",
    "Dutch Water Sector Australia": "https://www.linkedin.com/groups/13307712/",
}


@pytest.fixture
def demo_url(transactional_db, live_server):
    """The demo atlas of the three countries asked about, served by the live server."""
    _restore_migrated_data()
    load_demo_atlas(["JP", "CA", "AU"])
    return live_server.url


def home(page, url, language):
    """The home page, its map ready once scrolled into view (as a visitor scrolls to it)."""
    page.goto(f"{url}/{language}/")
    map_ready(page)


def map_ready(page):
    """Wait for the home page's map, scrolled into view (as a visitor scrolls to it)."""
    page.locator("#atlas-map").scroll_into_view_if_needed()
    page.wait_for_selector("#atlas-map[data-ready='true']", timeout=15_000)


def tap_country(page, code):
    """One tap on a country's shape (dispatched: a marker on it would catch a real one)."""
    page.locator(f"path.atlas-shape--{code.lower()}").dispatch_event("click")
    page.wait_for_selector("#atlas-panel[data-loaded='true']", timeout=15_000)
    return page.locator("#atlas-panel")


def post_block(panel, name):
    return panel.locator("article.post-summary").filter(
        has=panel.page.get_by_role("heading", name=name, exact=True)
    )


def group_links(block, label):
    """The account links under one platform-and-form heading ("LinkedIn group")."""
    heading = block.page.locator(
        ".accounts__platform > span", has_text=re.compile(f"^{re.escape(label)}$")
    )
    group = block.locator("li.accounts__group").filter(has=heading)
    links = group.locator("a.account-link")
    return {
        links.nth(i).inner_text(): links.nth(i).get_attribute("href") for i in range(links.count())
    }


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_three_questions_on_a_phone(phone, demo_url, language):
    text = TEXTS[language]

    # 1. The embassy in Japan on Facebook: one tap on Japan.
    home(phone, demo_url, language)
    panel = tap_country(phone, "JP")
    tokyo = post_block(panel, text["tokyo"])
    facebook = tokyo.locator("a[href='https://www.facebook.com/NetherlandsEmbassyJapan']")
    expect(facebook).to_be_visible()
    assert group_links(tokyo, "Facebook")["NetherlandsEmbassyJapan"] == facebook.get_attribute(
        "href"
    )
    assert phone.url == f"{demo_url}/{language}/#country=JP"

    # 2. The consul-general in Vancouver's accounts: one tap on Canada.
    home(phone, demo_url, language)
    panel = tap_country(phone, "CA")
    consul = panel.locator("li.person").filter(has_text="Eva Hoekman")
    expect(consul).to_be_visible()
    expect(consul.locator(".person__name")).to_contain_text(text["consul"])
    assert group_links(consul, "X (Twitter)") == {"NLCGVancouver": "https://x.com/NLCGVancouver"}
    assert group_links(consul, text["linkedin_profile"]) == {
        "eva-hoekman": "https://www.linkedin.com/in/eva-hoekman"
    }

    # 3. The embassy in Australia's LinkedIn groups: "LinkedIn groups" chosen, Australia tapped.
    home(phone, demo_url, language)
    phone.select_option("#platform-filter", label=text["groups_choice"])
    panel = tap_country(phone, "AU")
    canberra = post_block(panel, text["canberra"])
    expect(canberra).to_be_visible()
    assert group_links(canberra, text["linkedin_group"]) == CANBERRA_GROUPS
    # Only groups: not the embassy's LinkedIn page, nor its Facebook group.
    assert canberra.locator("a.account-link").count() == len(CANBERRA_GROUPS)
    shared = f"{demo_url}/{language}/#country=AU&platform=linkedin&form=group"
    assert phone.url == shared

    # The view is shareable: the same link opens the same answer.
    phone.goto(f"{demo_url}/{language}/")  # leave the page, then follow the shared link
    phone.goto(shared)
    phone.wait_for_selector("#atlas-panel[data-loaded='true']", timeout=15_000)
    expect(phone.locator("#platform-filter")).to_have_value("linkedin/group")
    canberra = post_block(phone.locator("#atlas-panel"), text["canberra"])
    assert group_links(canberra, text["linkedin_group"]) == CANBERRA_GROUPS
