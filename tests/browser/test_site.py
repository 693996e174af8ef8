"""The visitor site in a real browser, in Dutch and English: map, panel, filter, keyboard,
language switcher, accessibility, no third-party requests (the `page` fixture checks those and
console errors after every test)."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.django_db(transaction=True)


def _open_map(page, atlas_site, language="en", fragment=""):
    page.goto(f"{atlas_site.url}/{language}/{fragment}")
    _wait_for_map(page)


def _wait_for_map(page):
    # The map starts when it comes into view.
    page.locator("#atlas-map").scroll_into_view_if_needed()
    page.wait_for_selector("#atlas-map[data-ready='true']", timeout=15_000)


def _account_links(panel):
    """The account links of the panel once the selected place's accounts have loaded."""
    panel.page.wait_for_selector("#atlas-panel[data-loaded='true']", timeout=15_000)
    links = panel.locator("a.account-link")
    return {
        links.nth(i).inner_text(): links.nth(i).get_attribute("href") for i in range(links.count())
    }


TOKYO_ACCOUNTS = {
    "NLinJapan": "https://x.com/NLinJapan",
    "nl-in-japan": "https://www.linkedin.com/company/nl-in-japan",
    "JaneTanakaNL": "https://x.com/JaneTanakaNL",
}


def _marker_titles(page):
    return sorted(page.locator(".atlas-marker").evaluate_all("els => els.map(e => e.title)"))


def test_root_redirects_to_the_browsers_language(page, atlas_site):
    page.goto(atlas_site.url + "/")  # the context's locale is en-GB
    assert page.url == atlas_site.url + "/en/"
    assert page.locator("html").get_attribute("lang") == "en"


def test_one_marker_per_public_post_in_the_page_language(page, atlas_site):
    _open_map(page, atlas_site, "nl")
    assert _marker_titles(page) == [
        "Ambassade in Ottawa, Ottawa (Canada)",
        "Ambassade in Tokio, Tokio (Japan)",
        "Consulaat-generaal in Vancouver, Vancouver (Canada)",
    ]  # not the draft Osaka nor the private Sapporo post
    _open_map(page, atlas_site, "en")
    assert _marker_titles(page) == [
        "Embassy in Ottawa, Ottawa (Canada)",
        "Embassy in Tokyo, Tokyo (Japan)",
    ]  # Vancouver's English page is a draft


def test_marker_click_shows_accounts_with_their_links(page, atlas_site):
    _open_map(page, atlas_site)
    page.locator(".atlas-marker[title^='Embassy in Tokyo']").click()
    panel = page.locator("#atlas-panel")
    assert panel.locator("h2").inner_text() == "Embassy in Tokyo"
    assert panel.locator("h2 a").get_attribute("href") == "/en/japan/embassy-in-tokyo/"
    assert _account_links(panel) == TOKYO_ACCOUNTS
    assert "Jane Tanaka" in panel.inner_text()
    assert "Ambassador to Japan" in panel.inner_text()


@pytest.mark.parametrize(
    ("language", "marker", "inactive", "formerly"),
    [
        ("en", "Embassy in Tokyo", "inactive since 2 Nov 2025", "formerly https://x.com/NLinJapan"),
        (
            "nl",
            "Ambassade in Tokio",
            "inactief sinds 2 nov 2025",
            "voorheen https://x.com/NLinJapan",
        ),
    ],
)
def test_the_panel_says_an_account_s_status_as_the_post_page_does(
    page, atlas_site, language, marker, inactive, formerly
):
    """A renamed account is linked at its new address and handle, its old one said as
    former; an inactive one is labelled with its date."""
    renamed = atlas_site.accounts.tokyo_x
    renamed.status, renamed.new_url = "renamed", "https://x.com/NLinJapanNew"
    renamed.save()
    dormant = atlas_site.accounts.tokyo_linkedin
    dormant.status, dormant.status_since = "inactive", datetime.date(2025, 11, 2)
    dormant.save()
    _open_map(page, atlas_site, language)
    page.locator(f".atlas-marker[title^='{marker}']").click()
    panel = page.locator("#atlas-panel")
    links = _account_links(panel)
    assert links["NLinJapanNew"] == "https://x.com/NLinJapanNew"
    assert "NLinJapan" not in links
    text = panel.inner_text()
    assert inactive in text and formerly in text


def test_map_panel_labels_are_in_dutch_on_the_dutch_site(page, atlas_site):
    _open_map(page, atlas_site, "nl")
    assert page.locator("#map-status").inner_text() == "Alle 3 posten worden getoond."
    page.locator(".atlas-marker[title^='Ambassade in Tokio']").click()
    panel = page.locator("#atlas-panel")
    assert panel.locator("h2").inner_text() == "Ambassade in Tokio"
    assert _account_links(panel) == TOKYO_ACCOUNTS
    assert panel.locator("button.atlas-panel__close").inner_text() == "Sluiten"
    assert panel.locator(".post-summary__meta").inner_text() == "Ambassade · Tokio · Japan"
    assert panel.locator(".post-summary__people-heading").text_content() == "Personen"
    assert "Ambassadeur in Japan" in panel.inner_text()
    assert page.locator("#atlas-map").get_attribute("aria-label") == (
        "Wereldkaart van de posten en hun accounts"
    )
    page.select_option("#platform-filter", "mastodon")
    page.wait_for_selector("#atlas-map[data-shown-posts='1']")
    assert page.locator("#map-status").inner_text() == (
        "1 posten met accounts op Mastodon worden getoond."
    )


def test_a_selected_country_shows_its_accounts_and_stays_in_the_url(page, atlas_site):
    """The first request carries no accounts: selecting Japan loads its accounts and people
    into the panel, and the URL keeps the selection for a reload or a shared link."""
    requests = []
    page.on("request", lambda request: "/graphql/" in request.url and requests.append(request))
    _open_map(page, atlas_site)
    assert len(requests) == 1 and "accounts" not in requests[0].url
    # A country's shape takes a click like a mouse's (the marker on it would catch a real one).
    page.locator("path.atlas-shape--jp").dispatch_event("click")
    panel = page.locator("#atlas-panel")
    assert panel.locator("h2").inner_text() == "Japan"
    assert _account_links(panel) == TOKYO_ACCOUNTS
    assert "Jane Tanaka" in panel.inner_text() and "Ambassador to Japan" in panel.inner_text()
    assert "3 accounts" in panel.inner_text()
    assert page.url == f"{atlas_site.url}/en/#country=JP"
    assert len(requests) == 2 and "accounts" in requests[1].url

    page.reload()
    _wait_for_map(page)
    assert panel.locator("h2").inner_text() == "Japan"
    assert _account_links(panel) == TOKYO_ACCOUNTS

    page.locator(".atlas-marker[title^='Embassy in Ottawa']").click()
    assert panel.locator("h2").inner_text() == "Embassy in Ottawa"
    assert _account_links(panel) == {"NLinCanada": "https://www.facebook.com/NLinCanada"}
    ottawa = atlas_site.english.ottawa.pk
    assert page.url == f"{atlas_site.url}/en/#post={ottawa}"
    page.goto(f"{atlas_site.url}/en/#post={ottawa}")  # a shared link, in a new visit
    page.reload()
    _wait_for_map(page)
    assert panel.locator("h2").inner_text() == "Embassy in Ottawa"
    assert _account_links(panel) == {"NLinCanada": "https://www.facebook.com/NLinCanada"}

    panel.locator("button.atlas-panel__close").click()
    assert panel.locator("h2").inner_text() == "Choose a place"
    assert page.url == f"{atlas_site.url}/en/"


def test_the_map_waits_until_it_is_in_view_on_a_phone(page, atlas_site):
    page.set_viewport_size({"width": 360, "height": 400})
    page.goto(atlas_site.url + "/en/")
    page.wait_for_load_state("networkidle")
    # Below the fold (and the observer's margin of 100 px): Leaflet is not even loaded.
    assert page.locator("#atlas-map").bounding_box()["y"] > 400 + 100
    assert page.evaluate("typeof window.L") == "undefined"
    _wait_for_map(page)
    assert page.evaluate("typeof window.L") == "object"


def test_cluster_and_marker_targets_are_large_enough_to_tap(page, atlas_site):
    _open_map(page, atlas_site, "nl")
    page.locator(".atlas-marker").first.wait_for()
    zoom_out, clusters = page.locator(".leaflet-control-zoom-out"), page.locator(".atlas-cluster")
    for _ in range(12):  # out, a step at a time, until Ottawa and Vancouver form a cluster
        if clusters.count() or "leaflet-disabled" in (zoom_out.get_attribute("class") or ""):
            break
        zoom_out.click()
        page.wait_for_timeout(500)  # a click during the zoom animation is not another step
    clusters.first.wait_for()
    for selector in (".atlas-marker", ".atlas-cluster"):
        for box in page.locator(selector).evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().toJSON())"
        ):
            assert box["width"] >= 44 and box["height"] >= 44, (selector, box)


def test_platform_filter_changes_the_map(page, atlas_site):
    _open_map(page, atlas_site, "nl")
    page.select_option("#platform-filter", "mastodon")
    page.wait_for_selector("#atlas-map[data-shown-posts='1']")
    assert page.locator(".atlas-marker").count() == 1
    assert "Vancouver" in page.locator(".atlas-marker").get_attribute("title")
    page.select_option("#platform-filter", "twitter")
    page.wait_for_selector("#atlas-map[data-shown-posts='1']")
    assert "Tokio" in page.locator(".atlas-marker").get_attribute("title")
    page.select_option("#platform-filter", "")
    page.wait_for_selector("#atlas-map[data-shown-posts='3']")


def test_language_switcher_lands_on_the_same_page(page, atlas_site):
    page.goto(atlas_site.url + "/nl/japan/ambassade-in-tokio/")
    switcher = page.get_by_role("navigation", name="Taal")
    switcher.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url == atlas_site.url + "/en/japan/embassy-in-tokyo/"
    assert page.locator("h1").inner_text() == "Embassy in Tokyo"
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Nederlands").click()
    page.wait_for_load_state()
    assert page.url == atlas_site.url + "/nl/japan/ambassade-in-tokio/"
    # On the search page the query is kept.
    page.fill("#site-search-q", "Tokio")
    page.keyboard.press("Enter")
    page.wait_for_url("**/nl/search/?q=Tokio")
    page.get_by_role("navigation", name="Taal").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/search/?q=Tokio")
    assert page.locator("#search-q").input_value() == "Tokio"


def test_a_to_z_list_works_with_the_keyboard(page, atlas_site):
    page.goto(atlas_site.url + "/en/")
    page.locator("#country-jp a").first.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Embassy in Tokyo"
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/japan/embassy-in-tokyo/")
    assert page.locator("a.account-link", has_text="NLinJapan").count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/nl/",
        "/en/",
        "/nl/japan/",
        "/en/japan/embassy-in-tokyo/",
        "/nl/japan/ambassade-in-tokio/",
        "/nl/search/?q=Tokio",
        "/en/search/?q=Tokyo",
    ],
)
def test_no_accessibility_violations(page, atlas_site, path):
    page.goto(atlas_site.url + path)
    if path in ("/nl/", "/en/"):
        _wait_for_map(page)
        page.locator(".atlas-marker").first.click()
        page.wait_for_selector("#atlas-panel[data-loaded='true']")
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width,height", [(360, 780), (1280, 900)])
def test_screenshots(page, atlas_site, artifacts, width, height):
    page.set_viewport_size({"width": width, "height": height})
    _open_map(page, atlas_site, "nl")
    page.locator(".atlas-marker[title^='Ambassade in Tokio']").click()
    assert page.locator("#atlas-panel h2").inner_text() == "Ambassade in Tokio"
    page.wait_for_selector("#atlas-panel[data-loaded='true']")
    page.screenshot(path=artifacts / f"home-{width}.png", full_page=True)
    page.goto(atlas_site.url + "/en/japan/embassy-in-tokyo/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=artifacts / f"post-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
